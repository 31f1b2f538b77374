#!/usr/bin/env bash
# ./tinyscale bench redirect — TinyScale's GET /{code} against nginx's `return 302`, in the
# same run, on the same core, with the same load generator.
#
#   bench/redirect.sh            (or ./tinyscale bench redirect)
#
# Steps: build what is missing; engines through devstack; the app on CPU 0; 100,000 links
# (reused by later runs); every code requested once (cache warm); nginx on CPU 0; per
# server a warm-up, then ROUNDS timed runs of `wrk -t1 -c64 --latency` on CPU 1 with a
# random code per request; the best round of each counts. Only one server is loaded at a
# time. Prints a table, the CPU cost ratio (nginx's CPU per request / TinyScale's: the target,
# >= 0.80) and, as its last line, "redirect/nginx ratio: X.XX" (req/s, reported, not judged).
#
# Settings (environment): DURATION (20 s per timed run), WARMUP (10 s), ROUNDS (3),
# CONNECTIONS (64), BENCH_LINKS (100000), BENCH_APP_PORT (18080), BENCH_NGINX_PORT (18081),
# BENCH_HEAP (256m), BENCH_JAVA_OPTS (extra JVM flags, e.g. a JFR recording),
# BENCH_APP_ROLE (server), BENCH_PROFILE=1 (one more round of each Java server under
# async-profiler, not counted; collapsed stacks next to the results; BENCH_PROFILE=alloc samples
# allocations instead of CPU), BENCH_PLAIN_VERTX=1 (also measure a bare Vert.x server giving the
# same redirects from a map, io.tinyscale.bench.PlainVertxRedirect, on BENCH_PLAIN_VERTX_PORT
# 18082: the floor of the JVM's HTTP stack), BENCH_USE_ENV_ENGINES=1 (use TINYSCALE_DB_*/TINYSCALE_REDIS_URL
# as given instead of devstack), JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran (whether or not the targets were met).
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
APP_PORT=${BENCH_APP_PORT:-18080}
NGINX_PORT=${BENCH_NGINX_PORT:-18081}
PLAIN_PORT=${BENCH_PLAIN_VERTX_PORT:-18082}
whole_numbers DURATION WARMUP ROUNDS CONNECTIONS LINKS APP_PORT NGINX_PORT PLAIN_PORT
((ROUNDS >= 1 && DURATION >= 1 && LINKS >= 1 && LINKS <= 9999999)) || die "need ROUNDS, DURATION >= 1 and 1 <= BENCH_LINKS <= 9999999"

SERVERS=(nginx tinyscale)
PLAIN_VERTX=${BENCH_PLAIN_VERTX:-0}
[[ $PLAIN_VERTX == 1 ]] && SERVERS+=(plain-vertx)
TARGET_RATIO=0.80
TARGET_RSS_MB=512

BENCH_HOME=$ROOT/.tinyscale/bench
LOG_DIR=$BENCH_HOME/logs
mkdir -p "$LOG_DIR"
NGINX_DIR=""
APP_PID=""
NGINX_PID=""
PLAIN_PID=""

bench_cleanup() {
  if [[ -n $NGINX_DIR ]]; then rm -rf "$NGINX_DIR"; fi
}
stop_on_exit

cd "$ROOT"
RUN_START=$(date +%s)

# 1. tools ------------------------------------------------------------------------------
require_tools nginx:nginx wrk:wrk curl:curl psql:postgresql-client taskset:util-linux \
  setsid:util-linux pgrep:procps
(($(nproc) >= 2)) || die "this benchmark pins the server to CPU 0 and wrk to CPU 1: it needs 2 CPUs, this machine has $(nproc)"

# 2. JDK and build ------------------------------------------------------------------------
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built

ports=("$APP_PORT" "$NGINX_PORT")
[[ $PLAIN_VERTX == 1 ]] && ports+=("$PLAIN_PORT")
for port in "${ports[@]}"; do
  port_in_use "$port" && die "127.0.0.1:$port is already in use: stop what listens there or set BENCH_APP_PORT/BENCH_NGINX_PORT/BENCH_PLAIN_VERTX_PORT"
done

