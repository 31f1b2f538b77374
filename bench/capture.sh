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

variants_settings 18490 12 29893
TARGET=5

VARIANTS=(off async sync-db)
VARIANT_ENV=(
  [off]="TINYSCALE_CLICK_CAPTURE=off"
  [async]="TINYSCALE_CLICK_CAPTURE=async"
  [sync-db]="TINYSCALE_CLICK_CAPTURE=sync-db"
)
run_variants capture

report() {
  variants_table async
  echo "per-round ratio, async / sync-db: $(round_ratios async sync-db)"
  echo "per-round ratio, off / async:     $(round_ratios off async) (what capture costs)"
  echo "CPU per request (app + engines), sync-db / async: $(cpu_ratio async sync-db); async / off: $(cpu_ratio off async)"
  variants_verdict async sync-db "$TARGET" "capture ratio"
}

log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}"
write_results capture
