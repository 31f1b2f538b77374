#!/usr/bin/env bash
# ./tinyscale bench latency — the redirect's latency under a fixed request rate (an open model:
# requests sent on a schedule, whatever the answers do), at 50 % and 80 % of the saturation rate.
#
#   bench/latency.sh            (or ./tinyscale bench latency)
#
# Steps: build what is missing; engines through devstack; the app on CPU 0 as `redirect` starts it;
# 100,000 links (reused by later runs); every code requested once (cache warm). The saturation rate:
# `wrk -t1 -c64 --latency` on CPU 1 (a closed loop: a random code per request) for DURATION seconds
# after a WARMUP, unless SATURATION_RPS gives it. Then, per level of LEVELS, the open-model client
# (io.tinyscale.bench.OpenModelClient, on CPU 1) at that share of it: a request every 1/rate
# seconds over a pool of keep-alive connections, each request's latency counted from its intended
# send time (no coordinated omission), WARMUP seconds not recorded, then DURATION seconds recorded.
# Prints a table (offered and answered rate, p50/p99/p99.9/max, errors, the generator's schedule
# lag, the generator's and the server's CPU), "p99 at 80 % of saturation: X ms (target < 5 ms):
# met|missed" and whether the generator held its rate. Writes a TSV of the figures for a chart.
#
# Settings (environment): DURATION (20 s per run), WARMUP (10 s), LEVELS ("50 80": percent of the
# saturation rate), SATURATION_RPS (none: measured with wrk), PROBE (1: when the generator ran out
# of CPU at 80 %, lower levels 10 points apart until one is held, at most PROBE_MAX (4) more runs;
# 0: none), CONNECTIONS (64: wrk's, and the open model's pool to start with), MAX_CONNECTIONS (256:
# the pool's cap), BENCH_TIMEOUT_MS (2000: a request unanswered this long counts as a timeout),
# BENCH_LINKS (100000), BENCH_APP_PORT (18580),
# BENCH_HOME (.tinyscale/bench-latency), BENCH_DATABASE (tinyscale_bench_latency), BENCH_REDIS_DB
# (13: a Redis database of the bench's own), BENCH_KAFKA_PORT (29894, where devstack starts a
# broker when it finds none), BENCH_HEAP (256m, the app's -Xmx), BENCH_JAVA_OPTS,
# BENCH_USE_ENV_ENGINES=1 (use TINYSCALE_DB_*/TINYSCALE_REDIS_URL as given), JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran (whether or not the target was met).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-64}
MAX_CONNECTIONS=${MAX_CONNECTIONS:-256}
TIMEOUT_MS=${BENCH_TIMEOUT_MS:-2000}
LINKS=${BENCH_LINKS:-100000}
APP_PORT=${BENCH_APP_PORT:-18580}
REDIS_DB=${BENCH_REDIS_DB:-13}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29894}
SATURATION=${SATURATION_RPS:-}
PROBE=${PROBE:-1}
PROBE_MAX=${PROBE_MAX:-4}
read -r -a LEVEL_LIST <<<"${LEVELS:-50 80}"
whole_numbers DURATION WARMUP CONNECTIONS MAX_CONNECTIONS TIMEOUT_MS LINKS APP_PORT REDIS_DB KAFKA_PORT PROBE PROBE_MAX
((DURATION >= 1 && CONNECTIONS >= 1 && LINKS >= 1 && LINKS <= 9999999)) ||
  die "need DURATION, CONNECTIONS >= 1 and 1 <= BENCH_LINKS <= 9999999"