# 3. engines ------------------------------------------------------------------------------
start_engines "$BENCH_HOME" tinyscale_bench

pin_broker_to_wrk_cpu "$BENCH_HOME"

# 4. the app ------------------------------------------------------------------------------
start_app "$APP_PORT" "$BENCH_HOME/app"

# 5. data ---------------------------------------------------------------------------------
seed_links "$APP_PORT" "$LINKS"
check_redirect tinyscale "$APP_PORT"

# 6. fill the caches: every code once, in order -------------------------------------------
warm_cache "$APP_PORT" "$LINKS" walk

# 7. nginx --------------------------------------------------------------------------------
start_nginx() {
  NGINX_DIR=$(mktemp -d /tmp/tinyscale-bench-nginx.XXXXXX)
  sed -e "s|@RUN_DIR@|$NGINX_DIR|g" -e "s|@PORT@|$NGINX_PORT|g" \
    "$BENCH_DIR/nginx/redirect.conf.template" >"$NGINX_DIR/nginx.conf"
  local -a args=(-p "$NGINX_DIR" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf")
  nginx -t -q "${args[@]}" -g "pid $NGINX_DIR/nginx.pid;" 2>"$LOG_DIR/nginx-test.log" || {
    sed 's/^/  nginx: /' "$LOG_DIR/nginx-test.log" >&2
    die "nginx rejected $NGINX_DIR/nginx.conf"
  }
  start_bg nginx "$LOG_DIR/nginx.log" taskset -c 0 nginx "${args[@]}" -g "daemon off; pid $NGINX_DIR/nginx.pid;"
  NGINX_PID=$BG_PID
  if ! await_port "$NGINX_PORT" "$NGINX_PID" 5; then
    cat "$LOG_DIR/nginx.log" "$NGINX_DIR/error.log" 2>/dev/null | sed 's/^/  nginx: /' >&2
    die "nginx did not start"
  fi
  log "nginx: listening on 127.0.0.1:$NGINX_PORT, pinned to CPU 0 (pid $NGINX_PID, config bench/nginx/redirect.conf.template)"
}
start_nginx
check_redirect nginx "$NGINX_PORT"

start_plain_vertx() {
  start_bg plain-vertx "$LOG_DIR/plain-vertx.log" taskset -c 0 "$JAVA_HOME/bin/java" \
    "@$ROOT/lib/jvm.options" -Xmx"${BENCH_HEAP:-256m}" \
    -cp "$ROOT/$BENCH_JAR:$ROOT/$BENCH_LIB/*" io.tinyscale.bench.PlainVertxRedirect "$PLAIN_PORT" "$LINKS" "http://127.0.0.1:$APP_PORT"
  PLAIN_PID=$BG_PID
  await_port "$PLAIN_PORT" "$PLAIN_PID" 10 || {
    sed 's/^/  plain-vertx: /' "$LOG_DIR/plain-vertx.log" >&2
    die "the plain Vert.x server did not start"
  }
  log "plain-vertx: listening on 127.0.0.1:$PLAIN_PORT, pinned to CPU 0 (pid $PLAIN_PID, io.tinyscale.bench.PlainVertxRedirect)"
}
if [[ $PLAIN_VERTX == 1 ]]; then
  start_plain_vertx
  check_redirect plain-vertx "$PLAIN_PORT"
fi

# 8. measure ------------------------------------------------------------------------------
declare -A PORT=([nginx]=$NGINX_PORT [tinyscale]=$APP_PORT [plain-vertx]=$PLAIN_PORT)
declare -A BEST_RPS=() BEST_P99=() BEST_ROUND=() BEST_CPU_US=() BEST_KERNEL_US=() ROUND_RPS=() ROUND_CPU_US=()
RESULTS_TXT=""
MAX_PRESSURE=0

server_pids() { # NAME -> the pids whose CPU time is the server's
  case $1 in
    nginx) pgrep -g "$NGINX_PID" | tr '\n' ' ' ;;
    plain-vertx) echo "$PLAIN_PID" ;;
    *) echo "$APP_PID" ;;
  esac
}

