# shellcheck shell=bash
# One redirect load against several settings of the app, side by side in one run: the benchmarks
# whose results are ratios (cache.sh, capture.sh). Sourced after lib/tinyscale.sh; expects ROOT,
# LOG_DIR, BENCH_HOME, JAVA_HOME, CONNECTIONS, LINKS, DURATION, WARMUP and ROUNDS.
#
# Each variant is a packaged app of its own on CPU 0 (only one is loaded at a time), on port
# VARIANT_PORT[name], with its variables VARIANT_ENV[name]; wrk on CPU 1. Per round each variant
# gets one DURATION run, the order turning from round to round, so that drift of a shared host
# counts against none in particular; the best round of each counts.

declare -A VARIANT_ENV=() VARIANT_PORT=() VARIANT_PID=()
declare -A BEST_RPS=() BEST_P50=() BEST_P99=() BEST_ROUND=() BEST_APP_US=() BEST_ENGINE_US=() ROUND_RPS=()
VARIANTS=()
ROUNDS_TXT=""
MAX_PRESSURE=0

# use_redis_database N — the apps' Redis URL with logical database N: the bench's links are those
# of its own Postgres database, and another bench's cached copies of the same codes (other ids)
# must not answer for them.
use_redis_database() {
  local url=${TINYSCALE_REDIS_URL%/}
  [[ $url =~ ^(rediss?://[^/]+)(/[0-9]+)?$ ]] || die "cannot set the database of TINYSCALE_REDIS_URL=$TINYSCALE_REDIS_URL"
  export TINYSCALE_REDIS_URL=${BASH_REMATCH[1]}/$1
  log "redis: the apps use $TINYSCALE_REDIS_URL"
}

# start_app_with_env PORT HOME LOG [VAR=value ...] — start_app with these variables set for that
# app alone.
start_app_with_env() {
  local port=$1 home=$2 log_file=$3 assignment
  shift 3
  for assignment in "$@"; do export "${assignment?}"; done
  start_app "$port" "$home" "$log_file"
  for assignment in "$@"; do unset "${assignment%%=*}"; done
}

# start_variants — every variant of VARIANTS started and answering /b0000001 right; the links are
# seeded through the first one.
start_variants() {
  local name env
  for name in "${VARIANTS[@]}"; do
    port_in_use "${VARIANT_PORT[$name]}" && die "127.0.0.1:${VARIANT_PORT[$name]} is already in use: set BENCH_APP_PORT"
  done
  for name in "${VARIANTS[@]}"; do
    read -r -a env <<<"${VARIANT_ENV[$name]}"
    start_app_with_env "${VARIANT_PORT[$name]}" "$BENCH_HOME/app-$name" "$LOG_DIR/app-$name.log" "${env[@]}"
    VARIANT_PID[$name]=$APP_PID
    log "$name: pid $APP_PID, port ${VARIANT_PORT[$name]}${env[*]:+, ${env[*]}}"
    [[ $name == "${VARIANTS[0]}" ]] && seed_links "${VARIANT_PORT[$name]}" "$LINKS"
    check_redirect "$name" "${VARIANT_PORT[$name]}"
  done
}

# engine_pids — the processes that work for the app besides itself, whose CPU time is counted
# as the engines': the Postgres backends serving the bench's database, the Redis server, and the
# Kafka broker devstack started under BENCH_HOME. Empty where they are not on this machine.
engine_pids() {
  local redis_port
  bench_psql -c "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()" 2>/dev/null || true
  redis_port=$(sed -E 's#^rediss?://[^:/]*:?([0-9]*).*#\1#' <<<"$TINYSCALE_REDIS_URL")
  ss -Hltnp "sport = :${redis_port:-6379}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true
  pgrep -f "KafkaBrokerMain .*$BENCH_HOME/kafka/" | head -n 1 || true
}

# pin_database_backends — the Postgres backends serving the bench's database move to CPU 1, with
# wrk and the broker, so that CPU 0 runs the app alone (pools open connections as they need them:
# called before every run)
pin_database_backends() {
  local pid
  for pid in $(bench_psql -c "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()" 2>/dev/null || true); do
    taskset -p -c 1 "$pid" >/dev/null 2>&1 || true
  done
}

# pid_ticks PID... — "pid ticks" per line: each process's CPU time so far (user + system)
pid_ticks() {
  local pid
  for pid in "$@"; do
    printf '%s %s\n' "$pid" "$(proc_cpu_ticks "$pid" | cut -d' ' -f1)"
  done
}

# variant_run NAME SECONDS OUTFILE — one wrk run against the variant; sets RUN_RPS, RUN_P50,
# RUN_P99 (us), RUN_APP_US and RUN_ENGINE_US (CPU time per request: the app's, the engines')
variant_run() {
  local name=$1 seconds=$2 out=$3 before after ticks
  pin_database_backends
  # shellcheck disable=SC2046 # a list of pids
  before=$(pid_ticks $(engine_pids))
  random_codes_run "$name" "${VARIANT_PID[$name]}" "${VARIANT_PORT[$name]}" "$seconds" "$out"
  # per process, and listed again: a pool may open connections during the run (their backends
  # count from 0) or close some (those count nothing: their last ticks are gone with them)
  # shellcheck disable=SC2046
  after=$(pid_ticks $(engine_pids))
  ticks=$(awk 'NR == FNR {b[$1] = $2; next} $2 > 0 {d = $2 - b[$1]; if (d > 0) t += d} END {print t + 0}' \
    <(printf '%s\n' "$before") <(printf '%s\n' "$after"))
  RUN_RPS=$(wrk_result "$out" rps)
  RUN_P50=$(wrk_result "$out" p50_us)
  RUN_P99=$(wrk_result "$out" p99_us)
  RUN_APP_US=$(wrk_cpu_us "$out" 1)
  RUN_ENGINE_US=$(wrk_cpu_us "$out" 1 "$(ticks_to_seconds "$ticks")")
}

# measure_variants — warm-up of each variant, then ROUNDS rounds of each; fills BEST_*,
# ROUND_RPS[name,round], ROUNDS_TXT and MAX_PRESSURE
measure_variants() {
  local name round i n=${#VARIANTS[@]} line order
  for name in "${VARIANTS[@]}"; do
    if ((WARMUP > 0)); then
      log "$name: warm-up, ${WARMUP}s (not counted)"
      variant_run "$name" "$WARMUP" "$LOG_DIR/wrk-$name-warmup.txt"
    fi
  done
  for ((round = 1; round <= ROUNDS; round++)); do
    order=()
    for ((i = 0; i < n; i++)); do order+=("${VARIANTS[(i + round - 1) % n]}"); done
    for name in "${order[@]}"; do
      log "$name: round $round/$ROUNDS, ${DURATION}s: wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency -s bench/wrk/random-codes.lua http://127.0.0.1:${VARIANT_PORT[$name]}"
      variant_run "$name" "$DURATION" "$LOG_DIR/wrk-$name-round$round.txt"
      line=$(printf '%s round %d: %.0f req/s, p50 %.2f ms, p99 %.2f ms, CPU/request app %.1f us, engines %.1f us; busy: CPU 0 (app) %s%%, CPU 1 (wrk, engines) %s%%; CPU pressure %s%%' \
        "$name" "$round" "$RUN_RPS" "$(awk -v u="$RUN_P50" 'BEGIN{print u/1000}')" "$(awk -v u="$RUN_P99" 'BEGIN{print u/1000}')" \
        "$RUN_APP_US" "$RUN_ENGINE_US" "$WRK_CPU0" "$WRK_CPU1" "$WRK_PRESSURE")
      log "$line"
      ROUNDS_TXT+="$line"$'\n'
      ROUND_RPS[$name,$round]=$RUN_RPS
      if [[ $WRK_PRESSURE =~ ^[0-9]+$ ]] && ((WRK_PRESSURE > MAX_PRESSURE)); then
        MAX_PRESSURE=$WRK_PRESSURE
      fi
      if [[ -z ${BEST_RPS[$name]:-} ]] || awk -v a="$RUN_RPS" -v b="${BEST_RPS[$name]}" 'BEGIN{exit !(a > b)}'; then
        BEST_RPS[$name]=$RUN_RPS
        BEST_P50[$name]=$RUN_P50
        BEST_P99[$name]=$RUN_P99
        BEST_ROUND[$name]=$round
        BEST_APP_US[$name]=$RUN_APP_US
        BEST_ENGINE_US[$name]=$RUN_ENGINE_US
      fi
    done
  done
}

# rps_ratio A B — best req/s of A / best req/s of B, two decimals
rps_ratio() {
  awk -v a="${BEST_RPS[$1]}" -v b="${BEST_RPS[$2]}" 'BEGIN{if (b > 0) printf "%.2f", a / b; else print "n/a"}'
}

# cpu_ratio A B — CPU per request (app + engines) of B's best round / A's, two decimals
cpu_ratio() {
  awk -v a="${BEST_APP_US[$1]}" -v ae="${BEST_ENGINE_US[$1]}" -v b="${BEST_APP_US[$2]}" -v be="${BEST_ENGINE_US[$2]}" \
    'BEGIN{if (a + ae > 0) printf "%.2f", (b + be) / (a + ae); else print "n/a"}'
}

# round_ratios A B — A's req/s / B's in each round (the same round: seconds apart) and their median
round_ratios() {
  local round ratios=()
  for ((round = 1; round <= ROUNDS; round++)); do
    ratios+=("$(awk -v a="${ROUND_RPS[$1,$round]}" -v b="${ROUND_RPS[$2,$round]}" 'BEGIN{printf "%.2f", a / b}')")
  done
  printf '%s ' "${ratios[@]}"
  printf '(median %s)' "$(printf '%s\n' "${ratios[@]}" | median 2)"
}

# variants_table BASELINE — the best round of each variant, and BASELINE's req/s over its
variants_table() {
  local base=$1 name
  printf '%-10s %9s %9s %9s %13s %13s %6s %8s\n' variant 'req/s' p50 p99 'app CPU/req' 'engines/req' round "$base/it"
  for name in "${VARIANTS[@]}"; do
    printf '%-10s %9.0f %6.2f ms %6.2f ms %10.1f us %10.1f us %6d %7s×\n' "$name" "${BEST_RPS[$name]}" \
      "$(awk -v u="${BEST_P50[$name]}" 'BEGIN{print u/1000}')" "$(awk -v u="${BEST_P99[$name]}" 'BEGIN{print u/1000}')" \
      "${BEST_APP_US[$name]}" "${BEST_ENGINE_US[$name]}" "${BEST_ROUND[$name]}" "$(rps_ratio "$base" "$name")"
  done
  printf 'best of %d rounds of %ds per variant; wrk -t1 -c%d on CPU 1, each app on CPU 0; %d links, a random one per request\n' \
    "$ROUNDS" "$DURATION" "$CONNECTIONS" "$LINKS"
  echo "CPU/request: CPU time / requests answered, of the app's JVM and of the engines (the bench database's Postgres backends, pinned to CPU 1; the Redis server, shared with whatever else uses it; the bench's Kafka broker, on CPU 1)"
  if ((MAX_PRESSURE > 20)); then
    echo "warning: other processes competed for the CPUs (CPU pressure up to ${MAX_PRESSURE}% in a round): req/s are noisy; ratios of rounds seconds apart less so"
  fi
  echo "CPU pressure (/proc/pressure/cpu) at the end: $(head -n 1 /proc/pressure/cpu 2>/dev/null || echo n/a)"
}

# write_results NAME — the rounds and the report (report: a function of the caller) into
# BENCH_HOME/results/NAME-<time>.txt; the report to stdout
write_results() {
  local file
  file=$BENCH_HOME/results/$1-$(date +%Y%m%d-%H%M%S).txt
  mkdir -p "$(dirname "$file")"
  {
    echo "# ./tinyscale bench $1, $(date -Iseconds)"
    echo "# $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
    printf '%s' "$ROUNDS_TXT"
    report
  } >"$file"
  log "figures also in ${file#"$ROOT"/}"
  plot_variants "${file%.txt}" "$1"
  report
}

# plot_variants BASE NAME — BASE-rps.png (req/s of each variant's best round) and BASE-cpu.png (its
# CPU time per request, the app's and the engines'), from BASE-rps.tsv and BASE-cpu.tsv
plot_variants() {
  local base=$1 bench=$2 name
  {
    printf 'variant\treq/s\n'
    for name in "${VARIANTS[@]}"; do printf '%s\t%.0f\n' "$name" "${BEST_RPS[$name]}"; done
  } >"$base-rps.tsv"
  {
    printf 'variant\tapp\tengines\n'
    for name in "${VARIANTS[@]}"; do printf '%s\t%.1f\t%.1f\n' "$name" "${BEST_APP_US[$name]}" "${BEST_ENGINE_US[$name]}"; done
  } >"$base-cpu.tsv"
  plot_chart bar "$base-rps.tsv" "$base-rps.png" "bench $bench: requests per second (best of $ROUNDS rounds, app on 1 core)" \
    variant 'requests per second'
  plot_chart bar "$base-cpu.tsv" "$base-cpu.png" "bench $bench: CPU time per request (in each variant's best round)" \
    variant 'CPU µs per request'
}

# variants_settings PORT REDIS_DB KAFKA_PORT — the settings every variants bench reads from the
# environment (DURATION, WARMUP, ROUNDS, CONNECTIONS, BENCH_LINKS, BENCH_APP_PORT, BENCH_REDIS_DB,
# BENCH_KAFKA_PORT), with the bench's own defaults for the last three.
variants_settings() {
  DURATION=${DURATION:-20}
  WARMUP=${WARMUP:-10}
  ROUNDS=${ROUNDS:-3}
  CONNECTIONS=${CONNECTIONS:-64}
  LINKS=${BENCH_LINKS:-100000}
  APP_PORT=${BENCH_APP_PORT:-$1}
  REDIS_DB=${BENCH_REDIS_DB:-$2}
  KAFKA_PORT=${BENCH_KAFKA_PORT:-$3}
  whole_numbers DURATION WARMUP ROUNDS CONNECTIONS LINKS APP_PORT REDIS_DB KAFKA_PORT
  ((ROUNDS >= 1 && DURATION >= 1 && LINKS >= 1 && LINKS <= 9999999)) || die "need ROUNDS, DURATION >= 1 and 1 <= BENCH_LINKS <= 9999999"
}

# run_variants NAME — the whole measurement of a variants bench whose VARIANTS and VARIANT_ENV are
# set: its home (.tinyscale/bench-NAME unless BENCH_HOME), the tools, the engines (database
# tinyscale_bench_NAME unless BENCH_DATABASE), each variant started on the ports from APP_PORT up,
# every code walked through each (their JIT's warm-up too: without it an app that asks Postgres
# for every code ran its first rounds at two to six times its later CPU per request), then the
# timed rounds.
run_variants() {
  local name=$1 i variant
  BENCH_HOME=${BENCH_HOME:-$ROOT/.tinyscale/bench-$name}
  LOG_DIR=$BENCH_HOME/logs
  mkdir -p "$LOG_DIR"
  stop_on_exit
  cd "$ROOT" || exit
  # shellcheck disable=SC2034 # the calling script logs the run's time at its end
  RUN_START=$(date +%s)
  require_tools wrk:wrk curl:curl psql:postgresql-client taskset:util-linux setsid:util-linux \
    pgrep:procps ss:iproute2
  (($(nproc) >= 2)) || die "this benchmark pins the apps to CPU 0 and wrk to CPU 1: it needs 2 CPUs, this machine has $(nproc)"
  JAVA_HOME=$(find_jdk25)
  export JAVA_HOME
  ensure_built
  for i in "${!VARIANTS[@]}"; do VARIANT_PORT[${VARIANTS[i]}]=$((APP_PORT + i)); done
  # L1 entries live 10 minutes after they were loaded, and the walks load them all within
  # minutes: on a loaded host the timed rounds can reach that point, where most lookups would miss
  export TINYSCALE_CACHE_L1_TTL=PT1H
  export TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT:-$KAFKA_PORT}
  start_engines "$BENCH_HOME" "${BENCH_DATABASE:-tinyscale_bench_$name}"
  use_redis_database "$REDIS_DB"
  pin_broker_to_wrk_cpu "$BENCH_HOME"
  # the variants' misses are the measurement: no limit may answer 429 instead (launch_app lifts them)
  start_variants
  for variant in "${VARIANTS[@]}"; do warm_cache "${VARIANT_PORT[$variant]}" "$LINKS" "walk-$variant"; done
  measure_variants
}

# variants_verdict FAST SLOW TARGET WHAT — the lines that close a variants bench's report: the
# per-round ratios of FAST over SLOW and "target met"/"target missed" for FAST / SLOW >= TARGET,
# then, last, "WHAT (FAST / SLOW): ratio".
variants_verdict() {
  local fast=$1 slow=$2 target=$3 what=$4 ratio median
  ratio=$(rps_ratio "$fast" "$slow")
  median=$(round_ratios "$fast" "$slow" | sed -E 's/.*\(median ([0-9.]+)\)$/\1/')
  if awk -v r="$ratio" -v t="$target" 'BEGIN{exit !(r >= t)}'; then
    echo "target met ($fast / $slow >= $target: $ratio; per-round median $median)"
  else
    echo "target missed: $fast / $slow $ratio < $target (per-round median $median)"
  fi
  echo "$what ($fast / $slow): $ratio"
}
