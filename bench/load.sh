#!/usr/bin/env bash
# ./tinyscale bench load [mixed|ramp|tls|sse|all ...] — TinyScale under load from Gatling (bench/gatling):
#
#   mixed  100 people registering, logging in, creating links, following them, listing their links,
#          with think times (closed group, MixedSimulation); targets: no error, p99 < 50 ms for
#          redirect and shorten (register and login hash passwords on purpose: reported apart)
#   ramp   an open-model staircase of redirects straight at the app until p99 or the error rate
#          breaks its limit (RedirectRampSimulation), then wrk's raw ceiling on the same links
#   tls    the same staircase through nginx (deploy/nginx's configuration) with TLS and HTTP/2,
#          then wrk's ceiling through nginx (HTTPS, HTTP/1.1)
#   sse    live clients (GET /api/stream/{code}) ramping up while redirects run (SseSimulation)
#   all    the four, in that order (the default)
#
# Steps: build what is missing (bench/gatling too); engines through devstack with a Kafka broker of
# the bench's own (started empty), database tinyscale_load; the app in role server on CPU 0,
# trusting 127.0.0.1 as its proxy (TINYSCALE_TRUSTED_PROXIES) with the per-IP limits at their
# defaults: every virtual user sends an X-Forwarded-For address of its own (198.18.0.0/15), so the
# limits apply per user as they would to real clients. Only the number of live streams per API key
# is lifted (the sse scenario's streams share one key). BENCH_LINKS links b0000001… are seeded for
# the redirect scenarios. Gatling runs on CPU 1 (with the broker), its CPU time measured, so a
# generator that saturates before the server is told apart. Each scenario writes Gatling's HTML
# report under bench/gatling/target/gatling/ and prints its figures per request name.
#
# Settings (environment; durations in seconds):
#   BENCH_LINKS (10000: seeded links the ramps request), BENCH_APP_PORT (28300),
#   BENCH_NGINX_HTTP_PORT / BENCH_NGINX_HTTPS_PORT (28301 / 28302), BENCH_KAFKA_PORT (28310),
#   BENCH_HEAP (256m: the app's -Xmx), BENCH_JAVA_OPTS (extra JVM flags of the app),
#   APP_CPUS (0) / GATLING_CPUS (1): taskset lists of the app and of the load generator (empty: not
#   pinned), GATLING_HEAP (1g),
#   MIXED_USERS (100), MIXED_RAMP (60: seconds over which they arrive), MIXED_LINKS_PER_USER (5), MIXED_FOLLOWS (3),
#   RAMP_START / RAMP_STEP (1000 / 1000 redirects/s), RAMP_LEVELS (10), RAMP_LEVEL_SECONDS (5),
#   RAMP_WARM_SECONDS (10: at the first level's rate before the levels, not counted),
#   RAMP_P99_MS (50) / RAMP_ERROR_PCT (1): the limits; the ramp stops once 3 whole seconds in a
#   row break one, TLS_START / TLS_STEP / TLS_LEVELS (500 / 500 / 10: the staircase through
#   nginx), WRK_SECONDS (10: wrk's ceiling runs after ramp and tls, 0: none), SSE_CLIENTS (2000), SSE_RAMP (30),
#   SSE_HOLD (20), SSE_LINKS (50), SSE_REDIRECT_RATE (200), BENCH_USE_ENV_ENGINES, JAVA_HOME.
# Exit status: 0 when every scenario ran (whether or not its targets were met).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
  exit 0
fi
SCENARIOS=()
for arg in "${@:-all}"; do
  case $arg in
  all) SCENARIOS+=(mixed ramp tls sse) ;;
  mixed | ramp | tls | sse) SCENARIOS+=("$arg") ;;
  *) die "unknown scenario '$arg': give mixed, ramp, tls, sse or all" ;;
  esac
done
wants() { [[ " ${SCENARIOS[*]} " == *" $1 "* ]]; }