measure() { # NAME SECONDS OUTFILE
  random_codes_run "$1" "$(server_pids "$1")" "${PORT[$1]}" "$2" "$3"
}

for server in "${SERVERS[@]}"; do
  if ((WARMUP > 0)); then
    log "$server: warm-up, ${WARMUP}s (not counted)"
    measure "$server" "$WARMUP" "$LOG_DIR/wrk-$server-warmup.txt"
  fi
done

for ((round = 1; round <= ROUNDS; round++)); do
  for server in "${SERVERS[@]}"; do
    out=$LOG_DIR/wrk-$server-round$round.txt
    log "$server: round $round/$ROUNDS, ${DURATION}s: wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency -s bench/wrk/random-codes.lua http://127.0.0.1:${PORT[$server]}"
    measure "$server" "$DURATION" "$out"
    rps=$(wrk_result "$out" rps)
    p99=$(wrk_result "$out" p99_us)
    # server CPU time per answered request: unlike req/s, hardly moved by other processes
    cpu_us=$(wrk_cpu_us "$out" 1)
    kernel_us=$(wrk_cpu_us "$out" 1 "$WRK_SERVER_KERNEL")
    line=$(printf '%s round %d: %.0f req/s, p99 %.2f ms, server CPU %.1f us/request (kernel %.1f); busy: CPU 0 (server) %s%%, CPU 1 (wrk) %s%%; CPU pressure %s%%' \
      "$server" "$round" "$rps" "$(awk -v u="$p99" 'BEGIN{print u/1000}')" "$cpu_us" "$kernel_us" "$WRK_CPU0" "$WRK_CPU1" "$WRK_PRESSURE")
    log "$line"
    RESULTS_TXT+="$line"$'\n'
    ROUND_RPS[$server,$round]=$rps
    ROUND_CPU_US[$server,$round]=$cpu_us
    # nginx's one worker and wrk have a core each: any waiting then is other processes' doing
    # (the JVM's own threads share CPU 0, so its rounds cannot tell)
    if [[ $server == nginx && $WRK_PRESSURE =~ ^[0-9]+$ ]] && ((WRK_PRESSURE > MAX_PRESSURE)); then
      MAX_PRESSURE=$WRK_PRESSURE
    fi
    if [[ -z ${BEST_RPS[$server]:-} ]] || awk -v a="$rps" -v b="${BEST_RPS[$server]}" 'BEGIN{exit !(a > b)}'; then
      BEST_RPS[$server]=$rps
      BEST_P99[$server]=$p99
      BEST_ROUND[$server]=$round
      BEST_CPU_US[$server]=$cpu_us
      BEST_KERNEL_US[$server]=$kernel_us
    fi
  done
done

# 9. memory, report -----------------------------------------------------------------------
declare -A RSS_KB=([tinyscale]=$(rss_kb "$APP_PID"))
[[ -n $PLAIN_PID ]] && RSS_KB[plain-vertx]=$(rss_kb "$PLAIN_PID")
mapfile -t nginx_pids < <(pgrep -g "$NGINX_PID")
RSS_KB[nginx]=$(rss_kb "${nginx_pids[@]}")
stop_pid "$NGINX_PID" 10
NGINX_PID=""

RATIO=$(awk -v a="${BEST_RPS[tinyscale]}" -v b="${BEST_RPS[nginx]}" 'BEGIN{printf "%.2f", a / b}')
CPU_RATIO=$(awk -v a="${BEST_CPU_US[nginx]}" -v b="${BEST_CPU_US[tinyscale]}" 'BEGIN{if (b > 0) printf "%.2f", a / b; else print "n/a"}')
APP_RSS_MB=$(awk -v k="${RSS_KB[tinyscale]}" 'BEGIN{printf "%.0f", k / 1024}')

