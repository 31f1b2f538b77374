#!/usr/bin/env bash
# ./tinyscale bench pipeline — how fast the click pipeline's batched consumers absorb a backlog,
# against a consumer that inserts and commits one event at a time, on the same data.
#
#   bench/pipeline.sh            (or ./tinyscale bench pipeline)
#
# Steps: build what is missing; engines through devstack, with a Kafka broker of the bench's own
# that starts empty on every run; schema, topic `clicks` created anew, the bench database's
# click tables emptied, 5,000 links; 1,000,000 synthetic click events on the topic; then the
# packaged app in role worker with only the raw writer (TINYSCALE_PIPELINE_GROUPS=raw-writer),
# timed from its first commit until it has caught up with the topic, and the same for the
# aggregator alone; each time the result is checked in Postgres; last the per-event consumer
# (one INSERT, one database commit and one Kafka commit per event) on the same topic, for at
# most 50,000 events or 60 s. Prints a table, then "raw writer: X events/s (target 30000)" and
# "batched/per-event ratio: X.X (target 20)".
#
# Settings (environment): BENCH_EVENTS (1000000), BENCH_LINKS (5000), BENCH_PARTITIONS (6),
# BENCH_CONSUMERS (2: consumer threads per group), BENCH_PER_EVENT_EVENTS (50000),
# BENCH_PER_EVENT_SECONDS (60), BENCH_HOURS (6: the events' times span this many hours),
# BENCH_SEED (42), BENCH_HEAP (512m: -Xmx of the worker and of the bench tool),
# BENCH_JAVA_OPTS (extra JVM flags of the worker), BENCH_JFR=1 (profile each worker while it
# catches up, and say where its time went), BENCH_APP_PORT (18190), BENCH_KAFKA_PORT (29292),
# BENCH_USE_ENV_ENGINES=1 (TINYSCALE_DB_*, TINYSCALE_REDIS_URL and TINYSCALE_KAFKA_BOOTSTRAP
# as given instead of devstack: the bench then deletes that broker's topic `clicks` and empties
# that database's click tables), JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran (whether or not the targets were met).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

EVENTS=${BENCH_EVENTS:-1000000}
LINKS=${BENCH_LINKS:-5000}
PARTITIONS=${BENCH_PARTITIONS:-6}
CONSUMERS=${BENCH_CONSUMERS:-2}
PER_EVENT_EVENTS=${BENCH_PER_EVENT_EVENTS:-50000}
PER_EVENT_SECONDS=${BENCH_PER_EVENT_SECONDS:-60}
HOURS=${BENCH_HOURS:-6}
SEED=${BENCH_SEED:-42}
APP_PORT=${BENCH_APP_PORT:-18190}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29292}
JFR=${BENCH_JFR:-0}
# The worker's live heap is about 150 MB (yauaa's analyzer alone ~115 MB, see core's UserAgents):
# in the 256 MB the redirect bench gives the server it collects twice a second. The same heap
# for the per-event consumer.
export BENCH_HEAP=${BENCH_HEAP:-512m}
whole_numbers EVENTS LINKS PARTITIONS CONSUMERS PER_EVENT_EVENTS PER_EVENT_SECONDS HOURS SEED APP_PORT KAFKA_PORT JFR
((EVENTS >= 10000 && LINKS >= 1 && LINKS <= 99999 && PARTITIONS >= 1 && CONSUMERS >= 1 && PER_EVENT_EVENTS >= 1 && PER_EVENT_SECONDS >= 1 && HOURS >= 1)) ||
  die "need BENCH_EVENTS >= 10000, 1 <= BENCH_LINKS <= 99999, and the other counts >= 1"

TARGET_RATE=30000
TARGET_RATIO=20

BENCH_HOME=$ROOT/.tinyscale/bench-pipeline
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
mkdir -p "$LOG_DIR" "$RESULTS_DIR"
APP_PID=""

stop_on_exit

cd "$ROOT"
RUN_START=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. tools, JDK, build ---------------------------------------------------------------------
require_tools setsid:util-linux pgrep:procps
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
for port in "$APP_PORT" "$KAFKA_PORT"; do
  port_in_use "$port" && die "127.0.0.1:$port is already in use: stop what listens there or set BENCH_APP_PORT/BENCH_KAFKA_PORT"
done

