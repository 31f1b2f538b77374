#!/usr/bin/env bash
# ./tinyscale bench analytics — the analytics side of TinyScale: how fast the search indexer bulk
# indexes a backlog of clicks into OpenSearch, how long the analytics API takes to answer over a
# month of them, and how soon a redirect shows in the analytics API and on the live stream (SSE).
#
#   bench/analytics.sh            (or ./tinyscale bench analytics)
#
# Steps: build what is missing; engines through devstack, with a Kafka broker that starts empty and
# an OpenSearch node, both the bench's own; schema, topic `clicks` created anew, the bench
# database's click tables emptied, TinyScale's indices on the bench's node deleted; the app in role
# server, through which the bench's user registers (an API key), then 10,000 links it owns (one SQL
# statement) and 1,000,000 synthetic click events over the last 30 days on the topic; the packaged
# app in role worker with only the search indexer (TINYSCALE_PIPELINE_GROUPS=indexer), timed from
# its first commit until it has caught up, then the index's count checked; p50/p95 over 200
# requests of a 30-day hourly histogram and of top countries for one link, and of the account's
# overview, through the API; last, for each batch window, the app in role all: 100 redirects of a
# fresh link, one at a time, each timed until the link's histogram counts it and until its event
# arrives on GET /api/stream/{code} (skipped, with a message, while the app has no such endpoint).
#
# Settings (environment): BENCH_EVENTS (1000000), BENCH_LINKS (10000), BENCH_DAYS (30: the events'
# times span this many days before the current hour), BENCH_PARTITIONS (6), BENCH_CONSUMERS (2:
# indexer threads), BENCH_SEED (42), BENCH_QUERIES (200: timed requests of each query),
# BENCH_QUERY_WARMUP (20), BENCH_REDIRECTS (100: redirects per batch window), BENCH_BATCH_WINDOWS
# ("default PT0.5S": TINYSCALE_BATCH_WINDOW of each freshness run; default = unset, the app's default),
# BENCH_HEAP (512m: -Xmx of the app and of the bench tool), BENCH_JAVA_OPTS (extra JVM flags of the
# app), BENCH_APP_PORT (18290: the app's API), BENCH_WORKER_PORT (18291: the indexing worker's),
# BENCH_KAFKA_PORT (29492), BENCH_OPENSEARCH_PORT (29592), BENCH_USE_ENV_ENGINES=1 (TINYSCALE_DB_*,
# TINYSCALE_REDIS_URL, TINYSCALE_KAFKA_BOOTSTRAP and TINYSCALE_OPENSEARCH_URL as given instead of
# devstack: the bench then deletes that broker's topic `clicks`, that node's TinyScale indices and
# empties that database's click tables), JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran (whether or not the targets were met).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

EVENTS=${BENCH_EVENTS:-1000000}
LINKS=${BENCH_LINKS:-10000}
DAYS=${BENCH_DAYS:-30}
PARTITIONS=${BENCH_PARTITIONS:-6}
CONSUMERS=${BENCH_CONSUMERS:-2}
SEED=${BENCH_SEED:-42}
QUERIES=${BENCH_QUERIES:-200}
QUERY_WARMUP=${BENCH_QUERY_WARMUP:-20}
REDIRECTS=${BENCH_REDIRECTS:-100}
read -r -a WINDOWS <<<"${BENCH_BATCH_WINDOWS:-default PT0.5S}"
APP_PORT=${BENCH_APP_PORT:-18290}
WORKER_PORT=${BENCH_WORKER_PORT:-18291}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29492}
OPENSEARCH_PORT=${BENCH_OPENSEARCH_PORT:-29592}
# The indexer builds the user agent analyzer (about 115 MB live, see core's UserAgents), as the
# other consumers do: the pipeline bench's heap.
export BENCH_HEAP=${BENCH_HEAP:-512m}
whole_numbers EVENTS LINKS DAYS PARTITIONS CONSUMERS SEED QUERIES QUERY_WARMUP REDIRECTS APP_PORT WORKER_PORT KAFKA_PORT OPENSEARCH_PORT
((EVENTS >= 10000 && LINKS >= 1 && LINKS <= 99999 && DAYS >= 1 && DAYS * 24 <= 2000 && PARTITIONS >= 1 && CONSUMERS >= 1 && QUERIES >= 1 && REDIRECTS >= 1)) ||
  die "need BENCH_EVENTS >= 10000, 1 <= BENCH_LINKS <= 99999, 1 <= BENCH_DAYS <= 83 (at most 2,000 hourly buckets), and the other counts >= 1"