LINKS=${BENCH_LINKS:-10000}
APP_PORT=${BENCH_APP_PORT:-28300}
NGINX_HTTP_PORT=${BENCH_NGINX_HTTP_PORT:-28301}
NGINX_HTTPS_PORT=${BENCH_NGINX_HTTPS_PORT:-28302}
KAFKA_PORT=${BENCH_KAFKA_PORT:-28310}
APP_CPUS=${APP_CPUS-0}
GATLING_CPUS=${GATLING_CPUS-1}
WRK_SECONDS=${WRK_SECONDS:-10}
whole_numbers LINKS APP_PORT NGINX_HTTP_PORT NGINX_HTTPS_PORT KAFKA_PORT WRK_SECONDS
((LINKS >= 1 && LINKS <= 9999999)) || die "BENCH_LINKS must be between 1 and 9999999"
CONNECTIONS=${CONNECTIONS:-64}

BENCH_HOME=$ROOT/.tinyscale/bench-load
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
GATLING_TARGET=$ROOT/bench/gatling/target
REPORTS_DIR=$GATLING_TARGET/gatling
mkdir -p "$LOG_DIR" "$RESULTS_DIR" "$REPORTS_DIR"
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RESULT_FILE=$RESULTS_DIR/load-$RUN_ID.txt
APP_PID=""

stop_on_exit
cd "$ROOT"

# 1. tools, JDK, build ---------------------------------------------------------------------
tools=(setsid:util-linux pgrep:procps taskset:util-linux curl:curl psql:postgresql-client)
wants ramp && tools+=(wrk:wrk)
wants tls && tools+=(nginx:nginx-light openssl:openssl)
require_tools "${tools[@]}"
if wants tls && [[ ! -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ]]; then
  ((EUID == 0)) || die "deploy/nginx loads the brotli module: install libnginx-mod-http-brotli-filter"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libnginx-mod-http-brotli-filter >&2 ||
    die "apt-get install libnginx-mod-http-brotli-filter failed"
fi
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
if [[ ! -d $GATLING_TARGET/classes || ! -d $GATLING_TARGET/lib ]]; then
  log "building bench/gatling (mvn -q -B -DskipTests package -pl bench/gatling)"
  JAVA_HOME=$JAVA_HOME mvn -q -B -DskipTests package -pl bench/gatling >&2 ||
    die "building bench/gatling failed: fix it and re-run"
fi
for port in "$APP_PORT" "$KAFKA_PORT" $(wants tls && echo "$NGINX_HTTP_PORT $NGINX_HTTPS_PORT"); do
  port_in_use "$port" && die "127.0.0.1:$port is already in use: stop what listens there or set BENCH_*_PORT"
done

# 2. engines, app, links --------------------------------------------------------------------
export TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT:-28320}
export TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT:-28321}
# devstack starts an OpenSearch node too (the server role reads it for search): one of the bench's own
export TINYSCALE_DEVSTACK_OPENSEARCH_PORT=${TINYSCALE_DEVSTACK_OPENSEARCH_PORT:-28330}
export TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT:-28330}
start_own_engines "$BENCH_HOME" tinyscale_load "$KAFKA_PORT"
pin_broker_to_wrk_cpu "$BENCH_HOME"
rm -rf "$BENCH_HOME/app"
# The per-IP limits back at their defaults (launch_app lifts them for the other benches): each
# virtual user is a client of its own through X-Forwarded-For, believed from 127.0.0.1. The sse
# scenario's streams all use one API key, so that cap alone is lifted.
APP_EXTRA_ENV=(
  TINYSCALE_TRUSTED_PROXIES=127.0.0.1/32
  TINYSCALE_API_RATE_LIMIT=600 TINYSCALE_AUTH_RATE_LIMIT=10
  TINYSCALE_IP_RATE_LIMIT=1200 TINYSCALE_MISS_RATE_LIMIT=600
  TINYSCALE_SSE_MAX_PER_KEY=1000000
)
app_start=$(date +%s)
launch_app "$APP_PORT" "$BENCH_HOME/app" server "$APP_CPUS" "$LOG_DIR/app.log"
await_app_ready "$APP_PORT" "$LOG_DIR/app.log" "$app_start"
if wants ramp || wants tls; then
  # seed_links' one registration comes from 127.0.0.1 itself: well under the auth limit
  seed_links "$APP_PORT" "$LINKS"