# 2. engines --------------------------------------------------------------------------------
# The bench deletes topic `clicks` and empties the click tables: only ever of engines it was
# pointed at explicitly, never of a broker or database that happens to be in the environment.
export TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT:-54439}
export TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT:-63909}
start_own_engines "$BENCH_HOME" tinyscale_bench_pipeline "$KAFKA_PORT"

# 3. the bench tool (bench/src) --------------------------------------------------------------
TOOL_CLASS=io.tinyscale.bench.PipelineBench

# 4. data -----------------------------------------------------------------------------------
run_tool prepare "$LOG_DIR/prepare.txt" prepare --partitions "$PARTITIONS" --links "$LINKS"
run_tool produce "$LOG_DIR/produce.txt" produce --events "$EVENTS" --links "$LINKS" --seed "$SEED" --hours "$HOURS"

# 5. the batched consumers, one group at a time ---------------------------------------------
# measure_group GROUP — the packaged app as a worker that runs only GROUP, timed by the tool's
# watch from the group's first commit until it has caught up; with BENCH_JFR=1 a JFR recording
# of that stretch (started when the first commit is seen, so start-up is not in it).
measure_group() {
  local group=$1 started=$LOG_DIR/$1.started out=$LOG_DIR/watch-$1.txt worker watch status=0 i
  local jfr_file=$LOG_DIR/worker-$1.jfr
  rm -f "$started" "$jfr_file"
  export TINYSCALE_PIPELINE_GROUPS=$group TINYSCALE_CONSUMERS_PER_GROUP=$CONSUMERS TINYSCALE_KAFKA_PARTITIONS=$PARTITIONS
  launch_app "$APP_PORT" "$BENCH_HOME/app" worker "" "$LOG_DIR/worker-$group.log"
  worker=$APP_PID
  start_tool "watch $group" "$out" watch --group "$group" --pid "$worker" --broker-pid "$BROKER_PID" --started-file "$started"
  watch=$BG_PID
  if [[ $JFR == 1 ]]; then
    for ((i = 0; i < 3000; i++)); do
      if [[ -e $started ]] || ! is_alive "$watch"; then break; fi
      sleep 0.1
    done
    if [[ -e $started ]]; then
      "$JAVA_HOME/bin/jcmd" "$worker" JFR.start name=pipeline settings=profile filename="$jfr_file" >"$LOG_DIR/jcmd-$group.txt" 2>&1 ||
        log "$group: JFR.start failed (see $LOG_DIR/jcmd-$group.txt)"
    fi
  fi
  finish_tool "$watch" || status=$?
  if [[ $JFR == 1 ]] && is_alive "$worker"; then
    "$JAVA_HOME/bin/jcmd" "$worker" JFR.stop name=pipeline >>"$LOG_DIR/jcmd-$group.txt" 2>&1 || true
  fi
  stop_pid "$worker" 30
  APP_PID=""
  if ((status != 0)); then
    tail -n 30 "$LOG_DIR/worker-$group.log" | sed "s/^/  worker: /" >&2
    die "$group: the measurement failed (worker log: $LOG_DIR/worker-$group.log)"
  fi
}

measure_group raw-writer
measure_group aggregator

# 6. the per-event baseline -----------------------------------------------------------------
PER_EVENT_ARGS=(--max-events "$PER_EVENT_EVENTS" --max-seconds "$PER_EVENT_SECONDS" --broker-pid "$BROKER_PID")
rm -f "$LOG_DIR/per-event.jfr"
[[ $JFR == 1 ]] && PER_EVENT_ARGS+=(--jfr "$LOG_DIR/per-event.jfr")
run_tool per-event "$LOG_DIR/per-event.txt" per-event "${PER_EVENT_ARGS[@]}"

# 7. where the time went (BENCH_JFR=1) ------------------------------------------------------
PROFILES=""
if [[ $JFR == 1 ]]; then
  for name in worker-raw-writer worker-aggregator per-event; do
    jfr_file=$LOG_DIR/$name.jfr
    threads='(raw-writer|aggregator)-\d+'
    [[ $name == per-event ]] && threads=main
    if [[ -s $jfr_file ]]; then
      "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$jfr_file" >"$LOG_DIR/$name-hot-methods.txt" 2>&1 || true
      run_tool "profile $name" "$LOG_DIR/$name-profile.txt" profile --threads "$threads" "$jfr_file"
      PROFILES+="$(cat "$LOG_DIR/$name-profile.txt")"$'\n'
      log "$name: JFR recording $jfr_file; jfr view hot-methods in ${LOG_DIR#"$ROOT"/}/$name-hot-methods.txt"
    else
      log "$name: no JFR recording (see the jcmd-*.txt files in $LOG_DIR)"
    fi
  done