# paired_ratios rps|cpu — each TinyScale round against the nginx round right before it, and their
# median: neighbours on a shared host slow whole stretches of a run down, and adjacent rounds
# share them. rps: TinyScale's req/s / nginx's; cpu: nginx's CPU per request / TinyScale's.
paired_ratios() {
  local round ratios=()
  for ((round = 1; round <= ROUNDS; round++)); do
    if [[ $1 == rps ]]; then
      ratios+=("$(awk -v a="${ROUND_RPS[tinyscale,$round]}" -v b="${ROUND_RPS[nginx,$round]}" 'BEGIN{printf "%.2f", a / b}')")
    else
      ratios+=("$(awk -v a="${ROUND_CPU_US[nginx,$round]}" -v b="${ROUND_CPU_US[tinyscale,$round]}" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')")
    fi
  done
  printf '%s ' "${ratios[@]}"
  printf '(median %s)' "$(printf '%s\n' "${ratios[@]}" | median 2)"
}

report() {
  printf '%-11s %10s %10s %14s %10s %6s\n' server 'req/s' p99 'CPU/request' RSS round
  local server
  for server in "${SERVERS[@]}"; do
    printf '%-11s %10.0f %7.2f ms %11.1f us %7.1f MB %6d\n' "$server" "${BEST_RPS[$server]}" \
      "$(awk -v u="${BEST_P99[$server]}" 'BEGIN{print u/1000}')" "${BEST_CPU_US[$server]}" \
      "$(awk -v k="${RSS_KB[$server]}" 'BEGIN{print k/1024}')" "${BEST_ROUND[$server]}"
  done
  printf 'best of %d rounds of %ds per server; wrk -t1 -c%d on CPU 1, server on CPU 0; %d links, a random one per request\n' \
    "$ROUNDS" "$DURATION" "$CONNECTIONS" "$LINKS"
  echo "RSS after the runs (nginx: master + worker); CPU/request: the server's CPU time / requests answered"
  echo "CPU cost ratio (nginx CPU/request / TinyScale CPU/request, best rounds): $CPU_RATIO"
  echo "per-round CPU cost ratios (each TinyScale round against the nginx round just before it): $(paired_ratios cpu)"
  echo "per-round req/s ratios (TinyScale's round / the nginx round just before it): $(paired_ratios rps)"
  if ((MAX_PRESSURE > 20)); then
    echo "warning: other processes competed for the CPUs (CPU pressure up to ${MAX_PRESSURE}% during an nginx round): req/s are noisy; CPU/request is more robust; re-run on an idle machine"
  fi
  local missed=()
  # judged on CPU per request, which the host's neighbours move far less than req/s
  awk -v r="$CPU_RATIO" -v t="$TARGET_RATIO" 'BEGIN{exit !(r >= t)}' || missed+=("CPU cost ratio $CPU_RATIO < $TARGET_RATIO")
  ((APP_RSS_MB < TARGET_RSS_MB)) || missed+=("server RSS ${APP_RSS_MB} MB >= $TARGET_RSS_MB MB")
  if ((${#missed[@]} == 0)); then
    echo "target met (CPU cost ratio >= $TARGET_RATIO, server RSS < $TARGET_RSS_MB MB)"
  else
    local IFS=';'
    echo "target missed: ${missed[*]}"
  fi
  if [[ -n ${BEST_RPS[plain-vertx]:-} ]]; then
    echo "plain-vertx/nginx ratio: $(awk -v a="${BEST_RPS[plain-vertx]}" -v b="${BEST_RPS[nginx]}" 'BEGIN{printf "%.2f", a / b}') (the HTTP stack's floor: no Quarkus, router, metrics or click capture)"
  fi
  echo "redirect/nginx ratio: $RATIO"
}

RESULT_FILE=$BENCH_HOME/results/redirect-$(date +%Y%m%d-%H%M%S).txt
mkdir -p "$(dirname "$RESULT_FILE")"

# 10. BENCH_PROFILE=1|alloc: one more round per Java server, not counted, under async-profiler --
# CPU samples (500 us) of the whole server process, kernel frames included, as collapsed stacks
# (one line per distinct stack: the thread, frames root first, then the sample count), and the frames that
# were on top of most samples; with BENCH_PROFILE=alloc, allocation samples (the allocated class
# is the top frame). With BENCH_PLAIN_VERTX=1 the bare Vert.x server is profiled too,
# so the two profiles show where TinyScale's extra CPU goes.
profile_round() { # SERVER
  local server=$1 pid jar out=${RESULT_FILE%.txt}-$1-${PROFILE/#1/cpu}-profile.collapsed agent_dir=$BENCH_HOME/profiler
  pid=$(server_pids "$server")
  jar=$(compgen -G "$ROOT/$BENCH_LIB/async-profiler-*.jar" | head -n 1) ||
    die "no async-profiler jar in $BENCH_LIB: rebuild the bench module (mvn -q -B -DskipTests package)"
  [[ $(uname -m) == x86_64 ]] || die "BENCH_PROFILE=1 uses async-profiler's linux-x64 agent; this machine is $(uname -m)"
  mkdir -p "$agent_dir"
  (cd "$agent_dir" && "$JAVA_HOME/bin/jar" xf "$jar" linux-x64/libasyncProfiler.so) || die "cannot extract the agent from $jar"
  local event=cpu,interval=500us,threads what="cpu every 500 us"
  [[ $PROFILE == alloc ]] && event=alloc what="allocations, a sample per 512 KB"
  # jcmd reads name=value pairs: the agent's options go in quotes, as one argument
  "$JAVA_HOME/bin/jcmd" "$pid" JVMTI.agent_load "$agent_dir/linux-x64/libasyncProfiler.so" \
    "\"start,event=$event\"" >"$LOG_DIR/profiler-$server.log" 2>&1 ||
    die "async-profiler did not start (log: $LOG_DIR/profiler-$server.log)"
  log "$server: profiled round, ${DURATION}s, not counted (async-profiler, $what)"
  measure "$server" "$DURATION" "$LOG_DIR/wrk-$server-profiled.txt"
  "$JAVA_HOME/bin/jcmd" "$pid" JVMTI.agent_load "$agent_dir/linux-x64/libasyncProfiler.so" \
    "\"stop,collapsed,file=$out\"" >>"$LOG_DIR/profiler-$server.log" 2>&1 && [[ -s $out ]] ||
    die "async-profiler wrote no profile (log: $LOG_DIR/profiler-$server.log)"
  log "profile: ${out#"$ROOT"/}; frames on top of the most samples:"
  awk '{n = $NF; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); self[f[k]] += n; total += n}
       END {for (s in self) printf "%6.1f%%  %s\n", 100 * self[s] / total, s}' "$out" |
    sort -rn | sed -n 1,20p >&2 # sed, not head: it reads to the end (no SIGPIPE under pipefail)
}
PROFILE=${BENCH_PROFILE:-0}
if [[ $PROFILE == 1 || $PROFILE == alloc ]]; then
  for server in "${SERVERS[@]}"; do
    [[ $server == nginx ]] || profile_round "$server"
  done
fi
{
  echo "# ./tinyscale bench redirect, $(date -Iseconds)"
  echo "# $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  printf '%s' "$RESULTS_TXT"
  report
} >"$RESULT_FILE"

# 11. plots next to the figures: req/s and CPU time per request (kernel, user space) of each server's best round
plot_redirect() {
  local base=${RESULT_FILE%.txt} server
  {
    printf 'server\treq/s\n'
    for server in "${SERVERS[@]}"; do printf '%s\t%.0f\n' "$server" "${BEST_RPS[$server]}"; done
  } >"$base-rps.tsv"
  {
    # the kernel's share (system calls, loopback TCP) is common to every server; the rest is its own
    printf 'server\tin the kernel\tin the server itself\n'
    for server in "${SERVERS[@]}"; do
      printf '%s\t%.1f\t%.1f\n' "$server" "${BEST_KERNEL_US[$server]}" \
        "$(awk -v c="${BEST_CPU_US[$server]}" -v k="${BEST_KERNEL_US[$server]}" 'BEGIN{print c - k}')"
    done
  } >"$base-cpu.tsv"
  plot_chart bar "$base-rps.tsv" "$base-rps.png" "bench redirect: requests per second (best of $ROUNDS rounds, server on 1 core)" \
    server 'requests per second'
  plot_chart bar "$base-cpu.tsv" "$base-cpu.png" "bench redirect: server CPU time per request, kernel and user space (best round)" \
    server 'CPU µs per request'
}
plot_redirect
log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}, figures also in ${RESULT_FILE#"$ROOT"/}"
report