fi

# 3. nginx (tls) ----------------------------------------------------------------------------
NGINX_PID=""
# start_nginx — Debian's nginx with deploy/nginx's nginx.conf and tinyscale.conf as they are, and
# a site/ of the bench's own, as testkit's Nginx writes it for NginxIT: its ports, the app as the
# one upstream, a certificate from make-cert.sh, and 127.0.0.1 trusted as a front proxy, so that
# each virtual user's X-Forwarded-For becomes nginx's client address (its per-address limits then
# hold per user, as for real clients) and is passed on to the app.
start_nginx() {
  local dir=$BENCH_HOME/nginx
  rm -rf "$dir"
  mkdir -p "$dir/site" "$dir/tmp"
  cp "$ROOT/deploy/nginx/nginx.conf" "$ROOT/deploy/nginx/tinyscale.conf" "$dir/"
  cat >"$dir/site/http.conf" <<EOF
map \$host \$tinyscale_https_port { default ":$NGINX_HTTPS_PORT"; }
set_real_ip_from 127.0.0.1;
real_ip_header X-Forwarded-For;
client_body_temp_path tmp/body;
proxy_temp_path tmp/proxy;
fastcgi_temp_path tmp/fastcgi;
uwsgi_temp_path tmp/uwsgi;
scgi_temp_path tmp/scgi;
EOF
  echo "listen 127.0.0.1:$NGINX_HTTP_PORT;" >"$dir/site/listen-http.conf"
  echo "listen 127.0.0.1:$NGINX_HTTPS_PORT ssl http2;" >"$dir/site/listen-https.conf"
  echo "server 127.0.0.1:$APP_PORT max_fails=1 fail_timeout=5s;" >"$dir/site/upstream.conf"
  "$ROOT/deploy/nginx/make-cert.sh" "$dir/certs" localhost >&2
  local -a cmd=(nginx -p "$dir" -c "$dir/nginx.conf" -g "daemon off; pid $dir/nginx.pid; user $(id -un);")
  "${cmd[@]}" -t -q 2>"$LOG_DIR/nginx-test.log" || {
    sed 's/^/  nginx: /' "$LOG_DIR/nginx-test.log" >&2
    die "nginx -t refused the configuration"
  }
  start_bg nginx "$LOG_DIR/nginx.log" "${cmd[@]}"
  NGINX_PID=$BG_PID
  await_port "$NGINX_HTTPS_PORT" "$NGINX_PID" 10 || die "nginx did not listen on $NGINX_HTTPS_PORT (log: $LOG_DIR/nginx.log)"
  log "nginx: $(nginx -v 2>&1 | sed 's/.*: //') on https://127.0.0.1:$NGINX_HTTPS_PORT (TLS, HTTP/2), $(pgrep -c -P "$NGINX_PID") workers, not pinned"
}