((${#WINDOWS[@]} > 0)) || die "BENCH_BATCH_WINDOWS is empty: give at least one window, e.g. 'default PT0.5S'"
for window in "${WINDOWS[@]}"; do
  [[ $window == default || $window =~ ^PT[0-9.]+S$ ]] || die "BENCH_BATCH_WINDOWS: '$window' is neither 'default' nor a duration such as PT0.5S"
done

TARGET_ANALYTICS_P95_MS=5000
TARGET_SSE_P95_MS=1000

BENCH_HOME=$ROOT/.tinyscale/bench-analytics
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
KEY_FILE=$BENCH_HOME/api-key
APP_URL=http://127.0.0.1:$APP_PORT
mkdir -p "$LOG_DIR" "$RESULTS_DIR"
APP_PID=""

stop_on_exit

cd "$ROOT"
RUN_START=$(date +%s)
# the commit the run starts from (one made while it runs would be misattributed at the end)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. tools, JDK, build ---------------------------------------------------------------------
require_tools setsid:util-linux pgrep:procps curl:curl
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
for port in "$APP_PORT" "$WORKER_PORT" "$KAFKA_PORT" "$OPENSEARCH_PORT"; do
  port_in_use "$port" && die "127.0.0.1:$port is already in use: stop what listens there or set BENCH_APP_PORT/BENCH_WORKER_PORT/BENCH_KAFKA_PORT/BENCH_OPENSEARCH_PORT"
done

# 2. engines --------------------------------------------------------------------------------
export TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT:-54449}
export TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT:-63919}
start_own_engines "$BENCH_HOME" tinyscale_bench_analytics "$KAFKA_PORT" "$OPENSEARCH_PORT"
[[ -n ${TINYSCALE_OPENSEARCH_URL:-} ]] || die "devstack wrote no TINYSCALE_OPENSEARCH_URL"
# the app's click journals of earlier runs hold clicks of links that prepare deletes
rm -rf "$BENCH_HOME/app" "$BENCH_HOME/worker"
TOOL_CLASS=io.tinyscale.bench.AnalyticsBench
# every app process of the bench: the search indexer alone among the consumer groups
export TINYSCALE_PIPELINE_GROUPS=indexer TINYSCALE_CONSUMERS_PER_GROUP=$CONSUMERS TINYSCALE_KAFKA_PARTITIONS=$PARTITIONS
unset TINYSCALE_BATCH_WINDOW TINYSCALE_EXPOSE_EVENT_ID

# start_role ROLE PORT HOME NAME — the app in ROLE, not pinned, once it is ready; sets APP_PID
start_role() {
  local start
  start=$(date +%s)
  launch_app "$2" "$3" "$1" "" "$LOG_DIR/$4.log"
  await_app_ready "$2" "$LOG_DIR/$4.log" "$start"
}

# 3. data -----------------------------------------------------------------------------------
run_tool prepare "$LOG_DIR/prepare.txt" prepare --partitions "$PARTITIONS"
start_role server "$APP_PORT" "$BENCH_HOME/app" app-server
SERVER_PID=$APP_PID
run_tool links "$LOG_DIR/links.txt" links --app "$APP_URL" --links "$LINKS" --key-file "$KEY_FILE"
run_tool produce "$LOG_DIR/produce.txt" produce --events "$EVENTS" --links "$LINKS" --seed "$SEED" --days "$DAYS"
FROM=$(result "$LOG_DIR/produce.txt" from)
TO=$(result "$LOG_DIR/produce.txt" to)

# 4. bulk indexing: the worker with the search indexer alone --------------------------------
launch_app "$WORKER_PORT" "$BENCH_HOME/worker" worker "" "$LOG_DIR/worker-indexer.log"
WORKER_PID=$APP_PID
status=0
start_tool "watch indexer" "$LOG_DIR/watch-indexer.txt" watch --pid "$WORKER_PID" --broker-pid "$BROKER_PID" --search-pid "$SEARCH_PID"
finish_tool "$BG_PID" || status=$?
stop_pid "$WORKER_PID" 30
if ((status != 0)); then
  tail -n 30 "$LOG_DIR/worker-indexer.log" | sed "s/^/  worker: /" >&2
  die "indexer: the measurement failed (worker log: $LOG_DIR/worker-indexer.log)"
fi

# 5. query latency, through the API of the app in role server --------------------------------
APP_PID=$SERVER_PID
run_tool queries "$LOG_DIR/queries.txt" queries --app "$APP_URL" --key-file "$KEY_FILE" \
  --from "$FROM" --to "$TO" --events "$EVENTS" --links "$LINKS" --requests "$QUERIES" --warmup "$QUERY_WARMUP"
stop_pid "$SERVER_PID" 30

# 6. freshness: the app in role all, once per batch window ------------------------------------
for window in "${WINDOWS[@]}"; do
  if [[ $window == default ]]; then unset TINYSCALE_BATCH_WINDOW; else export TINYSCALE_BATCH_WINDOW=$window; fi
  # the redirect names its click's event id, which the live stream's events carry
  export TINYSCALE_EXPOSE_EVENT_ID=true
  start_role all "$APP_PORT" "$BENCH_HOME/app" "app-all-$window"
  run_tool "freshness $window" "$LOG_DIR/freshness-$window.txt" freshness --app "$APP_URL" \
    --key-file "$KEY_FILE" --label "$window" --redirects "$REDIRECTS"
  stop_pid "$APP_PID" 30
  APP_PID=""
done
unset TINYSCALE_BATCH_WINDOW TINYSCALE_EXPOSE_EVENT_ID

# 7. report ---------------------------------------------------------------------------------
W=$LOG_DIR/watch-indexer.txt
Q=$LOG_DIR/queries.txt
RATE=$(result "$W" rate)
PRESSURE=$(result "$W" pressure_pct)
query_row() { # LABEL NAME
  printf '  %-72s %7s %7s %9s %7s\n' "$1" \
    "$(result "$Q" p50_ms "name=$2 cache=cleared")" "$(result "$Q" p95_ms "name=$2 cache=cleared")" \
    "$(result "$Q" p50_ms "name=$2 cache=repeated")" "$(result "$Q" p95_ms "name=$2 cache=repeated")"
}
# target_line WHAT P95_MS TARGET_MS
target_line() {
  if awk -v p="$2" -v t="$3" 'BEGIN{exit !(p < t)}'; then
    echo "target met: $1 p95 $2 ms < $3 ms"
  else
    echo "target missed: $1 p95 $2 ms >= $3 ms"
  fi
}
REPORT=$(
  echo "analytics benchmark: $EVENTS events over $DAYS days ($FROM to $TO), $LINKS links of one account, $PARTITIONS partitions, $CONSUMERS indexer threads; $(nproc) CPUs, load before: $LOAD_BEFORE"
  echo "bulk indexing, the search indexer alone (worker -Xmx$BENCH_HEAP), from its first commit until caught up:"
  printf '  %s events in %s s: %.0f events/s; CPU seconds: worker %s, OpenSearch %s, broker %s, Postgres %s; CPUs busy %s%%, pressure %s%%\n' \
    "$(result "$W" events)" "$(result "$W" seconds)" "$RATE" "$(result "$W" consumer_cpu_s)" "$(result "$W" search_cpu_s)" \
    "$(result "$W" broker_cpu_s)" "$(result "$W" postgres_cpu_s)" "$(result "$W" busy_pct)" "$PRESSURE"
  echo "  check: $EVENTS documents in tinyscale-clicks (GET _count after a refresh) = events on the topic"
  echo "query latency through the app's API (role server), one client, $QUERIES requests of each after $QUERY_WARMUP of warm-up, in ms:"
  printf '  %-72s %15s %17s\n' "" "cache cleared" "repeated"
  printf '  %-72s %7s %7s %9s %7s\n' query p50 p95 p50 p95
  query_row "histogram of $(result "$Q" code), hourly, $DAYS days ($(result "$Q" buckets) buckets, $(result "$Q" buckets_with_data) with clicks)" histogram
  query_row "top countries of $(result "$Q" code), $DAYS days ($(result "$Q" link_clicks) clicks by people)" countries
  query_row "overview of the account ($(result "$Q" account_links) links, $(result "$Q" expected_clicks) clicks)" overview
  echo "  (cache cleared: OpenSearch's request cache emptied before the request, so the aggregation runs; repeated: the same request again, answered from that cache)"
  if [[ $(result "$Q" account_clicks) != "$(result "$Q" expected_clicks)" || $(result "$Q" account_humans) != "$(result "$Q" expected_humans)" ]]; then
    echo "  warning: the overview answered totalClicks $(result "$Q" account_clicks), humanClicks $(result "$Q" account_humans); OpenSearch holds $(result "$Q" expected_clicks) clicks of the account, $(result "$Q" expected_humans) by people"
  fi
  echo "freshness: redirect answered -> counted in the link's histogram / -> its event on GET /api/stream/{code}; $REDIRECTS redirects one at a time, polled every 50 ms, in ms:"
  for window in "${WINDOWS[@]}"; do
    F=$LOG_DIR/freshness-$window.txt
    label="TINYSCALE_BATCH_WINDOW=$window"
    [[ $window == default ]] && label="TINYSCALE_BATCH_WINDOW unset (the default)"
    printf '  %-40s analytics p50 %s p95 %s max %s (indexer batch write: %s ms mean)\n' "$label" \
      "$(result "$F" p50_ms name=analytics)" "$(result "$F" p95_ms name=analytics)" "$(result "$F" max_ms name=analytics)" \
      "$(result "$F" batch_write_ms name=analytics)"
    absent=$(result "$F" absent name=sse)
    if [[ -n $absent ]]; then
      case $absent in
      http-404 | http-405) printf '  %-40s SSE not measured: GET /api/stream/{code} answered %s (no live stream in this build)\n' "" "${absent#http-}" ;;
      *) printf '  %-40s SSE not measured: %s (see the freshness log)\n' "" "$absent" ;;
      esac
    else
      printf '  %-40s SSE p50 %s p95 %s max %s (%s events not received)\n' "" \
        "$(result "$F" p50_ms name=sse)" "$(result "$F" p95_ms name=sse)" "$(result "$F" max_ms name=sse)" "$(result "$F" missing name=sse)"
    fi
  done
  if awk -v p="${PRESSURE:-0}" 'BEGIN{exit !(p > 20)}'; then
    echo "warning: other processes competed for the CPUs while indexing (CPU pressure ${PRESSURE}%): the rate is lower than on an idle machine"
  fi
  for window in "${WINDOWS[@]}"; do
    F=$LOG_DIR/freshness-$window.txt
    target_line "analytics freshness ($window)" "$(result "$F" p95_ms name=analytics)" "$TARGET_ANALYTICS_P95_MS"
    [[ -n $(result "$F" p95_ms name=sse) ]] && target_line "SSE freshness ($window)" "$(result "$F" p95_ms name=sse)" "$TARGET_SSE_P95_MS"
  done
  printf 'indexing: %.0f events/s\n' "$RATE"
)
RESULTS_FILE=$RESULTS_DIR/analytics-$(date +%Y%m%d-%H%M%S).txt
{
  echo "# ./tinyscale bench analytics, started $(date -d "@$RUN_START" -Iseconds), commit $COMMIT"
  echo "$REPORT"
} >"$RESULTS_FILE"
log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}, figures in ${RESULTS_FILE#"$ROOT"/}"
echo "$REPORT"
