#!/usr/bin/env bash
# ./tinyscale bench capture — what recording each click costs the redirect, and what the
# asynchronous capture saves over the design most shorteners use: the same redirect load with
# click capture off, with TinyScale's asynchronous capture (the journal, then Kafka), and with a
# synchronous insert of each click into Postgres before the answer (TINYSCALE_CLICK_CAPTURE=off,
# async, sync-db), as ratios measured in one run.
#
#   bench/capture.sh            (or ./tinyscale bench capture)
#
# Steps: build what is missing; engines through devstack (Postgres, Redis, a Kafka broker); three
# apps on CPU 0, one per capture mode, only one loaded at a time; 100,000 links (reused by later
# runs); every code requested once through each app (the caches warm: a redirect is a cache hit);
# a warm-up of each, then ROUNDS rounds in which each app gets one run of `wrk -t1 -c64 --latency`
# on CPU 1 with a random code per request (the order turns from round to round); the best round of
# each counts. The Postgres backends of the bench's database and the broker run on CPU 1 with
# wrk. Prints a table (req/s, p50, p99, CPU per request of the app and of the engines, async's
# req/s over each), the ratio async / sync-db in each round, and "target met"/"target missed"
# (async / sync-db >= 5). The sync-db app's clicks stay in the bench database's clicks table.
#
# Settings (environment): DURATION (20 s per run), WARMUP (10 s), ROUNDS (3), CONNECTIONS (64),
# BENCH_LINKS (100000), BENCH_APP_PORT (18490: the variants on it and the next two ports),
# BENCH_HOME (.tinyscale/bench-capture), BENCH_DATABASE (tinyscale_bench_capture), BENCH_REDIS_DB
# (12: a Redis database of the bench's own), BENCH_KAFKA_PORT (29893, where devstack starts a
# broker when it finds none), BENCH_HEAP (256m), BENCH_JAVA_OPTS, BENCH_USE_ENV_ENGINES=1 (use
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
APP_PORT=${BENCH_APP_PORT:-18490}
REDIS_DB=${BENCH_REDIS_DB:-12}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29893}
whole_numbers DURATION WARMUP ROUNDS CONNECTIONS LINKS APP_PORT REDIS_DB KAFKA_PORT
((ROUNDS >= 1 && DURATION >= 1 && LINKS >= 1 && LINKS <= 9999999)) || die "need ROUNDS, DURATION >= 1 and 1 <= BENCH_LINKS <= 9999999"
TARGET=5

BENCH_HOME=${BENCH_HOME:-$ROOT/.tinyscale/bench-capture}
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

VARIANTS=(off async sync-db)
VARIANT_ENV=(
  [off]="TINYSCALE_CLICK_CAPTURE=off"
  [async]="TINYSCALE_CLICK_CAPTURE=async"
  [sync-db]="TINYSCALE_CLICK_CAPTURE=sync-db"
)
for i in "${!VARIANTS[@]}"; do VARIANT_PORT[${VARIANTS[i]}]=$((APP_PORT + i)); done
# L1 entries live 10 minutes after they were loaded, and the walks load them all within minutes:
# on a loaded host the timed rounds can reach that point, where most lookups would miss at once
export TINYSCALE_CACHE_L1_TTL=PT1H

export TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT:-$KAFKA_PORT}
start_engines "$BENCH_HOME" "${BENCH_DATABASE:-tinyscale_bench_capture}"
use_redis_database "$REDIS_DB"
pin_broker_to_wrk_cpu "$BENCH_HOME"

start_variants
for name in "${VARIANTS[@]}"; do warm_cache "${VARIANT_PORT[$name]}" "$LINKS" "walk-$name"; done
measure_variants

report() {
  local ratio median missed=""
  variants_table async
  ratio=$(rps_ratio async sync-db)
  echo "per-round ratio, async / sync-db: $(round_ratios async sync-db)"
  echo "per-round ratio, off / async:     $(round_ratios off async) (what capture costs)"
  echo "CPU per request (app + engines), sync-db / async: $(cpu_ratio async sync-db); async / off: $(cpu_ratio off async)"
  median=$(round_ratios async sync-db | sed -E 's/.*\(median ([0-9.]+)\)$/\1/')
  awk -v r="$ratio" -v t="$TARGET" 'BEGIN{exit !(r >= t)}' || missed="async / sync-db $ratio < $TARGET"
  if [[ -z $missed ]]; then
    echo "target met (async / sync-db >= $TARGET: $ratio; per-round median $median)"
  else
    echo "target missed: $missed (per-round median $median)"
  fi
  echo "capture ratio (async / sync-db): $ratio"
}

log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}"
write_results capture
