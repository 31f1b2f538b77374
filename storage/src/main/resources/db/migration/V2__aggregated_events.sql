-- The hourly aggregator's memory of which events it has already counted. Kafka can hold the
-- same event twice (a producer retry after an ambiguous timeout, a spooled event replayed);
-- the aggregator inserts each batch's event ids here in the same transaction as its counts
-- and counts only the ids that were new, so url_stats_hourly stays exact. Rows older than the
-- longest possible redelivery window are pruned.
create table aggregated_events (
  event_id      uuid        not null constraint aggregated_events_pkey primary key,
  aggregated_at timestamptz not null default current_timestamp
);
create index aggregated_events_aggregated_at_idx on aggregated_events (aggregated_at);
