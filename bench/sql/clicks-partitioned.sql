-- A prototype, in a bench database only (not a migration): clicks partitioned by month on
-- clicked_at, beside the plain table that bench/pipeline-scale.sh prefilled
-- (bench_prefill_clicks), and the raw writer's insert timed in SQL on both and on an empty copy.
-- docs/schema.md has the decision, docs/benchmarks.md the figures. Run with:
--   psql -X -d <bench database> -f bench/sql/clicks-partitioned.sql
-- after a run of ./tinyscale bench pipeline-scale (the prefill and links must exist).
\timing on
set client_min_messages = warning;
set maintenance_work_mem = '512MB';

-- 1. the partitioned table: one partition per month the prefill and the test touch. Postgres'
-- unique constraints on a partitioned table must include the partition key: the dedup key becomes
-- (event_id, clicked_at), the primary key (id, clicked_at).
drop table if exists bench_part_clicks;
create table bench_part_clicks (like clicks including defaults including identity)
  partition by range (clicked_at);
do $$
declare m date;
begin
  for m in select generate_series(date_trunc('month', now() - interval '100 days'),
                                  date_trunc('month', now() + interval '31 days'), interval '1 month')::date
  loop
    execute format('create table bench_part_clicks_%s partition of bench_part_clicks for values from (%L) to (%L)',
                   to_char(m, 'YYYYMM'), m, (m + interval '1 month')::date);
  end loop;
end $$;
insert into bench_part_clicks overriding system value select * from bench_prefill_clicks;
alter table bench_part_clicks add primary key (id, clicked_at);
alter table bench_part_clicks add constraint bench_part_clicks_event_id_key unique (event_id, clicked_at);
create index on bench_part_clicks (url_id, clicked_at);
alter table bench_part_clicks add foreign key (url_id) references urls (id);
vacuum analyze bench_part_clicks;

-- 2. an empty copy of the plain table
drop table if exists bench_empty_copy_clicks;
create table bench_empty_copy_clicks (like clicks including all);
alter table bench_empty_copy_clicks add foreign key (url_id) references urls (id);

select relname, pg_size_pretty(pg_total_relation_size(oid)) from pg_class
  where relname in ('bench_prefill_clicks', 'bench_part_clicks') or relname like 'bench_part_clicks_2%' order by 1;

-- 3. the raw writer's statement, 200 transactions of 1000 rows: the 5,000 pb links (Zipf-like),
-- times over the last 6 hours, UUIDv7 ids from the time: bench_insert_batches(table, conflict target, batches)
create or replace procedure bench_insert_batches(target text, conflict text, batches int)
language plpgsql as $$
declare
  started timestamptz := clock_timestamp();
  lo bigint; hi bigint;
begin
  select min(id), max(id) into lo, hi from urls where short_code like 'pb_____';
  for b in 1..batches loop
    execute format($q$
      insert into %I (url_id, event_id, ip_address, user_agent, referrer, country, browser, os, device, is_bot, clicked_at)
      select %s + floor(%s * r.ru * r.ru * r.ru)::bigint,
        (lpad(to_hex(floor(extract(epoch from r.t) * 1000)::bigint), 12, '0') || '7' || substr(r.h, 1, 3) || '8' || substr(r.h, 4, 15))::uuid,
        '203.0.113.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        'https://www.google.com/', 'US', 'Chrome 131', 'Windows 10', 'Desktop', false, r.t
      from (select now() - random() * interval '6 hours' as t, md5(random()::text) as h, random() as ru
            from generate_series(1, 1000)) r
      on conflict (%s) do nothing$q$, target, lo, hi - lo + 1, conflict);
    commit;
  end loop;
  raise warning '%: % rows in % ms = % rows/s', target, batches * 1000,
    round(extract(epoch from clock_timestamp() - started) * 1000),
    round(batches * 1000 / extract(epoch from clock_timestamp() - started));
end $$;

-- alternated, twice each; the rows stay (each round adds 200,000)
call bench_insert_batches('bench_empty_copy_clicks', 'event_id', 200);
call bench_insert_batches('bench_prefill_clicks', 'event_id', 200);
call bench_insert_batches('bench_part_clicks', 'event_id, clicked_at', 200);
call bench_insert_batches('bench_empty_copy_clicks', 'event_id', 200);
call bench_insert_batches('bench_prefill_clicks', 'event_id', 200);
call bench_insert_batches('bench_part_clicks', 'event_id, clicked_at', 200);

-- 4. retention on the plain table: the oldest week deleted, timed with the WAL it writes, then
-- rolled back (a VACUUM of every index would follow); on the partitioned one it is a DROP of the
-- month's partition, timed in step 5 (all partitions at once)
select pg_current_wal_lsn() as wal_before \gset
begin;
delete from bench_prefill_clicks where clicked_at < (select ends_at from bench_prefill) - interval '83 days';
select pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), :'wal_before')) as wal_written;
rollback;

-- 5. put the prefill back as the bench left it; drop the prototype
delete from bench_prefill_clicks where id > (select max_id from bench_prefill);
vacuum analyze bench_prefill_clicks;
drop table bench_part_clicks, bench_empty_copy_clicks;
drop procedure bench_insert_batches;
