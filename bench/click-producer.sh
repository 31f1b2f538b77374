#!/usr/bin/env bash
# ./tinyscale bench click-producer — CPU per click of the app's Kafka click producer and of the
# broker, for several linger.ms values (the reason the app lingers 50 ms).
#
#   bench/click-producer.sh      (or ./tinyscale bench click-producer)
#
# Steps: build what is missing; a Kafka broker of the bench's own through devstack (started
# empty); then io.tinyscale.bench.ClickProducerCost sends RATE clicks a second for SECONDS per
# variant, in 2 ms portions as the app's shipper thread does, with the app's producer settings
# and only linger.ms changed, two interleaved rounds, and prints the producer JVM's and the
# broker's CPU time per click (from /proc).
#
# Settings (environment): BENCH_RATE (30000 clicks/s), BENCH_SECONDS (8 per variant),
# BENCH_LINGERS (5,20,50,100), BENCH_KAFKA_PORT (29392), JAVA_HOME (a JDK 25).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

RATE=${BENCH_RATE:-30000}
SECONDS_PER_VARIANT=${BENCH_SECONDS:-8}
LINGERS=${BENCH_LINGERS:-5,20,50,100}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29392}
whole_numbers RATE SECONDS_PER_VARIANT KAFKA_PORT
[[ $LINGERS =~ ^[0-9]+(,[0-9]+)*$ ]] || die "BENCH_LINGERS must be comma-separated whole numbers, not '$LINGERS'"

BENCH_HOME=$ROOT/.tinyscale/bench-producer
LOG_DIR=$BENCH_HOME/logs
mkdir -p "$LOG_DIR"
stop_on_exit
cd "$ROOT"

require_tools setsid:util-linux pgrep:procps
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
port_in_use "$KAFKA_PORT" && die "127.0.0.1:$KAFKA_PORT is already in use: set BENCH_KAFKA_PORT"

unset TINYSCALE_DB_URL TINYSCALE_DB_USER TINYSCALE_DB_PASSWORD TINYSCALE_REDIS_URL TINYSCALE_KAFKA_BOOTSTRAP
export TINYSCALE_DEVSTACK_KAFKA_PORT=$KAFKA_PORT TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=$KAFKA_PORT
rm -rf "$BENCH_HOME/kafka"
start_engines "$BENCH_HOME" tinyscale_bench_producer
BROKER_PID=$(cat "$BENCH_HOME/kafka/kafka.pid" 2>/dev/null || true)
[[ -n $BROKER_PID ]] || die "devstack started no broker of its own (is one running on $KAFKA_PORT?)"

log "sending $RATE clicks/s for ${SECONDS_PER_VARIANT}s per linger.ms in {$LINGERS}, two rounds (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
"$JAVA_HOME/bin/java" "@$ROOT/lib/jvm.options" -Xmx256m \
  "-Dbench.clkTck=$CLK_TCK" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$ROOT/$BENCH_JAR:$ROOT/$BENCH_LIB/*" io.tinyscale.bench.ClickProducerCost \
  "$TINYSCALE_KAFKA_BOOTSTRAP" "$BROKER_PID" "$RATE" "$SECONDS_PER_VARIANT" "$LINGERS"