# 4. Gatling --------------------------------------------------------------------------------
{
  echo "# ./tinyscale bench load ${SCENARIOS[*]} — $RUN_ID, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "# machine: $(nproc) CPUs ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/^Mem:/{print $2}') GiB"
  echo "# app on CPU ${APP_CPUS:-any} (-Xmx${BENCH_HEAP:-256m}), Gatling on CPU ${GATLING_CPUS:-any}, the Kafka broker on CPU 1; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULT_FILE"

# gatling NAME CLASS -Dload.x=y... — one simulation on GATLING_CPUS, its CPU time and the app's
# measured; prints the summary per request name (bench/gatling's Summary) and the CPU figures.
# Sets REPORT (the HTML report's directory) and GATLING_OUT (its output).
gatling() {
  local name=$1 class=$2
  shift 2
  local out=$LOG_DIR/gatling-$name.txt pin=() before after ticks_g ticks_a p0 p1 start end pid status=0 seconds
  [[ -n $GATLING_CPUS ]] && pin=(taskset -c "$GATLING_CPUS")
  log "$name: Gatling $class (output ${out#"$ROOT"/})"
  before=$(cpu_snapshot)
  p0=$(cpu_pressure_us)
  ticks_a=$(proc_cpu_ticks "$APP_PID" ${NGINX_PID:+$(pgrep -P "$NGINX_PID")})
  start=$(date +%s.%N)
  "${pin[@]}" "$JAVA_HOME/bin/java" "@$ROOT/lib/jvm.options" "-Xmx${GATLING_HEAP:-1g}" -XX:+UseParallelGC \
    "-Dload.url=$LOAD_URL" "-Dload.links=$LINKS" "-Dload.clkTck=$CLK_TCK" \
    "-Dload.serverPids=$APP_PID${NGINX_PID:+ $(pgrep -P "$NGINX_PID" | tr '\n' ' ')}" "$@" \
    -cp "$GATLING_TARGET/classes:$GATLING_TARGET/lib/*" io.gatling.app.Gatling \
    --simulation "io.tinyscale.bench.gatling.$class" --results-folder "$REPORTS_DIR" \
    --run-description "$name $RUN_ID" >"$out" 2>&1 </dev/null &
  pid=$!
  BENCH_PIDS+=("$pid")
  BENCH_NAMES[$pid]="gatling $name"
  # the generator's CPU time, sampled until it exits (a process that is gone has none to read)
  ticks_g=0
  while is_alive "$pid"; do
    read -r t _ < <(proc_cpu_ticks "$pid")
    ((t > ticks_g)) && ticks_g=$t
    sleep 0.5
  done
  wait "$pid" || status=$?
  stop_pid "$pid" 1
  end=$(date +%s.%N)
  after=$(cpu_snapshot)
  p1=$(cpu_pressure_us)
  read -r t _ < <(proc_cpu_ticks "$APP_PID" ${NGINX_PID:+$(pgrep -P "$NGINX_PID")})
  read -r a0 _ <<<"$ticks_a"
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b - a}')
  REPORT=$(sed -n 's/^.*open the following file: file:\/\/\(.*\)\/index\.html$/\1/p' "$out" | tail -n 1)
  GATLING_OUT=$out
  if [[ -z $REPORT || ! -f $REPORT/index.html ]]; then
    tail -n 40 "$out" | sed 's/^/  gatling: /' >&2
    die "$name: Gatling wrote no report (exit $status; output $out)"
  fi
  ((status == 0)) || log "$name: Gatling exited with $status (a stopped ramp or a failed assertion; the report was written)"
  {
    echo
    echo "== $name: $(grep -m1 -o 'Simulation .* completed in [0-9]* seconds' "$out" || echo "$seconds s")"
    echo "report: ${REPORT#"$ROOT"/}/index.html"
    "$JAVA_HOME/bin/java" -cp "$GATLING_TARGET/classes:$GATLING_TARGET/lib/*" io.tinyscale.bench.gatling.Summary "$REPORT" "$name"
    grep -E '^(LEVEL|RAMP_END) ' "$out" || true
    grep -E 'stopped|Stop' "$out" | head -n 3 || true
    printf 'CPU_RESULT scenario=%s seconds=%s gatling_cpu_s=%s gatling_cpu_pct=%s server_cpu_s=%s cpu0_busy_pct=%s cpu1_busy_pct=%s cpu_pressure_pct=%s\n' \
      "$name" "$seconds" "$(ticks_to_seconds "$ticks_g")" \
      "$(awk -v t="$ticks_g" -v hz="$CLK_TCK" -v s="$seconds" 'BEGIN{printf "%.0f", 100 * t / hz / s}')" \
      "$(ticks_to_seconds $((t - a0)))" "$(cpu_busy "$before" "$after" cpu0)" "$(cpu_busy "$before" "$after" cpu1)" \
      "$(awk -v a="${p0:-0}" -v b="${p1:-0}" -v s="$seconds" 'BEGIN{printf "%.0f", (b - a) / 10000 / s}')"
  } | tee -a "$RESULT_FILE"
}

