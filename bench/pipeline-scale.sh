#!/usr/bin/env bash
# ./tinyscale bench pipeline-scale — the click pipeline's batched consumers on an empty `clicks`
# table and on one that already holds millions of rows, back to back in one run.
#
#   bench/pipeline-scale.sh            (or ./tinyscale bench pipeline-scale)
#
# Steps: build what is missing; engines through devstack, with a Kafka broker of the bench's own
# that starts empty; schema, topic `clicks` created anew, the click tables emptied, 5,000 links
# (PipelineBench prepare, as bench/pipeline.sh); the prefilled tables, built once with INSERT ...
# SELECT generate_series and reused by later runs: bench_prefill_clicks (10,000,000 clicks over
# 100,000 links and 90 days, UUIDv7 event ids at their click's time, indexed as `clicks` is) and
# bench_prefill_url_stats_hourly (its hourly rollups); 1,000,000 synthetic click events on the
# topic; then the raw writer alone and the aggregator alone, each timed from its first commit
# until it has caught up (as bench/pipeline.sh), first on the empty tables, then with the
# prefilled ones renamed into their place (and aggregated_events holding the last week's event
# ids, as the aggregator's pruning leaves it); last the prefilled tables get their own rows back
# (the measured clicks deleted, VACUUM) and their names. Prints each group's rate on both, the
# ratio, the batch time per group (mean and p99 bucket, from the worker's /metrics) and the sizes
# of the tables and their indexes.
#
# Settings (environment): BENCH_PREFILL_CLICKS (10000000), BENCH_PREFILL_LINKS (100000),
# BENCH_PREFILL_DAYS (90), BENCH_EVENTS (1000000), BENCH_LINKS (5000), BENCH_PARTITIONS (6),
# BENCH_CONSUMERS (2), BENCH_HOURS (6), BENCH_SEED (42), BENCH_HEAP (512m), BENCH_JAVA_OPTS,
# BENCH_GROUPS ("raw-writer aggregator"), BENCH_ROUNDS (1: empty then prefilled, this many times;
# the report gives the median ratio), BENCH_DATABASE (tinyscale_bench_pipeline_scale),
# BENCH_HOME_DIR (.tinyscale/bench-pipeline-scale), BENCH_APP_PORT (18191), BENCH_KAFKA_PORT
# (29293), BENCH_REDIS_DB (the logical Redis database of the worker; devstack's URL as is when
# unset), BENCH_USE_ENV_ENGINES=1 (as bench/pipeline.sh), JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

PREFILL=${BENCH_PREFILL_CLICKS:-10000000}
PREFILL_LINKS=${BENCH_PREFILL_LINKS:-100000}
PREFILL_DAYS=${BENCH_PREFILL_DAYS:-90}
EVENTS=${BENCH_EVENTS:-1000000}
LINKS=${BENCH_LINKS:-5000}
PARTITIONS=${BENCH_PARTITIONS:-6}
CONSUMERS=${BENCH_CONSUMERS:-2}
HOURS=${BENCH_HOURS:-6}
SEED=${BENCH_SEED:-42}
APP_PORT=${BENCH_APP_PORT:-18191}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29293}
DATABASE=${BENCH_DATABASE:-tinyscale_bench_pipeline_scale}
GROUPS_MEASURED=${BENCH_GROUPS:-raw-writer aggregator}
ROUNDS=${BENCH_ROUNDS:-1}
REDIS_DB=${BENCH_REDIS_DB:-}
export BENCH_HEAP=${BENCH_HEAP:-512m}
whole_numbers ROUNDS PREFILL PREFILL_LINKS PREFILL_DAYS EVENTS LINKS PARTITIONS CONSUMERS HOURS SEED APP_PORT KAFKA_PORT
((ROUNDS >= 1 && PREFILL >= 1000 && EVENTS >= 10000 && LINKS >= 1 && LINKS <= 99999 && PREFILL_LINKS >= LINKS && PREFILL_LINKS <= 999999 && PREFILL_DAYS >= 2 && PARTITIONS >= 1 && CONSUMERS >= 1 && HOURS >= 1)) ||
  die "need BENCH_PREFILL_CLICKS >= 1000, BENCH_EVENTS >= 10000, 1 <= BENCH_LINKS <= 99999, BENCH_LINKS <= BENCH_PREFILL_LINKS <= 999999, BENCH_PREFILL_DAYS >= 2, the other counts >= 1"
