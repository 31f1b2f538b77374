package io.tinyscale.app.pipeline;

import static io.tinyscale.storage.jooq.Tables.AGGREGATED_EVENTS;
import static io.tinyscale.storage.jooq.Tables.CONSUMER_OFFSETS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;

import io.tinyscale.app.platform.Backoff;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.enrich.EnrichedClick;
import io.tinyscale.core.enrich.Enricher;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Clicks per link, hour and bot flag in {@code url_stats_hourly}, exactly.
 *
 * <p>Each batch is one transaction that (1) records the batch's event ids in {@code
 * aggregated_events} and keeps only those that were new, (2) adds their counts, and (3) stores the
 * Kafka positions after the batch in {@code consumer_offsets}. On assignment the consumer seeks to
 * those stored positions, so a crash or rebalance at any point neither loses nor repeats a count;
 * the event-id check also absorbs duplicates inside Kafka itself.
 */
final class HourlyAggregator extends BatchConsumer {
  private static final Logger LOG = Logger.getLogger(HourlyAggregator.class);
  private static final long PRUNE_EVERY_MS = 3_600_000;

  private record Bucket(long urlId, OffsetDateTime hour, boolean bot) {}

  private final DSLContext dsl;
  private final String topicKey;
  private long prunedAt;

  /**
   * {@code topicKey}: the topic's name and id (see {@code ClickTopics.key}), the key of its stored
   * positions.
   */
  HourlyAggregator(
      FailureState state,
      Settings settings,
      Enricher enricher,
      DeadLetters deadLetters,
      PipelineMetrics metrics,
      DSLContext dsl,
      String topicKey) {
    super(state, ConsumerGroup.AGGREGATOR, settings, enricher, deadLetters, metrics);
    this.dsl = dsl;
    this.topicKey = topicKey;
  }

  @Override
  void seekOnAssign(Collection<TopicPartition> partitions) {
    Map<Integer, Long> stored = null;
    Backoff retry = backoff(500, 30_000);
    while (stored == null) {
      try {
        stored = storedPositions();
      } catch (RuntimeException e) {
        // without its stored positions the aggregator must not read at all
        LOG.warnf(
            "Cannot read stored positions (%s); retrying in %d ms",
            e.getMessage(), retry.nextMillis());
        try {
          retry.pause();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new org.apache.kafka.common.errors.InterruptException(ie);
        }
      }
    }
    for (TopicPartition p : partitions) {
      Long next = stored.get(p.partition());
      if (next != null) {
        consumer.seek(p, next);
      }
    }
  }

  private Map<Integer, Long> storedPositions() {
    return dsl.select(CONSUMER_OFFSETS.PARTITION_ID, CONSUMER_OFFSETS.NEXT_OFFSET)
        .from(CONSUMER_OFFSETS)
        .where(CONSUMER_OFFSETS.CONSUMER_GROUP.eq(group).and(CONSUMER_OFFSETS.TOPIC.eq(topicKey)))
        .fetchMap(CONSUMER_OFFSETS.PARTITION_ID, CONSUMER_OFFSETS.NEXT_OFFSET);
  }

  @Override
  void write(List<EnrichedClick> batch, Map<TopicPartition, OffsetAndMetadata> offsets) {
    dsl.transaction(
        tx -> {
          DSLContext db = tx.dsl();
          if (!batch.isEmpty()) {
            // the ids as one array parameter (unnest) rather than a VALUES row each: one bind value
            // instead of a thousand for jOOQ to render and bind
            Table<?> ids =
                DSL.unnest(
                    DSL.val(batch.stream().map(EnrichedClick::eventId).toArray(UUID[]::new)));
            Set<UUID> fresh =
                db.insertInto(AGGREGATED_EVENTS, AGGREGATED_EVENTS.EVENT_ID)
                    .select(DSL.select(ids.field(0, UUID.class)).from(ids))
                    .onConflictDoNothing()
                    .returning(AGGREGATED_EVENTS.EVENT_ID)
                    .fetchSet(AGGREGATED_EVENTS.EVENT_ID);
            Map<Bucket, Long> counts = new HashMap<>();
            for (EnrichedClick c : batch) {
              if (fresh.remove(c.eventId())) {
                OffsetDateTime hour = c.at().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
                counts.merge(new Bucket(c.urlId(), hour, c.bot()), 1L, Long::sum);
              }
            }
            if (!counts.isEmpty()) {
              var upsert =
                  db.insertInto(
                      URL_STATS_HOURLY,
                      URL_STATS_HOURLY.URL_ID,
                      URL_STATS_HOURLY.HOUR,
                      URL_STATS_HOURLY.IS_BOT,
                      URL_STATS_HOURLY.COUNT);
              for (var e : counts.entrySet()) {
                upsert =
                    upsert.values(
                        e.getKey().urlId(), e.getKey().hour(), e.getKey().bot(), e.getValue());
              }
              upsert
                  .onConflict(
                      URL_STATS_HOURLY.URL_ID, URL_STATS_HOURLY.HOUR, URL_STATS_HOURLY.IS_BOT)
                  .doUpdate()
                  .set(
                      URL_STATS_HOURLY.COUNT,
                      URL_STATS_HOURLY.COUNT.plus(DSL.excluded(URL_STATS_HOURLY.COUNT)))
                  .execute();
            }
          }
          if (!offsets.isEmpty()) {
            var positions =
                db.insertInto(
                    CONSUMER_OFFSETS,
                    CONSUMER_OFFSETS.CONSUMER_GROUP,
                    CONSUMER_OFFSETS.TOPIC,
                    CONSUMER_OFFSETS.PARTITION_ID,
                    CONSUMER_OFFSETS.NEXT_OFFSET);
            for (var e : offsets.entrySet()) {
              positions =
                  positions.values(group, topicKey, e.getKey().partition(), e.getValue().offset());
            }
            positions
                .onConflict(
                    CONSUMER_OFFSETS.CONSUMER_GROUP,
                    CONSUMER_OFFSETS.TOPIC,
                    CONSUMER_OFFSETS.PARTITION_ID)
                .doUpdate()
                .set(CONSUMER_OFFSETS.NEXT_OFFSET, DSL.excluded(CONSUMER_OFFSETS.NEXT_OFFSET))
                .set(CONSUMER_OFFSETS.UPDATED_AT, DSL.currentOffsetDateTime())
                .execute();
          }
        });
    pruneNowAndThen();
  }

  /** Event ids only matter while a duplicate can still arrive; a week is far beyond that. */
  private void pruneNowAndThen() {
    long now = System.currentTimeMillis();
    if (now - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = now;
      dsl.deleteFrom(AGGREGATED_EVENTS)
          .where(
              AGGREGATED_EVENTS.AGGREGATED_AT.lt(
                  OffsetDateTime.now(ZoneOffset.UTC).minus(Pipeline.EVENT_ID_MEMORY)))
          .execute();
    }
  }
}
