#!/usr/bin/env bash
# ./tinyscale bench dashboard — the dashboard as its users get it: the size of what the browser
# downloads (the initial JavaScript and CSS, gzipped as the app serves them, and each chunk loaded
# later), and how soon a click on a short link shows in the open dashboard's live view.
#
#   bench/dashboard.sh            (or ./tinyscale bench dashboard)
#
# Steps: build what is missing; engines through devstack (found or started as for ./tinyscale up,
# with ports and a database of the bench's own); the packaged app in role all on a port of its own;
# then dashboard/e2e/bench-live.mjs (through dashboard/npm.sh): the bundle fetched from the app,
# then Debian's Chromium (playwright-core) registers, logs in, creates a link and opens its
# analytics page; Node follows the short link with a desktop Firefox's User-Agent, one click at a
# time (a few warm-up clicks first), and each click is timed from sending the redirect until a new
# <li> joins the page's "Latest clicks" feed, and until "People" counts it.
#
# Settings (environment): BENCH_CLICKS (50: timed clicks), BENCH_WARMUP_CLICKS (3),
# BENCH_HEAP (512m: -Xmx of the app), BENCH_JAVA_OPTS (extra JVM flags of the app),
# BENCH_APP_PORT (18390), BENCH_KAFKA_PORT (29692) and BENCH_OPENSEARCH_PORT (29792): where devstack
# starts a broker and a node when none is found, BENCH_USE_ENV_ENGINES=1 (TINYSCALE_DB_* and
# TINYSCALE_REDIS_URL as given, and TINYSCALE_KAFKA_BOOTSTRAP / TINYSCALE_OPENSEARCH_URL when set,
# instead of devstack), TINYSCALE_CHROMIUM (/usr/bin/chromium), JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran (whether or not the targets were met).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

CLICKS=${BENCH_CLICKS:-50}
WARMUP=${BENCH_WARMUP_CLICKS:-3}
APP_PORT=${BENCH_APP_PORT:-18390}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29692}
OPENSEARCH_PORT=${BENCH_OPENSEARCH_PORT:-29792}
export BENCH_HEAP=${BENCH_HEAP:-512m}
whole_numbers CLICKS WARMUP APP_PORT KAFKA_PORT OPENSEARCH_PORT
((CLICKS >= 1)) || die "BENCH_CLICKS must be at least 1"

TARGET_FEED_P95_MS=1500
TARGET_INITIAL_JS_KB=250

BENCH_HOME=$ROOT/.tinyscale/bench-dashboard
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
APP_URL=http://127.0.0.1:$APP_PORT
OUT=$LOG_DIR/bench-live.txt
mkdir -p "$LOG_DIR" "$RESULTS_DIR"

stop_on_exit

cd "$ROOT"
RUN_START=$(date +%s)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. tools, JDK, build ---------------------------------------------------------------------
require_tools setsid:util-linux pgrep:procps curl:curl
CHROMIUM=${TINYSCALE_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $CHROMIUM ]]; then
  [[ -z ${TINYSCALE_CHROMIUM:-} ]] || die "TINYSCALE_CHROMIUM=$CHROMIUM is not an executable"
  require_tools chromium:chromium
fi
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
port_in_use "$APP_PORT" && die "127.0.0.1:$APP_PORT is already in use: stop what listens there or set BENCH_APP_PORT"

# 2. engines and the app ---------------------------------------------------------------------
export TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT:-54459}
export TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT:-63929}
export TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=$KAFKA_PORT TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT=$OPENSEARCH_PORT
start_engines "$BENCH_HOME" tinyscale_bench_dashboard
# the redirect names its click's event id, which the live stream's events carry: the page's
# first event after a redirect must be that click's
export TINYSCALE_EXPOSE_EVENT_ID=true
unset TINYSCALE_PIPELINE_GROUPS TINYSCALE_BATCH_WINDOW
app_start=$(date +%s)
launch_app "$APP_PORT" "$BENCH_HOME/app" all "" "$LOG_DIR/app.log"
await_app_ready "$APP_PORT" "$LOG_DIR/app.log" "$app_start"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$APP_URL/dashboard/" || true)
[[ $code == 200 ]] || die "GET /dashboard/ answered ${code:-nothing}: the app was built without the dashboard (mvn -q -B -DskipTests package builds both)"

# 3. the browser -------------------------------------------------------------------------------
log "bundle and live view: dashboard/e2e/bench-live.mjs against $APP_URL, $CLICKS clicks after $WARMUP warm-up (progress below; log ${LOG_DIR#"$ROOT"/}/bench-live.log)"
: >"$LOG_DIR/bench-live.log"
setsid bash "$ROOT/dashboard/npm.sh" bench-live -- "$APP_URL" "$CLICKS" "$WARMUP" "$LOG_DIR/bench-live-failed.png" \
  >"$OUT" 2>"$LOG_DIR/bench-live.log" </dev/null &
NODE_PID=$!
BENCH_PIDS+=("$NODE_PID")
BENCH_NAMES[$NODE_PID]=bench-live
tail -n +1 -f --pid="$NODE_PID" "$LOG_DIR/bench-live.log" >&2 &
status=0
wait "$NODE_PID" || status=$?
stop_pid "$NODE_PID" 1
((status == 0)) || die "bench-live failed (exit $status; see ${LOG_DIR#"$ROOT"/}/bench-live.log and $OUT)"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# 4. report -------------------------------------------------------------------------------------
# target_line WHAT VALUE TARGET UNIT
target_line() {
  if awk -v v="$2" -v t="$3" 'BEGIN{exit !(v < t)}'; then
    echo "target met: $1 $2 $4 < $3 $4"
  else
    echo "target missed: $1 $2 $4 >= $3 $4"
  fi
}
REPORT=$(
  echo "dashboard benchmark: the app in role all on 127.0.0.1:$APP_PORT, Chromium $("$CHROMIUM" --version 2>/dev/null | awk '{print $2}'); $(nproc) CPUs, load (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
  grep -v '^RESULT ' "$OUT"
  target_line "initial JavaScript, gzipped:" "$(result "$OUT" initial_js_gzip_kb name=bundle)" "$TARGET_INITIAL_JS_KB" KB
  if [[ $(result "$OUT" count name=feed) == 0 ]]; then
    echo "target missed: no click reached the live feed"
  else
    target_line "redirect -> new click in the live feed, p95" "$(result "$OUT" p95_ms name=feed)" "$TARGET_FEED_P95_MS" ms
  fi
  odd=$(result "$OUT" odd name=checks)
  ((odd == 0)) || echo "warning: $odd odd thing(s) in the live view, listed above ('odd:')"
)
RESULTS_FILE=$RESULTS_DIR/dashboard-$(date +%Y%m%d-%H%M%S).txt
{
  echo "# ./tinyscale bench dashboard, started $(date -d "@$RUN_START" -Iseconds), commit $COMMIT"
  echo "$REPORT"
} >"$RESULTS_FILE"
log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}, figures in ${RESULTS_FILE#"$ROOT"/}"
echo "$REPORT"