[[ $DATABASE =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DATABASE must be a plain lower-case name"
[[ -z $REDIS_DB || $REDIS_DB =~ ^[0-9]+$ ]] || die "BENCH_REDIS_DB must be a number"
for group in $GROUPS_MEASURED; do
  [[ $group == raw-writer || $group == aggregator ]] || die "BENCH_GROUPS: raw-writer and/or aggregator, not $group"
done

BENCH_HOME=$ROOT/${BENCH_HOME_DIR:-.tinyscale/bench-pipeline-scale}
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
mkdir -p "$LOG_DIR" "$RESULTS_DIR"
APP_PID=""

stop_on_exit

cd "$ROOT"
RUN_START=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. tools, JDK, build ---------------------------------------------------------------------
require_tools setsid:util-linux pgrep:procps psql:postgresql-client curl
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
for port in "$APP_PORT" "$KAFKA_PORT"; do
  port_in_use "$port" && die "127.0.0.1:$port is already in use: stop what listens there or set BENCH_APP_PORT/BENCH_KAFKA_PORT"
done

# 2. engines --------------------------------------------------------------------------------
export TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT:-54449}
export TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT:-63919}
start_own_engines "$BENCH_HOME" "$DATABASE" "$KAFKA_PORT"
if [[ -n $REDIS_DB ]]; then
  TINYSCALE_REDIS_URL=$(sed -E 's#/[0-9]+$##' <<<"$TINYSCALE_REDIS_URL")/$REDIS_DB
  export TINYSCALE_REDIS_URL
  log "engines: the worker uses Redis database $REDIS_DB ($TINYSCALE_REDIS_URL)"
fi
TOOL_CLASS=io.tinyscale.bench.PipelineBench

# psql with the bench's session settings: big sorts for the index builds and rollups
sql() { bench_psql -c "set maintenance_work_mem = '512MB'; set work_mem = '256MB'; $1"; }

# 3. the prefilled tables: swapped back first when a run stopped half way -------------------
# While the prefilled tables stand in for the app's, those are named bench_empty_<table>.
PREFILL_TABLES=(clicks url_stats_hourly aggregated_events)
swapped() { [[ $(bench_psql -c "select to_regclass('bench_empty_clicks') is not null") == t ]]; }

swap_in() {
  local t stmt="begin;"
  for t in "${PREFILL_TABLES[@]}"; do
    stmt+=" alter table $t rename to bench_empty_$t; alter table bench_prefill_$t rename to $t;"
  done
  bench_psql -c "$stmt commit;" >/dev/null
}

# swap_out — deletes what a measurement added to the prefilled tables, gives all tables their
# names back and vacuums the prefilled ones; safe after an interrupted run.
swap_out() {
  local start t stmt="begin;"
  start=$(date +%s)
  bench_psql -c "delete from clicks where id > (select max_id from bench_prefill);
    delete from url_stats_hourly where hour > (select ends_at from bench_prefill)" >/dev/null
  for t in "${PREFILL_TABLES[@]}"; do
    stmt+=" alter table $t rename to bench_prefill_$t; alter table bench_empty_$t rename to $t;"
  done
  bench_psql -c "$stmt commit;" >/dev/null
  bench_psql -c "vacuum analyze bench_prefill_clicks" >/dev/null
  bench_psql -c "vacuum analyze bench_prefill_url_stats_hourly" >/dev/null
  log "prefill: the measured rows deleted, tables renamed back, vacuumed in $(elapsed_since "$start")"
}

if swapped; then
  log "prefill: a previous run stopped with the prefilled tables in place: putting them back"
  swap_out
fi

# 4. schema, topic, 5,000 links (the click tables emptied) -----------------------------------
run_tool prepare "$LOG_DIR/prepare.txt" prepare --partitions "$PARTITIONS" --links "$LINKS"

