#!/usr/bin/env bash
# ./tinyscale bench ab-redirect — two builds or settings of TinyScale's redirect compared on
# the same core in one run: is a change to the hot path worth it?
#
#   A_APP=/path/to/old/quarkus-app bench/ab-redirect.sh            (a change: the old build as A)
#   B_ENV="QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=2" bench/ab-redirect.sh   (a setting)
#
# Both apps run at once on CPU 0 (only one is loaded at a time) against the same engines and
# links; wrk runs on CPU 1. PAIRS times, each app gets one DURATION round (the order swaps
# from pair to pair, so drift of the host counts against neither). One pair's figure is
# B's server CPU per redirect / A's: on these shared machines a round's request rate moves by
# up to 40 % with the neighbours, a ratio of two rounds a few seconds apart far less. The last
# line is "B/A CPU per redirect: median X.XXX (pairs: ...)"; below 1 means B is cheaper.
#
# Settings (environment): A_APP, B_APP (a quarkus-app directory; default the current build,
# app/target/quarkus-app, copied at start so a rebuild during the run does not matter),
# A_ENV, B_ENV (space-separated VAR=value for that app), A_JAVA_OPTS, B_JAVA_OPTS, PAIRS (8),
# DURATION (10 s), WARMUP (10 s each), CONNECTIONS (64), BENCH_LINKS (100000),
# A_PORT (18080), B_PORT (18083), BENCH_HEAP (256m), JAVA_HOME (a JDK 25).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

PAIRS=${PAIRS:-8}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-64}
LINKS=${BENCH_LINKS:-100000}
declare -A PORT=([A]=${A_PORT:-18080} [B]=${B_PORT:-18083})
whole_numbers PAIRS DURATION WARMUP CONNECTIONS LINKS
((PAIRS >= 1 && DURATION >= 1 && LINKS >= 1 && LINKS <= 9999999)) || die "need PAIRS, DURATION >= 1 and 1 <= BENCH_LINKS <= 9999999"

BENCH_HOME=$ROOT/.tinyscale/bench
LOG_DIR=$BENCH_HOME/logs
AB_DIR=$BENCH_HOME/ab
mkdir -p "$LOG_DIR"
stop_on_exit
cd "$ROOT"

require_tools wrk:wrk curl:curl psql:postgresql-client taskset:util-linux setsid:util-linux pgrep:procps
(($(nproc) >= 2)) || die "this comparison pins the apps to CPU 0 and wrk to CPU 1: it needs 2 CPUs"
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
for side in A B; do
  port_in_use "${PORT[$side]}" && die "127.0.0.1:${PORT[$side]} is already in use: set A_PORT/B_PORT"
done

# each side's app: a private copy of its quarkus-app directory
rm -rf "$AB_DIR"
for side in A B; do
  var=${side}_APP
  src=${!var:-$ROOT/app/target/quarkus-app}
  [[ -f $src/quarkus-run.jar ]] || die "$var=$src holds no quarkus-run.jar"
  mkdir -p "$AB_DIR/$side"
  cp -r "$src" "$AB_DIR/$side/quarkus-app"
done

start_engines "$BENCH_HOME" tinyscale_bench
pin_broker_to_wrk_cpu "$BENCH_HOME"

declare -A PID=()
for side in A B; do
  env_var=${side}_ENV opts_var=${side}_JAVA_OPTS
  APP_JAR=${AB_DIR#"$ROOT"/}/$side/quarkus-app/quarkus-run.jar
  read -r -a side_env <<<"${!env_var:-}"
  BENCH_JAVA_OPTS=${!opts_var:-} start_app_with_env "${PORT[$side]}" "$AB_DIR/$side/home" "$LOG_DIR/ab-app-$side.log" "${side_env[@]}"
  PID[$side]=$APP_PID
  log "$side: pid $APP_PID${side_env[*]:+, env ${side_env[*]}}${!opts_var:+, java ${!opts_var}}"
  [[ $side == A ]] && seed_links "${PORT[A]}" "$LINKS"
  check_redirect "$side" "${PORT[$side]}"
done

for side in A B; do warm_cache "${PORT[$side]}" "$LINKS" "ab-walk-$side"; done

round() { # SIDE SECONDS OUTFILE -> sets CPU_US, RPS
  random_codes_run "$1" "${PID[$1]}" "${PORT[$1]}" "$2" "$3"
  RPS=$(wrk_result "$3" rps)
  CPU_US=$(wrk_cpu_us "$3" 2)
}

for side in A B; do round "$side" "$WARMUP" "$LOG_DIR/ab-warmup-$side.txt"; done
RATIOS=()
for ((pair = 1; pair <= PAIRS; pair++)); do
  order=(A B)
  ((pair % 2 == 0)) && order=(B A)
  declare -A CPU=() RATE=()
  for side in "${order[@]}"; do
    round "$side" "$DURATION" "$LOG_DIR/ab-$side-$pair.txt"
    CPU[$side]=$CPU_US
    RATE[$side]=$RPS
  done
  ratio=$(awk -v a="${CPU[A]}" -v b="${CPU[B]}" 'BEGIN{printf "%.3f", b / a}')
  RATIOS+=("$ratio")
  log "pair $pair: A ${RATE[A]} req/s ${CPU[A]} us/redirect, B ${RATE[B]} req/s ${CPU[B]} us/redirect; B/A CPU $ratio"
done
echo "B/A CPU per redirect: median $(printf '%s\n' "${RATIOS[@]}" | median 3) (pairs: ${RATIOS[*]})"
