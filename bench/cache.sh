#!/usr/bin/env bash
# ./tinyscale bench cache — what the redirect's cache tiers save: the same redirect load with both
# tiers on (the default), with L1 (Caffeine, in the process) off, with L2 (Redis) off, and with
# both off (every redirect asks Postgres), as ratios measured in one run.
#
#   bench/cache.sh            (or ./tinyscale bench cache)
#
# Steps: build what is missing; engines through devstack (Postgres, Redis, a Kafka broker: click
# capture stays on, as in production); four apps on CPU 0 with TINYSCALE_CACHE_L1_ENABLED /
# TINYSCALE_CACHE_L2_ENABLED set per variant, only one loaded at a time; 100,000 links (reused by
# later runs); every code requested once through each app; a warm-up of each, then ROUNDS rounds in
# which each app gets one run of `wrk -t1 -c64 --latency` on CPU 1 with a random code per request
# (the order turns from round to round); the best round of each counts. The Postgres backends of
# the bench's database and the broker run on CPU 1 with wrk. Prints a table (req/s, p50, p99, CPU
# per request of the app and of the engines, the speed-up of "on" over each), the speed-up of
# both tiers over none in each round, and "target met"/"target missed" (on / both-off >= 10).
#
# Settings (environment): DURATION (20 s per run), WARMUP (10 s), ROUNDS (3), CONNECTIONS (64),
# BENCH_LINKS (100000), BENCH_APP_PORT (18480: the variants on it and the next three ports),
# BENCH_HOME (.tinyscale/bench-cache), BENCH_DATABASE (tinyscale_bench_cache), BENCH_REDIS_DB (11:
# a Redis database of the bench's own), BENCH_KAFKA_PORT (29892, where devstack starts a broker
# when it finds none), BENCH_HEAP (256m), BENCH_JAVA_OPTS, BENCH_USE_ENV_ENGINES=1 (use
# TINYSCALE_DB_*/TINYSCALE_REDIS_URL/TINYSCALE_KAFKA_BOOTSTRAP as given), JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran (whether or not the target was met).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
LINKS=${BENCH_LINKS:-100000}
APP_PORT=${BENCH_APP_PORT:-18480}
REDIS_DB=${BENCH_REDIS_DB:-11}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29892}
whole_numbers DURATION WARMUP ROUNDS CONNECTIONS LINKS APP_PORT REDIS_DB KAFKA_PORT
((ROUNDS >= 1 && DURATION >= 1 && LINKS >= 1 && LINKS <= 9999999)) || die "need ROUNDS, DURATION >= 1 and 1 <= BENCH_LINKS <= 9999999"
TARGET=10

BENCH_HOME=${BENCH_HOME:-$ROOT/.tinyscale/bench-cache}
LOG_DIR=$BENCH_HOME/logs
mkdir -p "$LOG_DIR"
stop_on_exit
cd "$ROOT"
RUN_START=$(date +%s)

require_tools wrk:wrk curl:curl psql:postgresql-client taskset:util-linux setsid:util-linux \
  pgrep:procps ss:iproute2
(($(nproc) >= 2)) || die "this benchmark pins the apps to CPU 0 and wrk to CPU 1: it needs 2 CPUs, this machine has $(nproc)"
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built

VARIANTS=(on l1-off l2-off both-off)
VARIANT_ENV=(
  [on]=""
  [l1-off]="TINYSCALE_CACHE_L1_ENABLED=false"
  [l2-off]="TINYSCALE_CACHE_L2_ENABLED=false"
  [both-off]="TINYSCALE_CACHE_L1_ENABLED=false TINYSCALE_CACHE_L2_ENABLED=false"
)
for i in "${!VARIANTS[@]}"; do VARIANT_PORT[${VARIANTS[i]}]=$((APP_PORT + i)); done
# L1 entries live 10 minutes after they were loaded, and the walks load them all within minutes:
# on a loaded host the timed rounds can reach that point, where most lookups would miss at once
export TINYSCALE_CACHE_L1_TTL=PT1H

export TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT:-$KAFKA_PORT}
start_engines "$BENCH_HOME" "${BENCH_DATABASE:-tinyscale_bench_cache}"
use_redis_database "$REDIS_DB"
pin_broker_to_wrk_cpu "$BENCH_HOME"

# the variants' misses are the measurement: no limit may answer 429 instead (launch_app lifts them)
start_variants
# also through the apps without an L1 to fill: the walk is their JIT's warm-up too (without it
# both-off's first rounds ran at two to six times the CPU per request of its later ones)
for name in "${VARIANTS[@]}"; do warm_cache "${VARIANT_PORT[$name]}" "$LINKS" "walk-$name"; done
measure_variants

report() {
  local ratio median missed=""
  variants_table on
  ratio=$(rps_ratio on both-off)
  echo "per-round speed-up, on / both-off: $(round_ratios on both-off)"
  echo "per-round speed-up, on / l1-off:   $(round_ratios on l1-off)"
  echo "CPU per request (app + engines), both-off / on: $(cpu_ratio on both-off); l1-off / on: $(cpu_ratio on l1-off)"
  median=$(round_ratios on both-off | sed -E 's/.*\(median ([0-9.]+)\)$/\1/')
  awk -v r="$ratio" -v t="$TARGET" 'BEGIN{exit !(r >= t)}' || missed="on / both-off $ratio < $TARGET"
  if [[ -z $missed ]]; then
    echo "target met (cache on / both off >= $TARGET: $ratio; per-round median $median)"
  else
    echo "target missed: $missed (per-round median $median)"
  fi
  echo "cache speed-up (on / both off): $ratio"
}

log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}"
write_results cache