# verdict LABEL CONDITION-TEXT OK? — one "target met/missed" line
verdict() {
  if [[ $3 == yes ]]; then echo "target met: $1 ($2)"; else echo "target missed: $1 ($2)"; fi | tee -a "$RESULT_FILE"
}
# figure SCENARIO REQUEST KEY — from the LOAD_RESULT lines of the result file
figure() {
  grep "^LOAD_RESULT scenario=$1 request=$2 " "$RESULT_FILE" | tail -n 1 | tr ' ' '\n' | awk -F= -v k="$3" '$1 == k {print $2}'
}

# ramp_tsv GATLING_OUTPUT rate|latency — the staircase's LEVEL lines (RedirectRampSimulation's, one
# per level held) as a TSV: per offered rate, the rate offered and answered, or p50/p95/p99 in ms
ramp_tsv() {
  awk -v what="$2" '
    BEGIN { print (what == "rate") ? "offered req/s\toffered\tanswered" : "offered req/s\tp50\tp95\tp99" }
    /^LEVEL / {
      delete f
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      if (what == "rate") print f["offered_rps"] "\t" f["offered_rps"] "\t" f["answered_rps"]
      else print f["offered_rps"] "\t" f["p50_ms"] "\t" f["p95_ms"] "\t" f["p99_ms"]
    }' "$1"
}

# plot_ramp SCENARIO GATLING_OUTPUT — two line charts next to the results file: answered against
# offered redirects per second, and the latency percentiles, level by level
plot_ramp() {
  local base=${RESULT_FILE%.txt}-$1 what=$1 log_y=()
  [[ $1 == tls ]] && what="tls (nginx, TLS, HTTP/2)"
  if ! grep -q '^LEVEL ' "$2"; then
    log "warning: no plot of $1: Gatling's output has no LEVEL line"
    return 0
  fi
  ramp_tsv "$2" rate >"$base-rate.tsv"
  ramp_tsv "$2" latency >"$base-latency.tsv"
  plot_chart line "$base-rate.tsv" "$base-rate.png" "bench load $what: answered vs offered" \
    'offered (redirects per second)' 'redirects per second'
  wide_range "$base-latency.tsv" && log_y=(--log-y)
  plot_chart line "$base-latency.tsv" "$base-latency.png" "bench load $what: latency per level" \
    'offered (redirects per second)' "latency (ms${log_y[*]:+, log scale})" "${log_y[@]}"
}

