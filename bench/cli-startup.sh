#!/usr/bin/env bash
# ./tinyscale bench cli-startup — how long `tinyscale health` takes end to end (JVM start,
# argument parsing, one HTTP request to GET /health/ready, output, exit), with the start-up
# options that ./tinyscale uses and the ones it does not, side by side.
#
#   bench/cli-startup.sh            (or ./tinyscale bench cli-startup)
#
# Steps: install hyperfine when missing (apt-get, as root); build the CLI when missing; use
# the server at TINYSCALE_URL when it is ready, else start one with ./tinyscale up (port
# BENCH_CLI_PORT and the three after it for engines it starts, data in .tinyscale/bench-cli,
# stopped with SIGTERM at the end); write a
# class-data archive and a JDK 25 AOT cache with one training run each (the class
# io.tinyscale.cli.Training, as ./tinyscale does once per build); then hyperfine, RUNS timed
# runs per variant after 3 warm-ups. Prints the machine, its load and a table (times in ms;
# user and sys are CPU time, which can exceed the wall time: JIT and GC threads run alongside).
#
# Settings (environment): RUNS (30), BENCH_CLI_PORT (18090), TINYSCALE_URL, JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf '[bench] error: %s\n' "$*" >&2
  exit 1
}

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
  exit 0
fi
(($# == 0)) || die "bench cli-startup takes no arguments (settings are environment variables; see --help)"
RUNS=${RUNS:-30}
PORT=${BENCH_CLI_PORT:-18090}
[[ $RUNS =~ ^[0-9]+$ && $RUNS -ge 2 ]] || die "RUNS must be a whole number of at least 2, not '$RUNS'"

# shellcheck source=lib/jdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/jdk.sh"
JAVA_HOME=$(jdk25_home) || die "$JDK25_MISSING"
JAVA=$JAVA_HOME/bin/java
export JAVA_HOME

for tool in hyperfine:hyperfine jq:jq curl:curl; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    if ((EUID != 0)) || ! command -v apt-get >/dev/null 2>&1; then
      die "${tool%%:*} is missing: install it (Debian: apt-get install ${tool#*:})"
    fi
    log "installing ${tool#*:} (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${tool#*:}" >&2
  fi
done

JAR=cli/target/tinyscale-cli.jar
WORK=$(mktemp -d)
UP_PID=""
cleanup() {
  trap - EXIT INT TERM
  if [[ -n $UP_PID ]] && kill -0 "$UP_PID" 2>/dev/null; then
    log "stopping the server (SIGTERM)"
    kill -TERM "$UP_PID" 2>/dev/null || true
    wait "$UP_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ready() { curl -fsS -o /dev/null --max-time 2 "$1/health/ready" 2>/dev/null; }

if [[ -n ${TINYSCALE_URL:-} ]] && ready "$TINYSCALE_URL"; then
  SERVER=$TINYSCALE_URL
  log "using the server at $SERVER"
else
  SERVER=http://127.0.0.1:$PORT
  ! ready "$SERVER" || die "something already answers on port $PORT: set BENCH_CLI_PORT or TINYSCALE_URL"
  log "starting ./tinyscale up on port $PORT (log: .tinyscale/bench-cli.log)"
  mkdir -p .tinyscale
  # engines that devstack starts get the ports after PORT, not their defaults, so that a
  # running ./tinyscale up does not clash
  TINYSCALE_HOME=$ROOT/.tinyscale/bench-cli TINYSCALE_HTTP_PORT=$PORT TINYSCALE_BASE_URL=$SERVER \
    TINYSCALE_DB_NAME=tinyscale_bench_cli TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=$((PORT + 1)) \
    TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT=$((PORT + 2)) TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT=$((PORT + 3)) \
    ./tinyscale up >.tinyscale/bench-cli.log 2>&1 &
  UP_PID=$!
  for ((i = 0; i < 3000; i++)); do
    ready "$SERVER" && break
    kill -0 "$UP_PID" 2>/dev/null || die "./tinyscale up exited; see .tinyscale/bench-cli.log"
    sleep 0.1
  done
  ready "$SERVER" || die "the server was not ready in 5 minutes; see .tinyscale/bench-cli.log"
fi
export TINYSCALE_URL=$SERVER XDG_CONFIG_HOME=$WORK/config
unset TINYSCALE_API_KEY

# builds the CLI when its jar is missing or stale and writes its AOT cache, as any client
# command does
./tinyscale --version >/dev/null

FAST=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
QUIET=(-Xlog:disable -Xlog:all=error:stderr)
log "writing a class-data archive and an AOT cache (one training run each: io.tinyscale.cli.Training)"
"$JAVA" -XX:ArchiveClassesAtExit="$WORK/cli.jsa" "${FAST[@]}" "${QUIET[@]}" -cp "$JAR" io.tinyscale.cli.Training >/dev/null
"$JAVA" -XX:AOTCacheOutput="$WORK/cli.aot" "${FAST[@]}" "${QUIET[@]}" -cp "$JAR" io.tinyscale.cli.Training >/dev/null 2>&1
[[ -f $WORK/cli.jsa && -f $WORK/cli.aot ]] || die "the JVM wrote no archive or AOT cache"

JSA=$WORK/cli.jsa AOT=$WORK/cli.aot
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/results.json" --style basic \
  -n "JVM floor: java -version" "$JAVA -Xshare:auto -version" \
  -n "find_java's probe: java -XshowSettings:properties -version" "$JAVA -XshowSettings:properties -version" \
  -n "java -jar tinyscale-cli.jar health" "$JAVA -jar $JAR health" \
  -n "  with -Xshare:off (no CDS at all)" "$JAVA -Xshare:off -jar $JAR health" \
  -n "  with C1 only + serial GC" "$JAVA ${FAST[*]} -jar $JAR health" \
  -n "  with C1 + serial GC + AppCDS archive" "$JAVA -XX:SharedArchiveFile=$JSA ${FAST[*]} ${QUIET[*]} -jar $JAR health" \
  -n "  with C1 + serial GC + AOT cache (./tinyscale's)" "$JAVA -XX:AOTCache=$AOT ${FAST[*]} ${QUIET[*]} -jar $JAR health" \
  -n "./tinyscale health (bash + find_java + the above)" "./tinyscale health" \
  -n "curl (the server's share)" "curl -fsS -o /dev/null $SERVER/health/ready" >"$WORK/hyperfine.log" 2>&1 ||
  { cat "$WORK/hyperfine.log" >&2; die "hyperfine failed"; }

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
printf 'machine: %s CPUs (%s), %s, %s\n' "$(nproc)" "$cpu" "$("$JAVA" -version 2>&1 | sed -n 2p)" "$(uname -sr)"
printf 'load average after the runs (1/5/15 min): %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'server: %s; %s timed runs per row after 3 warm-ups (hyperfine -N)\n\n' "$SERVER" "$RUNS"
printf '| %-60s | %13s | %6s | %6s | %6s | %6s |\n' "command (times in ms)" "mean ± σ" "median" "min" "user" "sys"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..62})" "--------------:" "-------:" "-------:" "-------:" "-------:"
jq -r '.results[] | [.command, (.mean*1000|round|tostring) + " ± " + (.stddev*1000|round|tostring),
  (.median*1000|round), (.min*1000|round), (.user*1000|round), (.system*1000|round)] | @tsv' "$WORK/results.json" |
  while IFS=$'\t' read -r name mean median min user sys; do
    printf '| %-60s | %13s | %6s | %6s | %6s | %6s |\n' "$name" "$mean" "$median" "$min" "$user" "$sys"
  done
