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

variants_settings 18480 11 29892
TARGET=10

VARIANTS=(on l1-off l2-off both-off)
VARIANT_ENV=(
  [on]=""
  [l1-off]="TINYSCALE_CACHE_L1_ENABLED=false"
  [l2-off]="TINYSCALE_CACHE_L2_ENABLED=false"
  [both-off]="TINYSCALE_CACHE_L1_ENABLED=false TINYSCALE_CACHE_L2_ENABLED=false"
)
run_variants cache

report() {
  variants_table on
  echo "per-round speed-up, on / both-off: $(round_ratios on both-off)"
  echo "per-round speed-up, on / l1-off:   $(round_ratios on l1-off)"
  echo "CPU per request (app + engines), both-off / on: $(cpu_ratio on both-off); l1-off / on: $(cpu_ratio on l1-off)"
  variants_verdict on both-off "$TARGET" "cache speed-up"
}

log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}"
write_results cache