# 5. the prefill, built once -----------------------------------------------------------------
prefill_matches() {
  [[ $(bench_psql -c "select to_regclass('bench_prefill') is not null
      and to_regclass('bench_prefill_clicks') is not null
      and to_regclass('bench_prefill_url_stats_hourly') is not null
      and to_regclass('bench_prefill_aggregated_events') is not null") == t ]] &&
    [[ $(bench_psql -c "select count(*) from bench_prefill where rows = $PREFILL and links = $PREFILL_LINKS and days = $PREFILL_DAYS") == 1 ]]
}

build_prefill() {
  local start step
  start=$(date +%s)
  log "prefill: building $PREFILL clicks over $PREFILL_LINKS links and $PREFILL_DAYS days (once; later runs reuse them)"
  bench_psql -c "set client_min_messages = warning; drop table if exists bench_prefill, bench_prefill_clicks, bench_prefill_url_stats_hourly, bench_prefill_aggregated_events" >/dev/null
  # the links: the bench's 5,000 pb links first (the popular ones), then pf000001...
  bench_psql -c "insert into urls (short_code, original_url, user_id)
      select 'pf' || lpad(g::text, 6, '0'), 'https://example.com/archive/' || g,
             (select id from users where email = 'pipeline-bench@example.com')
      from generate_series(1, $PREFILL_LINKS - $LINKS) g
      on conflict (short_code) do nothing" >/dev/null
  # without indexes first (built after the rows, much faster), identity and defaults as clicks
  bench_psql -c "create table bench_prefill_clicks (like clicks including defaults including identity)" >/dev/null
  step=$(date +%s)
  # Clicks in time order (as the raw writer appends them) over the PREFILL_DAYS days that end
  # 7 hours before now, so that no measured click (the last BENCH_HOURS, at most 6) falls in an
  # hour of the prefill's rollups. Link k of the 100,000 is picked with probability ~ 1/sqrt(k)
  # (random()^2), the bench's pb links first. User agents: 12 real ones, 2 of them bots (~17 %);
  # 82 % IPv4 /24, 18 % IPv6 /48, 58 % with a referrer, a country for 95 %.
  sql "insert into bench_prefill_clicks
        (url_id, event_id, ip_address, user_agent, referrer, country, browser, os, device, is_bot, clicked_at)
      select l.ids[1 + floor(r.ru * r.ru * l.n)::int],
        (lpad(to_hex(floor(extract(epoch from r.t) * 1000)::bigint), 12, '0') || '7' || substr(r.h, 1, 3)
          || (array['8','9','a','b'])[1 + r.a % 4] || substr(r.h, 4, 15))::uuid,
        case when r.rip < 0.82 then (r.a % 223 + 1) || '.' || (r.a / 223 % 256) || '.' || (r.a / 57088 % 256) || '.0'
             else '2001:db8:' || to_hex(r.a % 65536) || '::' end,
        ua.agent[r.u],
        case when r.rref < 0.58 then (array['https://www.google.com/', 'https://t.co/', 'https://www.facebook.com/',
          'https://news.ycombinator.com/', 'https://www.reddit.com/', 'https://www.linkedin.com/feed/',
          'https://duckduckgo.com/', 'https://mail.google.com/'])[1 + r.a % 8] end,
        (array['US','DE','GB','FR','IN','BR','JP','CA','NL','ES','IT','PL','SE','AU','MX','KR','TR','ID','CH'])[1 + r.a % 20],
        ua.browser[r.u], ua.os[r.u], ua.device[r.u], r.u > 10, r.t
      from (select g,
              date_trunc('hour', now()) - interval '7 hours' - interval '$PREFILL_DAYS days'
                + (interval '$PREFILL_DAYS days') * (g::float8 / $PREFILL) + random() * interval '1 second' as t,
              md5(random()::text) as h, random() as ru, random() as rip, random() as rref,
              (random() * 2e9)::bigint as a, 1 + floor(random() * 12)::int as u
            from generate_series(1, $PREFILL) g) r,
        (select array_agg(id order by id) as ids, count(*) as n from urls
          where short_code like 'pb_____' or short_code like 'pf______') l,
        (select array['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
                      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
                      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
                      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
                      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
                      'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
                      'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
                      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
                      'Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1',
                      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
                      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
                      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'] as agent,
                array['Chrome 131','Edge 130','Safari 18.1','Safari 18.1','Chrome 131','Chrome 130','Firefox 133','Firefox 133',
                      'Safari 17.7','Chrome 131','Googlebot 2.1','facebookexternalhit 1.1'] as browser,
                array['Windows 10','Windows 10','Mac OS 10.15.7','iOS 18.1','Android 14','Android 14','Linux','Windows 10',
                      'iPadOS 17.7','Mac OS 10.15.7','Unknown','Unknown'] as os,
                array['Desktop','Desktop','Desktop','Phone','Phone','Phone','Desktop','Desktop','Tablet','Desktop',
                      'Robot','Robot'] as device) ua" >/dev/null
  log "prefill: $PREFILL rows inserted in $(elapsed_since "$step"); building the indexes clicks has"
  step=$(date +%s)
  sql "alter table bench_prefill_clicks add constraint bench_prefill_clicks_pkey primary key (id)" >/dev/null
  sql "alter table bench_prefill_clicks add constraint bench_prefill_clicks_event_id_key unique (event_id)" >/dev/null
  sql "create index bench_prefill_clicks_url_id_clicked_at_idx on bench_prefill_clicks (url_id, clicked_at)" >/dev/null
  # the foreign key is checked on every insert as on clicks; NOT VALID skips checking the prefill
  bench_psql -c "alter table bench_prefill_clicks add constraint bench_prefill_clicks_url_id_fkey
      foreign key (url_id) references urls (id) not valid" >/dev/null
  log "prefill: indexes built in $(elapsed_since "$step"); rolling the clicks up by hour"
  step=$(date +%s)
  bench_psql -c "create table bench_prefill_url_stats_hourly (like url_stats_hourly including defaults)" >/dev/null
  sql "insert into bench_prefill_url_stats_hourly (url_id, hour, is_bot, count)
      select url_id, date_trunc('hour', clicked_at), is_bot, count(*) from bench_prefill_clicks group by 1, 2, 3" >/dev/null
  sql "alter table bench_prefill_url_stats_hourly add constraint bench_prefill_url_stats_hourly_pkey primary key (url_id, hour, is_bot);
      alter table bench_prefill_url_stats_hourly add constraint bench_prefill_url_stats_hourly_url_id_fkey
        foreign key (url_id) references urls (id) not valid" >/dev/null
  bench_psql -c "create table bench_prefill_aggregated_events (like aggregated_events including all)" >/dev/null
  bench_psql -c "create table bench_prefill (rows bigint, links int, days int, ends_at timestamptz, max_id bigint,
      built_at timestamptz default now(), build_seconds int);
    insert into bench_prefill (rows, links, days, ends_at, max_id, build_seconds)
      select $PREFILL, $PREFILL_LINKS, $PREFILL_DAYS, date_trunc('hour', now()) - interval '7 hours',
             (select max(id) from bench_prefill_clicks), $(($(date +%s) - start))" >/dev/null
  bench_psql -c "vacuum analyze bench_prefill_clicks" >/dev/null
  bench_psql -c "vacuum analyze bench_prefill_url_stats_hourly" >/dev/null
  log "prefill: rollups and ANALYZE in $(elapsed_since "$step"); built in $(elapsed_since "$start")"
}

if prefill_matches; then
  log "prefill: reusing the $PREFILL clicks built $(bench_psql -c "select to_char(built_at, 'YYYY-MM-DD HH24:MI') || ' in ' || build_seconds || ' s' from bench_prefill")"
else
  build_prefill
fi

# 6. the backlog ----------------------------------------------------------------------------
run_tool produce "$LOG_DIR/produce.txt" produce --events "$EVENTS" --links "$LINKS" --seed "$SEED" --hours "$HOURS"

# 7. the measurements -----------------------------------------------------------------------
# batch_figures GROUP FILE — mean batch time and the upper bound of the bucket that holds the
# 99th percentile, in ms, from the worker's Prometheus histogram tinyscale_batch_seconds (each
# batch: enrich, write, commit), saved to FILE; "n/a n/a" when /metrics does not answer.
batch_figures() {
  curl -s --max-time 5 -o "$2" "http://127.0.0.1:$APP_PORT/metrics" || true
  touch "$2"
  awk -v g="group=\"tinyscale-$1\"" '
    index($0, "tinyscale_batch_seconds") == 1 && index($0, g) {
      v = $NF
      if ($0 ~ /^tinyscale_batch_seconds_sum/) sum = v
      else if ($0 ~ /^tinyscale_batch_seconds_count/) count = v
      else if ($0 ~ /^tinyscale_batch_seconds_bucket/) {
        match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5)
        n++; les[n] = le; cum[n] = v
      }
    }
    END {
      if (count == 0) { print "n/a n/a"; exit }
      p99 = "n/a"
      for (i = 1; i <= n; i++) if (cum[i] >= 0.99 * count) { p99 = les[i]; break }
      if (p99 == "+Inf") p99sh = ">30000"; else if (p99 == "n/a") p99sh = "n/a"; else p99sh = sprintf("<=%.0f", p99 * 1000)
      printf "%.1f %s\n", 1000 * sum / count, p99sh
    }' "$2"
}

# measure STATE GROUP ROUND — the packaged app as a worker that runs only GROUP, timed by the tool's
# watch from the group's first commit until it has caught up; the tables held ROWS_BEFORE rows
# (clicks, or aggregated_events) and COUNTED_BEFORE clicks (sum of url_stats_hourly.count).
measure() {
  local state=$1 group=$2 name=$2-$1-$3 worker watch status=0 rows_before counted_before
  if [[ $group == raw-writer ]]; then
    rows_before=$(bench_psql -c "select count(*) from clicks")
    counted_before=0
  else
    rows_before=$(bench_psql -c "select count(*) from aggregated_events")
    counted_before=$(bench_psql -c "select coalesce(sum(count), 0) from url_stats_hourly")
  fi
  export TINYSCALE_PIPELINE_GROUPS=$group TINYSCALE_CONSUMERS_PER_GROUP=$CONSUMERS TINYSCALE_KAFKA_PARTITIONS=$PARTITIONS
  launch_app "$APP_PORT" "$BENCH_HOME/app" worker "" "$LOG_DIR/worker-$name.log"
  worker=$APP_PID
  start_tool "watch $name" "$LOG_DIR/watch-$name.txt" watch --group "$group" --pid "$worker" \
    --broker-pid "$BROKER_PID" --rows-before "$rows_before" --counted-before "$counted_before"
  watch=$BG_PID
  finish_tool "$watch" || status=$?
  read -r "BATCH_MEAN[$name]" "BATCH_P99[$name]" < <(batch_figures "$group" "$LOG_DIR/metrics-$name.txt")
  stop_pid "$worker" 30
  APP_PID=""
  if ((status != 0)); then
    tail -n 30 "$LOG_DIR/worker-$name.log" | sed "s/^/  worker: /" >&2
    die "$name: the measurement failed (worker log: $LOG_DIR/worker-$name.log)"
  fi
  log "$name: $(result "$LOG_DIR/watch-$name.txt" rate) events/s; batches: mean ${BATCH_MEAN[$name]} ms, p99 ${BATCH_P99[$name]} ms"
}

# sizes — "table+indexes MB (table MB, index MB each)" of the tables in their current places
sizes() {
  bench_psql -c "analyze clicks; analyze url_stats_hourly; analyze aggregated_events" >/dev/null
  bench_psql -F ' ' -c "select c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid),
      coalesce((select string_agg(i.relname || '=' || pg_relation_size(i.oid), ',' order by i.relname)
        from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid), '-'),
      c.reltuples::bigint
    from pg_class c where c.relname in ('clicks', 'url_stats_hourly', 'aggregated_events') and c.relkind = 'r'
    order by c.relname" | awk '{
      printf "  %-18s %8.0f MB total, table %7.0f MB, ~%d rows; indexes:", $1, $2 / 1048576, $3 / 1048576, $5
      n = split($4, ix, ","); for (i = 1; i <= n; i++) { split(ix[i], kv, "="); printf " %s %.0f MB", kv[1], kv[2] / 1048576 }
      printf "\n" }'
}

declare -A BATCH_MEAN BATCH_P99
SIZES_EMPTY="" SIZES_PREFILLED=""
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round > 1)); then
    log "round $round of $ROUNDS: the app's click tables emptied again"
    run_tool reset-groups "$LOG_DIR/reset-groups.txt" reset-groups
    bench_psql -c "truncate clicks, url_stats_hourly, aggregated_events, consumer_offsets" >/dev/null
  fi
  for group in $GROUPS_MEASURED; do
    measure empty "$group" "$round"
  done
  SIZES_EMPTY=$(sizes)

  log "prefill: renaming the prefilled tables into place; aggregated_events gets the last week's event ids"
  run_tool reset-groups "$LOG_DIR/reset-groups.txt" reset-groups
  swap_in
  REFRESH_START=$(date +%s)
  # what the aggregator's pruning (Pipeline.EVENT_ID_MEMORY, 7 days) leaves: a week of event ids,
  # aggregated as long ago as they were clicked before the prefill's end (less an hour, so that the
  # worker's first pruning finds none of them: the check counts them)
  bench_psql -c "truncate aggregated_events;
    insert into aggregated_events (event_id, aggregated_at)
      select event_id, now() - ((select ends_at from bench_prefill) - clicked_at) from clicks
      where clicked_at > (select ends_at from bench_prefill) - interval '7 days' + interval '1 hour' and id <= (select max_id from bench_prefill)" >/dev/null
  bench_psql -c "analyze aggregated_events" >/dev/null
  log "prefill: aggregated_events refreshed in $(elapsed_since "$REFRESH_START")"
  for group in $GROUPS_MEASURED; do
    measure prefilled "$group" "$round"
  done
  SIZES_PREFILLED=$(sizes)
  swap_out