((${#LEVEL_LIST[@]} >= 1)) || die "LEVELS names no level"
for level in "${LEVEL_LIST[@]}"; do
  if ! [[ $level =~ ^[0-9]+$ ]] || ((level < 1)); then die "LEVELS must be whole percentages >= 1, not '$level'"; fi
done
[[ -z $SATURATION || $SATURATION =~ ^[0-9]+$ ]] || die "SATURATION_RPS must be a whole number of requests/s, not '$SATURATION'"

TARGET_LEVEL=80
TARGET_P99_US=5000
# the generator held its rate: answers within 1 % of the offered rate, schedule lag p99 < 1 ms
HELD_SHARE=0.99
HELD_LAG_US=1000

BENCH_HOME=${BENCH_HOME:-$ROOT/.tinyscale/bench-latency}
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
mkdir -p "$LOG_DIR" "$RESULTS_DIR"
stop_on_exit
cd "$ROOT"
RUN_START=$(date +%s)
STAMP=$(date +%Y%m%d-%H%M%S)

# 1. tools, JDK, build -------------------------------------------------------------------
require_tools wrk:wrk curl:curl psql:postgresql-client taskset:util-linux setsid:util-linux pgrep:procps
(($(nproc) >= 2)) || die "this benchmark pins the app to CPU 0 and the load generators to CPU 1: it needs 2 CPUs, this machine has $(nproc)"
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
port_in_use "$APP_PORT" && die "127.0.0.1:$APP_PORT is already in use: stop what listens there or set BENCH_APP_PORT"

# 2. engines, the app, data, warm cache ---------------------------------------------------
# the runs and the walk can outlast the L1's default 10 minutes (the cache bench does the same)
export TINYSCALE_CACHE_L1_TTL=PT1H
export TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT:-$KAFKA_PORT}
start_engines "$BENCH_HOME" "${BENCH_DATABASE:-tinyscale_bench_latency}"
use_redis_database "$REDIS_DB"
pin_broker_to_wrk_cpu "$BENCH_HOME"
# the broker ingests a click per redirect on the generator's core: its CPU is read per level too
BROKER_PID=$(pgrep -f "KafkaBrokerMain .*$BENCH_HOME/kafka/" | head -n 1 || true)
start_app "$APP_PORT" "$BENCH_HOME/app"
seed_links "$APP_PORT" "$LINKS"
check_redirect tinyscale "$APP_PORT"
warm_cache "$APP_PORT" "$LINKS" walk

# 3. the saturation rate: wrk's closed loop ----------------------------------------------
SATURATION_SOURCE="SATURATION_RPS"
SATURATION_LINE=""
if [[ -z $SATURATION ]]; then
  if ((WARMUP > 0)); then
    log "saturation: warm-up, ${WARMUP}s (not counted)"
    random_codes_run saturation "$APP_PID" "$APP_PORT" "$WARMUP" "$LOG_DIR/wrk-warmup.txt"
  fi
  log "saturation: wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency -s bench/wrk/random-codes.lua http://127.0.0.1:$APP_PORT (closed loop)"
  random_codes_run saturation "$APP_PID" "$APP_PORT" "$DURATION" "$LOG_DIR/wrk-saturation.txt"
  SATURATION=$(awk -v r="$(wrk_result "$LOG_DIR/wrk-saturation.txt" rps)" 'BEGIN{printf "%.0f", r}')
  SATURATION_SOURCE="wrk -t1 -c$CONNECTIONS, ${DURATION}s"
  SATURATION_LINE=$(printf 'saturation (wrk closed loop): %s req/s, p99 %.2f ms, server CPU %.1f us/request; busy: CPU 0 (server) %s%%, CPU 1 (wrk) %s%%; CPU pressure %s%%' \
    "$SATURATION" "$(awk -v u="$(wrk_result "$LOG_DIR/wrk-saturation.txt" p99_us)" 'BEGIN{print u/1000}')" \
    "$(wrk_cpu_us "$LOG_DIR/wrk-saturation.txt" 1)" "$WRK_CPU0" "$WRK_CPU1" "$WRK_PRESSURE")
  log "$SATURATION_LINE"
fi
((SATURATION >= 1)) || die "the saturation rate is $SATURATION req/s: nothing to take a share of"

# 4. the open model at each level -----------------------------------------------------------
declare -A RESULT=() SERVER_CPU=() BROKER_CPU=() CPU1_BUSY=() PRESSURE=()

# open_result LEVEL KEY — a value of the level's OPEN_RESULT line
open_result() {
  tr ' ' '\n' <<<"${RESULT[$1]}" | awk -F= -v k="$2" '$1 == k {print $2; exit}'
}

# wait_for_line FILE PATTERN PID — until FILE has a line matching PATTERN; status 1 if PID ends first
wait_for_line() {
  while ! grep -q "$2" "$1" 2>/dev/null; do
    is_alive "$3" || return 1
    sleep 0.05
  done
}

# open_run LEVEL — OpenModelClient at LEVEL % of SATURATION; fills RESULT, SERVER_CPU, CPU1_BUSY,
# PRESSURE for it (the server's CPU and the cores' busy shares over the recorded window only)
open_run() {
  local level=$1 rate out=$LOG_DIR/open-$1.txt hgrm=$RESULTS_DIR/latency-$STAMP-$1.hgrm pid
  local ticks_before ticks_after broker_before=0 broker_after=0 snap_before snap_after psi_before psi_after ns_before ns_after status=0
  rate=$((SATURATION * level / 100))
  ((rate >= 1)) || die "level $level % of $SATURATION req/s is no rate"
  log "level $level %: $rate requests/s, open model on CPU 1, ${WARMUP}s warm-up + ${DURATION}s recorded"
  start_bg open-model "$out" taskset -c 1 "$JAVA_HOME/bin/java" "@$ROOT/lib/jvm.options" -Xmx256m \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$ROOT/$BENCH_JAR:$ROOT/$BENCH_LIB/*" io.tinyscale.bench.OpenModelClient run \
    --url "http://127.0.0.1:$APP_PORT" --rate "$rate" --duration "$DURATION" --warmup "$WARMUP" \
    --links "$LINKS" --connections "$CONNECTIONS" --max-connections "$MAX_CONNECTIONS" \
    --timeout-ms "$TIMEOUT_MS" --hgrm "$hgrm"
  pid=$BG_PID
  if wait_for_line "$out" 'window starts' "$pid"; then
    read -r ticks_before _ < <(proc_cpu_ticks "$APP_PID")
    [[ -n $BROKER_PID ]] && read -r broker_before _ < <(proc_cpu_ticks "$BROKER_PID")
    snap_before=$(cpu_snapshot)
    psi_before=$(cpu_pressure_us)
    ns_before=$(date +%s%N)
    if wait_for_line "$out" 'window ends' "$pid"; then
      read -r ticks_after _ < <(proc_cpu_ticks "$APP_PID")
      [[ -n $BROKER_PID ]] && read -r broker_after _ < <(proc_cpu_ticks "$BROKER_PID")
      snap_after=$(cpu_snapshot)
      psi_after=$(cpu_pressure_us)
      ns_after=$(date +%s%N)
    fi
  fi
  wait "$pid" || status=$?
  stop_pid "$pid" 1
  if ((status != 0)) || ! grep -q '^OPEN_RESULT ' "$out"; then
    sed 's/^/  open-model: /' "$out" >&2
    die "the open-model client failed at level $level % (exit $status): see above"
  fi
  RESULT[$level]=$(grep -m1 '^OPEN_RESULT ' "$out")
  SERVER_CPU[$level]=n/a BROKER_CPU[$level]=n/a CPU1_BUSY[$level]=n/a PRESSURE[$level]=n/a
  if [[ -n ${ns_after:-} ]]; then
    SERVER_CPU[$level]=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$CLK_TCK" -v ns=$((ns_after - ns_before)) \
      'BEGIN{printf "%.0f", 100 * t / hz / (ns / 1e9)}')
    if [[ -n $BROKER_PID ]]; then
      BROKER_CPU[$level]=$(awk -v t=$((broker_after - broker_before)) -v hz="$CLK_TCK" -v ns=$((ns_after - ns_before)) \
        'BEGIN{printf "%.0f", 100 * t / hz / (ns / 1e9)}')
    fi
    CPU1_BUSY[$level]=$(cpu_busy "$snap_before" "$snap_after" cpu1)
    if [[ -n $psi_before && -n $psi_after ]]; then
      PRESSURE[$level]=$(awk -v p=$((psi_after - psi_before)) -v ns=$((ns_after - ns_before)) 'BEGIN{printf "%.0f", 100 * p * 1000 / ns}')
    fi
  fi
  log "level $level %: $(open_summary "$level")"
}

us_to_ms() { awk -v u="$1" 'BEGIN{printf "%.2f", u / 1000}'; }

open_summary() { # LEVEL
  printf 'offered %s/s, answered %s/s, p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms, errors %s, lag p99 %s ms, generator CPU %s%%, server CPU %s%%, broker CPU %s%%' \
    "$(open_result "$1" offered_rps)" "$(open_result "$1" answered_rps)" "$(us_to_ms "$(open_result "$1" p50_us)")" \
    "$(us_to_ms "$(open_result "$1" p99_us)")" "$(us_to_ms "$(open_result "$1" p999_us)")" \
    "$(us_to_ms "$(open_result "$1" max_us)")" "$(open_result "$1" errors)" \
    "$(us_to_ms "$(open_result "$1" lag_p99_us)")" "$(open_result "$1" cpu_pct)" "${SERVER_CPU[$1]}" "${BROKER_CPU[$1]}"
}

# held LEVEL — the generator kept its schedule: answers within 1 % of the offered rate and
# schedule lag p99 under 1 ms
held() {
  awk -v o="$(open_result "$1" offered_rps)" -v a="$(open_result "$1" answered_rps)" \
    -v lag="$(open_result "$1" lag_p99_us)" -v share="$HELD_SHARE" -v max="$HELD_LAG_US" \
    'BEGIN{exit !(a >= share * o && a <= (2 - share) * o && lag < max)}'
}

# why_not_held LEVEL — the generator's own CPU says whether it ran out of core, or lost it to others
why_not_held() {
  local cpu
  cpu=$(open_result "$1" cpu_pct)
  if (($(open_result "$1" lag_p99_us) < HELD_LAG_US)); then
    echo "the generator kept its schedule, the server did not keep up ($(open_result "$1" connection_waits) requests found no free connection, $(open_result "$1" cap_waits) the pool at its cap; $(open_result "$1" err_timeout) timeouts)"
  elif awk -v c="$cpu" 'BEGIN{exit !(c >= 90)}'; then
    echo "the generator was short of CPU (${cpu}% of its core)"
  else
    echo "the generator used ${cpu}% of its core while CPU 1 was ${CPU1_BUSY[$1]}% busy (the Kafka broker's share ${BROKER_CPU[$1]}%; CPU pressure ${PRESSURE[$1]}%): other processes (or pauses) kept it from its core"
  fi
}

for level in "${LEVEL_LIST[@]}"; do
  open_run "$level"
done

# When the generator ran out of CPU at the target level (it fell behind its schedule with its core
# busy), the highest rate it holds: lower levels, 10 points apart, until one is held (PROBE=0: none;
# at most PROBE_MAX runs)
if [[ $PROBE == 1 && -n ${RESULT[$TARGET_LEVEL]:-} ]] && ! held "$TARGET_LEVEL" &&
  (($(open_result "$TARGET_LEVEL" lag_p99_us) >= HELD_LAG_US)) &&
  awk -v c="$(open_result "$TARGET_LEVEL" cpu_pct)" 'BEGIN{exit !(c >= 90)}'; then
  probes=0
  for ((level = TARGET_LEVEL - 10; level >= 10 && probes < PROBE_MAX; level -= 10)); do
    if [[ -n ${RESULT[$level]:-} ]]; then
      held "$level" && break
      continue
    fi
    log "the generator did not hold level $TARGET_LEVEL % for want of CPU: probing level $level %"
    open_run "$level"
    LEVEL_LIST+=("$level")
    probes=$((probes + 1))
    held "$level" && break
  done
  mapfile -t LEVEL_LIST < <(printf '%s\n' "${LEVEL_LIST[@]}" | sort -n)
fi

# 5. report ---------------------------------------------------------------------------------
report() {
  local level
  printf '%6s %10s %10s %8s %8s %9s %9s %7s %8s %8s %8s %7s\n' level 'offered/s' 'answered/s' p50 p99 p99.9 max errors 'lag p99' 'gen CPU' 'srv CPU' held
  for level in "${LEVEL_LIST[@]}"; do
    printf '%4s %% %10.0f %10.0f %5s ms %5s ms %6s ms %6s ms %7s %5s ms %7s%% %7s%% %7s\n' "$level" \
      "$(open_result "$level" offered_rps)" "$(open_result "$level" answered_rps)" \
      "$(us_to_ms "$(open_result "$level" p50_us)")" "$(us_to_ms "$(open_result "$level" p99_us)")" \
      "$(us_to_ms "$(open_result "$level" p999_us)")" "$(us_to_ms "$(open_result "$level" max_us)")" \
      "$(open_result "$level" errors)" "$(us_to_ms "$(open_result "$level" lag_p99_us)")" \
      "$(open_result "$level" cpu_pct)" "${SERVER_CPU[$level]}" "$(held "$level" && echo yes || echo no)"
  done
  printf 'saturation rate: %s req/s (%s); each level: %ds recorded after a %ds warm-up; open model on CPU 1 (io.tinyscale.bench.OpenModelClient: %d keep-alive connections to start, at most %d), app on CPU 0; %d links, a random one per request\n' \
    "$SATURATION" "$SATURATION_SOURCE" "$DURATION" "$WARMUP" "$CONNECTIONS" "$MAX_CONNECTIONS" "$LINKS"
  echo "latency: from each request's intended send time to its answer's end (coordinated omission corrected); errors: non-302 answers, connect and I/O errors, timeouts (${TIMEOUT_MS} ms)"
  echo "lag: how late the generator handed a request over, against its schedule; gen CPU: the generator JVM's CPU time over the window (100 % = its core); srv CPU: the app's"
  for level in "${LEVEL_LIST[@]}"; do
    if [[ ${PRESSURE[$level]} =~ ^[0-9]+$ ]] && ((${PRESSURE[$level]} > 20)); then
      echo "warning: other processes competed for the CPUs (CPU pressure ${PRESSURE[$level]}% during level $level %): latencies are noisy; re-run on an idle machine"
      break
    fi
  done
  # the generator: did it hold each rate? the highest rate it held
  local highest="" highest_level="" not_held=()
  for level in "${LEVEL_LIST[@]}"; do
    if held "$level"; then
      if [[ -z $highest ]] || awk -v a="$(open_result "$level" offered_rps)" -v b="$highest" 'BEGIN{exit !(a > b)}'; then
        highest=$(open_result "$level" offered_rps)
        highest_level=$level
      fi
    else
      not_held+=("$level %: answered $(open_result "$level" answered_rps)/s of $(open_result "$level" offered_rps)/s, lag p99 $(us_to_ms "$(open_result "$level" lag_p99_us)") ms; $(why_not_held "$level")")
    fi
  done
  if ((${#not_held[@]} == 0)); then
    echo "generator held every rate (answers within 1 % of offered, schedule lag p99 < 1 ms); highest: $(printf '%.0f' "$highest")/s"
  else
    echo "rates not held (answers within 1 % of offered, schedule lag p99 < 1 ms):"
    printf '  %s\n' "${not_held[@]}"
    if [[ -n $highest ]]; then
      echo "highest rate held: $(printf '%.0f' "$highest")/s (level $highest_level %)"
    else
      echo "highest rate held: none of the levels run (try lower LEVELS)"
    fi
  fi
  if [[ -n ${RESULT[$TARGET_LEVEL]:-} ]]; then
    local p99 verdict=missed
    p99=$(open_result "$TARGET_LEVEL" p99_us)
    ((p99 < TARGET_P99_US)) && verdict=met
    (($(open_result "$TARGET_LEVEL" lag_p99_us) < HELD_LAG_US)) ||
      verdict+=" (the generator fell behind its schedule at this rate: see above)"
    echo "p99 at $TARGET_LEVEL % of saturation: $(us_to_ms "$p99") ms (target < $(us_to_ms "$TARGET_P99_US") ms): $verdict"
  else
    echo "p99 at $TARGET_LEVEL % of saturation: not measured (LEVELS has no $TARGET_LEVEL)"
  fi
}

RESULT_FILE=$RESULTS_DIR/latency-$STAMP.txt
TSV=$RESULTS_DIR/latency-$STAMP.tsv
RATES_TSV=$RESULTS_DIR/latency-$STAMP-rates.tsv
{
  echo "# ./tinyscale bench latency, $(date -Iseconds)"
  echo "# $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  [[ -n $SATURATION_LINE ]] && echo "$SATURATION_LINE"
  for level in "${LEVEL_LIST[@]}"; do
    echo "level $level %: ${RESULT[$level]} server_cpu_pct=${SERVER_CPU[$level]} broker_cpu_pct=${BROKER_CPU[$level]} cpu1_busy_pct=${CPU1_BUSY[$level]} cpu_pressure_pct=${PRESSURE[$level]}"
  done
  report
} >"$RESULT_FILE"
# for charts: latency against load (ms), and the rates offered and answered (req/s)
{
  printf 'level_pct\tp50_ms\tp99_ms\tp999_ms\ttarget_p99_ms\n'
  for level in "${LEVEL_LIST[@]}"; do
    printf '%s\t%s\t%s\t%s\t%s\n' "$level" "$(us_to_ms "$(open_result "$level" p50_us)")" \
      "$(us_to_ms "$(open_result "$level" p99_us)")" "$(us_to_ms "$(open_result "$level" p999_us)")" "$(us_to_ms "$TARGET_P99_US")"
  done
} >"$TSV"
{
  printf 'level_pct\toffered_rps\tanswered_rps\n'
  for level in "${LEVEL_LIST[@]}"; do
    printf '%s\t%s\t%s\n' "$level" "$(open_result "$level" offered_rps)" "$(open_result "$level" answered_rps)"
  done
} >"$RATES_TSV"
plot_chart line "$TSV" "${TSV%.tsv}.png" "Redirect latency under a fixed rate (open model)" \
  "load (% of the saturation rate, $SATURATION req/s)" "latency (ms)"
plot_chart bar "$RATES_TSV" "${RATES_TSV%.tsv}.png" "Offered and answered rates (open model)" \
  "load (% of the saturation rate)" "requests/s"
log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}, figures also in ${RESULT_FILE#"$ROOT"/}, ${TSV#"$ROOT"/} (and -rates.tsv, per-level .hgrm)"
report