fi

# 8. report ---------------------------------------------------------------------------------
row() { # LABEL FILE
  printf '%-12s %9s %8.2f %10.0f %12.1f %12.1f %10.1f %6s%% %9s%%\n' "$1" \
    "$(result "$2" events)" "$(result "$2" seconds)" "$(result "$2" rate)" "$(result "$2" consumer_cpu_s)" \
    "$(result "$2" postgres_cpu_s)" "$(result "$2" broker_cpu_s)" "$(result "$2" busy_pct)" "$(result "$2" pressure_pct)"
}
RAW_RATE=$(result "$LOG_DIR/watch-raw-writer.txt" rate)
AGG_RATE=$(result "$LOG_DIR/watch-aggregator.txt" rate)
PER_RATE=$(result "$LOG_DIR/per-event.txt" rate)
PER_EVENTS=$(result "$LOG_DIR/per-event.txt" events)
RATIO=$(awk -v a="$RAW_RATE" -v b="$PER_RATE" 'BEGIN{printf "%.1f", a / b}')
MAX_PRESSURE=$(for f in watch-raw-writer watch-aggregator per-event; do result "$LOG_DIR/$f.txt" pressure_pct; done | sort -n | tail -n 1)

REPORT=$(
  echo "pipeline benchmark: $EVENTS events, $LINKS links, $PARTITIONS partitions, $CONSUMERS consumers per group; topic clicks created anew on a broker started empty; $(nproc) CPUs, load before: $LOAD_BEFORE"
  printf '%-12s %9s %8s %10s %12s %12s %10s %7s %10s\n' consumer events seconds events/s "consumer CPU" "Postgres CPU" "broker CPU" busy pressure
  row "raw writer" "$LOG_DIR/watch-raw-writer.txt"
  row aggregator "$LOG_DIR/watch-aggregator.txt"
  row per-event "$LOG_DIR/per-event.txt"
  echo "(events/s from each consumer's first commit until caught up; CPU in seconds over that time; busy: both CPUs; pressure: share of time some task waited for a CPU)"
  echo "per-event: the first $PER_EVENTS events (limit: $PER_EVENT_EVENTS events or $PER_EVENT_SECONDS s, whichever came first)"
  if awk -v p="${MAX_PRESSURE:-0}" 'BEGIN{exit !(p > 20)}'; then
    echo "warning: other processes competed for the CPUs (CPU pressure up to ${MAX_PRESSURE}%): the rates are lower than on an idle machine"
  fi
  printf 'aggregator: %.0f events/s\n' "$AGG_RATE"
  printf 'per-event: %.0f events/s\n' "$PER_RATE"
  printf 'raw writer: %.0f events/s (target %d)\n' "$RAW_RATE" "$TARGET_RATE"
  printf 'batched/per-event ratio: %s (target %d)\n' "$RATIO" "$TARGET_RATIO"
  if awk -v r="$RAW_RATE" -v t="$TARGET_RATE" 'BEGIN{exit !(r >= t)}'; then
    echo "target met: raw writer >= $TARGET_RATE events/s"
  else
    echo "target missed: raw writer $(printf '%.0f' "$RAW_RATE") < $TARGET_RATE events/s"
  fi
  if awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN{exit !(r >= t)}'; then
    echo "target met: batched/per-event >= $TARGET_RATIO"
  else
    echo "target missed: batched/per-event $RATIO < $TARGET_RATIO"
  fi
)
RESULTS_FILE=$RESULTS_DIR/pipeline-$(date +%Y%m%d-%H%M%S).txt
{
  echo "# ./tinyscale bench pipeline, $(date -Iseconds), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "$REPORT"
  [[ -n $PROFILES ]] && echo "$PROFILES"
} >"$RESULTS_FILE"
[[ -n $PROFILES ]] && printf '%s' "$PROFILES" >&2
log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}, figures in ${RESULTS_FILE#"$ROOT"/}"
echo "$REPORT"
