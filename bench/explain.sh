#!/usr/bin/env bash
# ./tinyscale bench explain — EXPLAIN (ANALYZE, BUFFERS) of the queries that matter (the
# redirect's cache miss, GET /api/links and its sorts, the stats and analytics queries, the
# search index's change feed, the aggregator's writes) on a database of realistic volume.
#
#   bench/explain.sh      (or ./tinyscale bench explain)
#
# Steps: create the database when missing, on a Postgres that must be running (the machine's,
# 127.0.0.1:5432, by default); apply the app's Flyway migrations; seed it with
# bench/explain/seed.sql (SQL generate_series: 1,000,000 links, 3,000,000 clicks and their hourly
# rollups; 4-7 minutes), or reuse the data when its counts match; vacuum analyze; then
# io.tinyscale.bench.QueryPlans builds each query as the app's repository does (jOOQ), runs it
# once to warm the cache and prints the plan of a second run. Writes are rolled back.
#
# Settings (environment): BENCH_PG_HOST (127.0.0.1), BENCH_PG_PORT (5432), BENCH_PG_USER
# (postgres), PGPASSWORD, BENCH_DATABASE (tinyscale_explain: the bench empties its tables when
# the data does not match), BENCH_USERS (10000), BENCH_LINKS (1000000), BENCH_HEAVY_LINKS
# (100000: the links of the largest account), BENCH_CLICKS (3000000), BENCH_DAYS (90: the clicks'
# time span), BENCH_RESEED (1: seed anew even when the data matches), JAVA_HOME (a JDK 25).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
DATABASE=${BENCH_DATABASE:-tinyscale_explain}
USERS=${BENCH_USERS:-10000}
LINKS=${BENCH_LINKS:-1000000}
HEAVY_LINKS=${BENCH_HEAVY_LINKS:-100000}
CLICKS=${BENCH_CLICKS:-3000000}
DAYS=${BENCH_DAYS:-90}
whole_numbers PG_PORT USERS LINKS HEAVY_LINKS CLICKS DAYS
[[ $DATABASE =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DATABASE must be a plain lower-case name, not '$DATABASE'"
((USERS >= 2 && HEAVY_LINKS < LINKS)) || die "BENCH_USERS must be at least 2 and BENCH_HEAVY_LINKS below BENCH_LINKS"

BENCH_HOME=$ROOT/.tinyscale/bench-explain
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
mkdir -p "$LOG_DIR" "$RESULTS_DIR"
stop_on_exit
cd "$ROOT"

require_tools psql:postgresql-client
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_bench_built 'io/tinyscale/bench/QueryPlans.class' 'lacks QueryPlans'

export TINYSCALE_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DATABASE"
export TINYSCALE_DB_USER=$PG_USER TINYSCALE_DB_PASSWORD=${PGPASSWORD:-}
pg() { # DATABASE psql-arguments...
  local db=$1
  shift
  PGCONNECT_TIMEOUT=10 psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" "$@"
}
tool() {
  "$JAVA_HOME/bin/java" "@$ROOT/lib/jvm.options" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$ROOT/$BENCH_JAR:$ROOT/$BENCH_LIB/*" io.tinyscale.bench.QueryPlans "$@"
}

pg postgres -c 'select 1' >/dev/null 2>&1 ||
  die "no Postgres answers on $PG_HOST:$PG_PORT as $PG_USER: start one (or set BENCH_PG_HOST, BENCH_PG_PORT, BENCH_PG_USER, PGPASSWORD)"
if [[ -z $(pg postgres -c "select 1 from pg_database where datname = '$DATABASE'") ]]; then
  log "creating database $DATABASE on $PG_HOST:$PG_PORT"
  pg postgres -c "create database $DATABASE" >/dev/null
fi
log "schema: the app's Flyway migrations"
tool migrate 2>"$LOG_DIR/migrate.log" || {
  sed 's/^/  migrate: /' "$LOG_DIR/migrate.log" >&2
  die "the migrations failed (log $LOG_DIR/migrate.log)"
}

counts=$(pg "$DATABASE" -c "select (select count(*) from users) || ' ' || (select count(*) from urls) || ' ' || (select count(*) from clicks)")
if [[ $counts == "$USERS $LINKS $CLICKS" && ${BENCH_RESEED:-0} != 1 ]]; then
  log "data: reusing $USERS users, $LINKS links, $CLICKS clicks in $DATABASE"
else
  start=$(date +%s)
  log "data: found users/links/clicks $counts; seeding $USERS users, $LINKS links ($HEAVY_LINKS of one account), $CLICKS clicks over $DAYS days (a few minutes; log ${LOG_DIR#"$ROOT"/}/seed.log)"
  pg "$DATABASE" -c 'truncate users, api_keys, urls, clicks, url_stats_hourly, aggregated_events, consumer_offsets restart identity' >/dev/null
  pg "$DATABASE" -v users="$USERS" -v links="$LINKS" -v heavy_links="$HEAVY_LINKS" -v clicks="$CLICKS" \
    -v days="$DAYS" -f "$BENCH_DIR/explain/seed.sql" >"$LOG_DIR/seed.log" 2>&1 ||
    die "seeding failed (log $LOG_DIR/seed.log)"
  log "data: seeded in $(elapsed_since "$start")"
fi
start=$(date +%s)
pg "$DATABASE" -c 'vacuum analyze' >/dev/null
log "vacuum analyze: $(elapsed_since "$start"); sizes: $(pg "$DATABASE" -c "select string_agg(relname || ' ' || pg_size_pretty(pg_total_relation_size(relid)), ', ' order by relname) from pg_stat_user_tables where relname <> 'flyway_schema_history'")"

REPORT=$RESULTS_DIR/explain-$(date +%Y%m%d-%H%M%S).txt
log "plans (load average before: $(cut -d' ' -f1-3 /proc/loadavg); Postgres $(pg "$DATABASE" -c 'show server_version'), shared_buffers $(pg "$DATABASE" -c 'show shared_buffers'), work_mem $(pg "$DATABASE" -c 'show work_mem'))"
pressure_before=$(cpu_pressure_us)
start_ns=$(date +%s%N)
tool plans | tee "$REPORT"
pressure_after=$(cpu_pressure_us)
if [[ -n $pressure_before && -n $pressure_after ]]; then
  awk -v a="$pressure_before" -v b="$pressure_after" -v t="$(($(date +%s%N) - start_ns))" \
    'BEGIN{printf "CPU pressure (some) during the plans: %.0f %% of the time (timings are high by about that much)\n", 100 * (b - a) / (t / 1000)}' | tee -a "$REPORT"
fi
log "plans saved in ${REPORT#"$ROOT"/}"