LOAD_URL=http://127.0.0.1:$APP_PORT
for scenario in "${SCENARIOS[@]}"; do
  case $scenario in
  mixed)
    gatling mixed MixedSimulation "-Dload.mixed.users=${MIXED_USERS:-100}" "-Dload.mixed.ramp=${MIXED_RAMP:-60}" \
      "-Dload.mixed.linksPerUser=${MIXED_LINKS_PER_USER:-5}" "-Dload.mixed.followsPerLink=${MIXED_FOLLOWS:-3}"
    errors=$(figure mixed All_Requests errors)
    verdict "mixed: no error" "$errors errors" "$([[ $errors == 0 ]] && echo yes || echo no)"
    for request in redirect shorten; do
      p99=$(figure mixed "$request" p99_ms)
      verdict "mixed: $request p99 < 50 ms" "p99 $p99 ms" "$( ((${p99:-999999} < 50)) && echo yes || echo no)"
    done
    ;;
  ramp | tls)
    if [[ $scenario == tls ]]; then
      [[ -n $NGINX_PID ]] || start_nginx
      LOAD_URL=https://127.0.0.1:$NGINX_HTTPS_PORT
      props=("-Dload.http2=true" "-Dload.ramp.start=${TLS_START:-500}" "-Dload.ramp.step=${TLS_STEP:-500}" "-Dload.ramp.levels=${TLS_LEVELS:-10}")
    else
      props=("-Dload.ramp.start=${RAMP_START:-1000}" "-Dload.ramp.step=${RAMP_STEP:-1000}" "-Dload.ramp.levels=${RAMP_LEVELS:-10}")
    fi
    gatling "$scenario" RedirectRampSimulation "${props[@]}" "-Dload.ramp.levelSeconds=${RAMP_LEVEL_SECONDS:-5}" \
      "-Dload.ramp.warmSeconds=${RAMP_WARM_SECONDS:-10}" \
      "-Dload.ramp.p99Ms=${RAMP_P99_MS:-50}" "-Dload.ramp.errorPercent=${RAMP_ERROR_PCT:-1}"
    LOAD_URL=http://127.0.0.1:$APP_PORT
    held=$({ grep "^LEVEL " "$GATLING_OUT" || true; } | { grep 'within_limits=true' || true; } | tail -n 1 | sed 's/.*answered_rps=\([0-9]*\).*/\1/')
    echo "SATURATION scenario=$scenario last_level_within_limits_rps=${held:-none} (p99 <= ${RAMP_P99_MS:-50} ms, errors <= ${RAMP_ERROR_PCT:-1} %, >= 95 % of the offered rate answered)" | tee -a "$RESULT_FILE"
    plot_ramp "$scenario" "$GATLING_OUT"
    if ((WRK_SECONDS > 0)); then
      # the raw ceiling: wrk (C, one thread, keep-alive) where the JVM generator may give out first;
      # through nginx over TLS (HTTP/1.1: wrk has no HTTP/2), an address per code for nginx's limits
      if [[ $scenario == tls ]]; then
        target=https://127.0.0.1:$NGINX_HTTPS_PORT
        servers="$APP_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
      else
        target=http://127.0.0.1:$APP_PORT
        servers=$APP_PID
      fi
      log "$scenario: wrk's ceiling on $target, ${WRK_SECONDS}s, $CONNECTIONS connections, random codes"
      wrk_out=$LOG_DIR/wrk-ceiling-$scenario.txt
      run_wrk "$servers" "$wrk_out" -t1 -c"$CONNECTIONS" -d"$WRK_SECONDS"s --latency \
        -s "$ROOT/bench/wrk/random-codes.lua" "$target" -- "$LINKS" xff
      check_wrk_output "wrk ceiling" "$wrk_out"
      printf 'WRK_RESULT scenario=%s rps=%s p50_us=%s p99_us=%s server_cpu_s=%s cpu0_busy_pct=%s cpu1_busy_pct=%s cpu_pressure_pct=%s\n' \
        "$scenario" "$(wrk_result "$wrk_out" rps)" "$(wrk_result "$wrk_out" p50_us)" "$(wrk_result "$wrk_out" p99_us)" \
        "$WRK_SERVER_CPU" "$WRK_CPU0" "$WRK_CPU1" "$WRK_PRESSURE" | tee -a "$RESULT_FILE"
    fi
    ;;
  sse)
    # the server's own count of open streams, once a second while the clients ramp up
    gauge_file=$LOG_DIR/sse-clients.txt
    : >"$gauge_file"
    (while sleep 1; do
      curl -s --max-time 3 "http://127.0.0.1:$APP_PORT/metrics" | awk '/^tinyscale_sse_clients[ {]/{print $NF; exit}' || true
    done >>"$gauge_file") &
    sampler=$!
    BENCH_PIDS+=("$sampler")
    rss_before=$(rss_kb "$APP_PID")
    gatling sse SseSimulation "-Dload.sse.clients=${SSE_CLIENTS:-2000}" "-Dload.sse.ramp=${SSE_RAMP:-30}" \
      "-Dload.sse.hold=${SSE_HOLD:-20}" "-Dload.sse.links=${SSE_LINKS:-50}" "-Dload.sse.redirectRate=${SSE_REDIRECT_RATE:-200}"
    stop_pid "$sampler" 1
    peak=$(sort -n "$gauge_file" | tail -n 1)
    echo "SSE_RESULT peak_streams=${peak:-unknown} app_rss_mb_before=$((rss_before / 1024)) app_rss_mb_after=$(($(rss_kb "$APP_PID") / 1024))" | tee -a "$RESULT_FILE"
    ;;
  esac
done
log "done: figures in ${RESULT_FILE#"$ROOT"/}"