done

# 8. report ---------------------------------------------------------------------------------
rate() { result "$LOG_DIR/watch-$1.txt" rate; }
# per_event NAME KEY — µs of KEY (consumer_cpu_s, postgres_cpu_s) per event of that measurement
per_event() {
  awk -v s="$(result "$LOG_DIR/watch-$1.txt" "$2")" -v n="$(result "$LOG_DIR/watch-$1.txt" events)" \
    'BEGIN { if (n > 0) printf "%.1f", s * 1e6 / n; else print "n/a" }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row() { # LABEL NAME
  printf '%-28s %9s %8.2f %10.0f %10s %10s %6s%% %9s%% %10s %9s\n' "$1" \
    "$(result "$LOG_DIR/watch-$2.txt" events)" "$(result "$LOG_DIR/watch-$2.txt" seconds)" "$(rate "$2")" \
    "$(per_event "$2" consumer_cpu_s)" "$(per_event "$2" postgres_cpu_s)" \
    "$(result "$LOG_DIR/watch-$2.txt" busy_pct)" "$(result "$LOG_DIR/watch-$2.txt" pressure_pct)" \
    "${BATCH_MEAN[$2]}" "${BATCH_P99[$2]}"
}
PREFILL_LABEL=$(awk -v n="$PREFILL" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%dM rows", n / 1e6; else printf "%d rows", n }')
TIME=$(date +%Y%m%d-%H%M%S)
RESULTS_FILE=$RESULTS_DIR/pipeline-scale-$TIME.txt
TSV_FILE=$RESULTS_DIR/pipeline-scale-$TIME.tsv
# median over the rounds: of GROUP's rate in STATE, of its per-round ratio, of its Postgres µs/event
state_rate() { for ((r = 1; r <= ROUNDS; r++)); do rate "$1-$2-$r"; done | median; }
round_ratio() { awk -v a="$(rate "$1-prefilled-$2")" -v b="$(rate "$1-empty-$2")" 'BEGIN { printf "%.2f", a / b }'; }
REPORT=$(
  echo "pipeline-scale benchmark: $EVENTS new events ($LINKS links, $PARTITIONS partitions, $CONSUMERS consumers per group) into empty click tables, then into tables holding $PREFILL clicks ($PREFILL_LINKS links, $PREFILL_DAYS days), $ROUNDS round(s) alternating; $(nproc) CPUs, load before: $LOAD_BEFORE"
  printf '%-28s %9s %8s %10s %10s %10s %7s %10s %10s %9s\n' consumer events seconds events/s "worker µs" "PG µs" busy pressure "batch ms" "p99 ms"
  for ((r = 1; r <= ROUNDS; r++)); do
    for group in $GROUPS_MEASURED; do
      row "$group, empty, r$r" "$group-empty-$r"
      row "$group, $PREFILL_LABEL, r$r" "$group-prefilled-$r"
    done
  done
  echo "(events/s from each worker's first commit until caught up; worker µs, PG µs: CPU time of the worker and of the database's Postgres backends per event; batch: mean time to enrich, write and commit one batch, and the upper bound of the histogram bucket holding the 99th percentile)"
  echo "sizes, empty tables after the last round:"
  echo "$SIZES_EMPTY"
  echo "sizes, prefilled tables after the last round:"
  echo "$SIZES_PREFILLED"
  for group in $GROUPS_MEASURED; do
    per_round=$(for ((r = 1; r <= ROUNDS; r++)); do round_ratio "$group" "$r"; echo; done | tr '\n' ' ')
    pg_empty=$(for ((r = 1; r <= ROUNDS; r++)); do per_event "$group-empty-$r" postgres_cpu_s; echo; done | median)
    pg_full=$(for ((r = 1; r <= ROUNDS; r++)); do per_event "$group-prefilled-$r" postgres_cpu_s; echo; done | median)
    printf '%s: Postgres CPU per event %s µs empty, %s µs at %s\n' "$group" "$pg_empty" "$pg_full" "$PREFILL_LABEL"
    printf '%s: %.0f events/s empty, %.0f events/s at %s (medians of %d rounds), ratio %.2f (per round: %s)\n' "$group" \
      "$(state_rate "$group" empty)" "$(state_rate "$group" prefilled)" "$PREFILL_LABEL" "$ROUNDS" \
      "$(for ((r = 1; r <= ROUNDS; r++)); do round_ratio "$group" "$r"; echo; done | median)" "${per_round% }"
  done
  MAX_PRESSURE=$(for f in "$LOG_DIR"/watch-*-[0-9]*.txt; do result "$f" pressure_pct; done | sort -n | tail -n 1)
  if awk -v p="${MAX_PRESSURE:-0}" 'BEGIN{exit !(p > 20)}'; then
    echo "warning: other processes competed for the CPUs (CPU pressure up to ${MAX_PRESSURE}%): rates are lower than on an idle machine and the ratio moves with the neighbours; compare the per-event CPU"
  fi
)
{
  printf 'x'
  for group in $GROUPS_MEASURED; do printf '\t%s events/s' "$group"; done
  printf '\n'
  for state in empty prefilled; do
    if [[ $state == empty ]]; then printf 'empty'; else printf '%s' "$PREFILL_LABEL"; fi
    for group in $GROUPS_MEASURED; do printf '\t%.0f' "$(state_rate "$group" "$state")"; done
    printf '\n'
  done
} >"$TSV_FILE"
{
  echo "# ./tinyscale bench pipeline-scale, $(date -Iseconds), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "$REPORT"
} >"$RESULTS_FILE"
plot_chart bar "$TSV_FILE" "${TSV_FILE%.tsv}.png" "Click pipeline: empty clicks table vs $PREFILL_LABEL" "clicks table" "events/s"
log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}, figures in ${RESULTS_FILE#"$ROOT"/} and ${TSV_FILE#"$ROOT"/}"
echo "$REPORT"
