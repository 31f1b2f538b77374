# shellcheck shell=bash
# TinyScale-specific steps of the benchmarks: build, engines (devstack), the app, seeded
# links. Sourced after lib/common.sh; expects ROOT (repo root), LOG_DIR and JAVA_HOME.

APP_JAR=app/target/quarkus-app/quarkus-run.jar
APP_EXTRA_ENV=()
DEVSTACK_JAR=devstack/target/tinyscale-devstack.jar
DEVSTACK_LIB=devstack/target/lib
BENCH_JAR=bench/target/tinyscale-bench.jar
BENCH_LIB=bench/target/lib

ensure_built() {
  if [[ -f $ROOT/$APP_JAR && -f $ROOT/$DEVSTACK_JAR && -d $ROOT/$DEVSTACK_LIB && -f $ROOT/$BENCH_JAR && -d $ROOT/$BENCH_LIB ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || require_tools mvn:maven
  local start
  start=$(date +%s)
  log "building (mvn -q -B -DskipTests package; $APP_JAR, $DEVSTACK_JAR or $BENCH_JAR is missing)"
  (cd "$ROOT" && JAVA_HOME=$JAVA_HOME mvn -q -B -DskipTests package >&2) ||
    die "the build failed (mvn -q -B -DskipTests package in $ROOT): fix it and re-run"
  [[ -f $ROOT/$APP_JAR ]] || die "the build did not produce $APP_JAR"
  [[ -f $ROOT/$DEVSTACK_JAR ]] || die "the build did not produce $DEVSTACK_JAR (is the devstack module in the reactor?)"
  [[ -f $ROOT/$BENCH_JAR ]] || die "the build did not produce $BENCH_JAR (is the bench module in the reactor?)"
  log "built in $(elapsed_since "$start")"
}

# ensure_bench_built ENTRY WHY — builds the bench module and what it depends on (not the app's
# Quarkus build) unless its jar holds ENTRY (a path inside the jar); WHY says what is missing.
ensure_bench_built() {
  local entry=$1 why=$2 start
  if [[ -f $ROOT/$BENCH_JAR && -d $ROOT/$BENCH_LIB ]] && "$JAVA_HOME/bin/jar" tf "$ROOT/$BENCH_JAR" | grep -qx "$entry"; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || require_tools mvn:maven
  start=$(date +%s)
  log "building (mvn -q -B -pl bench -am -DskipTests package; $BENCH_JAR $why)"
  (cd "$ROOT" && JAVA_HOME=$JAVA_HOME mvn -q -B -pl bench -am -DskipTests package >&2) ||
    die "the build failed (mvn -q -B -pl bench -am -DskipTests package in $ROOT): fix it and re-run"
  log "built in $(elapsed_since "$start")"
}

# ---------------------------------------------------------------------------------------
# Engines. devstack starts (or finds) Postgres and Redis and runs until SIGTERM; it writes
# KEY=VALUE lines to <home>/devstack.env and prints "devstack: ready".
# BENCH_USE_ENV_ENGINES=1 skips it and uses TINYSCALE_DB_URL/_USER/_PASSWORD and
# TINYSCALE_REDIS_URL from the environment as they are (it then writes the bench's links
# into that database: give it one of its own).

start_engines() {
  local home=$1 database=$2 timeout=${BENCH_DEVSTACK_TIMEOUT:-240}
  if [[ ${BENCH_USE_ENV_ENGINES:-0} == 1 ]]; then
    [[ -n ${TINYSCALE_DB_URL:-} && -n ${TINYSCALE_REDIS_URL:-} ]] ||
      die "BENCH_USE_ENV_ENGINES=1 needs TINYSCALE_DB_URL (and _DB_USER, _DB_PASSWORD) and TINYSCALE_REDIS_URL"
    log "engines: using TINYSCALE_DB_URL=$TINYSCALE_DB_URL and TINYSCALE_REDIS_URL=$TINYSCALE_REDIS_URL as given"
    return 0
  fi
  local env_file=$home/devstack.env log_file=$LOG_DIR/devstack.log start i
  mkdir -p "$home"
  rm -f "$env_file"
  start=$(date +%s)
  # ports of their own for engines devstack starts, so a running ./tinyscale up does not clash
  export TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT:-54429}
  export TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT:-63899}
  export TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT:-29192}
  export TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT:-29299}
  log "engines: starting devstack (home ${home#"$ROOT"/}, database $database; log ${log_file#"$ROOT"/})"
  start_bg devstack "$log_file" "$JAVA_HOME/bin/java" "@$ROOT/lib/jvm.options" \
    -cp "$ROOT/$DEVSTACK_JAR:$ROOT/$DEVSTACK_LIB/*" io.tinyscale.devstack.DevStack \
    --home "$home" --database "$database"
  DEVSTACK_PID=$BG_PID
  for ((i = 0; i < timeout * 5; i++)); do
    if [[ -s $env_file ]] && grep -q 'devstack: ready' "$log_file"; then
      break
    fi
    if ! is_alive "$DEVSTACK_PID"; then
      tail -n 30 "$log_file" | sed 's/^/  devstack: /' >&2
      die "devstack exited before it was ready (log: $log_file)"
    fi
    sleep 0.2
  done
  if ! [[ -s $env_file ]] || ! grep -q 'devstack: ready' "$log_file"; then
    tail -n 30 "$log_file" | sed 's/^/  devstack: /' >&2
    die "devstack was not ready after ${timeout}s (log: $log_file)"
  fi
  local line key value
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^([A-Z_][A-Z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    export "$key=$value"
  done <"$env_file"
  for key in TINYSCALE_DB_URL TINYSCALE_DB_USER TINYSCALE_REDIS_URL; do
    [[ -n ${!key:-} ]] || die "devstack wrote no $key to $env_file"
  done
  log "engines: ready in $(elapsed_since "$start") (db $TINYSCALE_DB_URL, redis $TINYSCALE_REDIS_URL)"
}

# start_own_engines HOME DATABASE KAFKA_PORT [OPENSEARCH_PORT] — engines for a benchmark that
# deletes topics (and indices) and empties tables: only ever engines it was pointed at explicitly,
# never a broker or node that happens to be in the environment. With BENCH_USE_ENV_ENGINES=1 those
# the TINYSCALE_* variables give (TINYSCALE_KAFKA_BOOTSTRAP, and TINYSCALE_OPENSEARCH_URL when
# OPENSEARCH_PORT is given, must be set); else devstack with a Kafka broker of the bench's own on
# 127.0.0.1:KAFKA_PORT whose data is deleted first (every run starts with an empty broker) and, with
# OPENSEARCH_PORT, an OpenSearch node of its own there; Postgres and Redis are found or started as
# usual. Sets BROKER_PID and SEARCH_PID: the processes devstack started, else 0.
start_own_engines() {
  local home=$1 database=$2 kafka_port=$3 search_port=${4:-}
  # shellcheck disable=SC2034 # read by the caller
  BROKER_PID=0 SEARCH_PID=0
  if [[ ${BENCH_USE_ENV_ENGINES:-0} == 1 ]]; then
    [[ -n ${TINYSCALE_KAFKA_BOOTSTRAP:-} ]] || die "BENCH_USE_ENV_ENGINES=1 needs TINYSCALE_KAFKA_BOOTSTRAP too"
    [[ -z $search_port || -n ${TINYSCALE_OPENSEARCH_URL:-} ]] || die "BENCH_USE_ENV_ENGINES=1 needs TINYSCALE_OPENSEARCH_URL too"
    log "engines: as given; topic clicks on $TINYSCALE_KAFKA_BOOTSTRAP will be deleted and created anew${search_port:+, the TinyScale indices on $TINYSCALE_OPENSEARCH_URL deleted}"
    start_engines "$home" "$database"
    return 0
  fi
  unset TINYSCALE_DB_URL TINYSCALE_DB_USER TINYSCALE_DB_PASSWORD TINYSCALE_REDIS_URL TINYSCALE_KAFKA_BOOTSTRAP
  export TINYSCALE_DEVSTACK_KAFKA_PORT=$kafka_port TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=$kafka_port
  if [[ -n $search_port ]]; then
    unset TINYSCALE_OPENSEARCH_URL
    export TINYSCALE_DEVSTACK_OPENSEARCH_PORT=$search_port TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT=$search_port
  fi
  rm -rf "$home/kafka"
  start_engines "$home" "$database"
  [[ -n ${TINYSCALE_KAFKA_BOOTSTRAP:-} ]] || die "devstack wrote no TINYSCALE_KAFKA_BOOTSTRAP"
  # shellcheck disable=SC2034 # read by the caller
  BROKER_PID=$(cat "$home/kafka/kafka.pid" 2>/dev/null || echo 0)
  if [[ -n $search_port ]]; then
    [[ -n ${TINYSCALE_OPENSEARCH_URL:-} ]] || die "devstack wrote no TINYSCALE_OPENSEARCH_URL"
    # shellcheck disable=SC2034 # read by the caller
    SEARCH_PID=$(cat "$home/opensearch/opensearch.pid" 2>/dev/null || echo 0)
  fi
}

# psql against the app's database, from the JDBC URL: jdbc:postgresql://host[:port]/db[?...]
bench_psql() {
  local url=${TINYSCALE_DB_URL#jdbc:}
  [[ $url =~ ^postgresql://([^/:?]+)(:([0-9]+))?/([^?]+) ]] ||
    die "cannot read host/port/database from TINYSCALE_DB_URL=$TINYSCALE_DB_URL"
  PGHOST=${BASH_REMATCH[1]} PGPORT=${BASH_REMATCH[3]:-5432} PGDATABASE=${BASH_REMATCH[4]} \
    PGUSER=${TINYSCALE_DB_USER:-postgres} PGPASSWORD=${TINYSCALE_DB_PASSWORD:-} \
    PGCONNECT_TIMEOUT=10 psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

# ---------------------------------------------------------------------------------------
# The app

# launch_app PORT HOME ROLE CPUS LOG — starts the packaged app in the background and returns
# at once; sets APP_PID. CPUS: the CPUs it may use (taskset list), empty for all. A caller's
# APP_EXTRA_ENV (NAME=value ...) comes after the defaults below, so it can put a limit back.
launch_app() {
  local port=$1 home=$2 role=$3 cpus=$4 log_file=$5
  local -a java_opts pin=()
  # -Xmx: the redirect path allocates little per request and 100k cached links take a few
  # tens of MB; 256 MB leaves room for the API and the Kafka producer's buffer while
  # keeping the whole process well under the 512 MB target.
  # a crash report, if any, goes to the logs, not the working tree
  # the shared flags (lib/jvm.options), the app's own (app/jvm.options), then the benchmark's
  read -r -a java_opts <<<"@$ROOT/lib/jvm.options @$ROOT/app/jvm.options -Xmx${BENCH_HEAP:-256m} -XX:ErrorFile=$LOG_DIR/hs_err_pid%p.log ${BENCH_JAVA_OPTS:-}"
  local where="not pinned"
  if [[ -n $cpus ]]; then
    pin=(taskset -c "$cpus")
    where="pinned to CPU $cpus"
  fi
  mkdir -p "$home"
  log "app: starting role $role on 127.0.0.1:$port, $where (java ${java_opts[*]}; log ${log_file#"$ROOT"/})"
  start_bg app "$log_file" env \
    TINYSCALE_HTTP_PORT="$port" \
    TINYSCALE_BASE_URL="http://127.0.0.1:$port" \
    TINYSCALE_API_RATE_LIMIT=100000000 \
    TINYSCALE_AUTH_RATE_LIMIT=100000 \
    TINYSCALE_IP_RATE_LIMIT=100000000 \
    TINYSCALE_MISS_RATE_LIMIT=100000000 \
    TINYSCALE_ROLE="$role" \
    TINYSCALE_HOME="$home" \
    QUARKUS_HTTP_HOST=127.0.0.1 \
    "${APP_EXTRA_ENV[@]}" \
    "${pin[@]}" "$JAVA_HOME/bin/java" "${java_opts[@]}" -jar "$ROOT/$APP_JAR"
  APP_PID=$BG_PID
}

# start_app PORT HOME [LOG] — the app in role BENCH_APP_ROLE (server) on CPU 0, once it
# answers GET /health/ready with 200; sets APP_PID. LOG defaults to $LOG_DIR/app.log.
start_app() {
  local port=$1 home=$2 log_file=${3:-$LOG_DIR/app.log} start
  start=$(date +%s)
  launch_app "$port" "$home" "${BENCH_APP_ROLE:-server}" 0 "$log_file"
  await_app_ready "$port" "$log_file" "$start"
}

# await_app_ready PORT LOG START_EPOCH_SECONDS — waits until the app that launch_app started (APP_PID)
# answers GET /health/ready with 200 on PORT; dies with the end of its LOG when it exits first or
# does not within BENCH_APP_TIMEOUT (120) seconds.
await_app_ready() {
  local port=$1 log_file=$2 start=$3 timeout=${BENCH_APP_TIMEOUT:-120} i code
  for ((i = 0; i < timeout * 5; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health/ready" || true)
    [[ $code == 200 ]] && break
    if ! is_alive "$APP_PID"; then
      tail -n 40 "$log_file" | sed 's/^/  app: /' >&2
      die "the app exited before it was ready (log: $log_file)"
    fi
    sleep 0.2
  done
  if [[ $code != 200 ]]; then
    tail -n 40 "$log_file" | sed 's/^/  app: /' >&2
    die "the app did not answer GET /health/ready with 200 within ${timeout}s (last: ${code:-none}; log: $log_file)"
  fi
  log "app: ready in $(elapsed_since "$start") (pid $APP_PID, $(taskset -p "$APP_PID" | sed 's/.*: /CPU mask /'))"
}

# ---------------------------------------------------------------------------------------
# The bench tool (bench/src), for the steps of a benchmark a shell cannot do: TOOL_CLASS (e.g.
# io.tinyscale.bench.PipelineBench) with a command, in the background so that Ctrl-C stops it at
# once; progress on stderr, "RESULT k=v ..." lines in its output file. Its heap is BENCH_HEAP.

# start_tool NAME OUTFILE ARGS... — sets BG_PID
start_tool() {
  local name=$1 out=$2
  shift 2
  "$JAVA_HOME/bin/java" "@$ROOT/lib/jvm.options" "-Xmx${BENCH_HEAP:-512m}" "-Dbench.clkTck=$CLK_TCK" \
    -Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.jooq=error \
    -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -cp "$ROOT/$BENCH_JAR:$ROOT/$BENCH_LIB/*" "$TOOL_CLASS" "$@" >"$out" </dev/null &
  BG_PID=$!
  BENCH_PIDS+=("$BG_PID")
  BENCH_NAMES[$BG_PID]=$name
}

# finish_tool PID — waits for it; its exit status
finish_tool() {
  local pid=$1 status=0
  wait "$pid" || status=$?
  stop_pid "$pid" 1
  return "$status"
}

run_tool() { # NAME OUTFILE ARGS...
  start_tool "$@"
  finish_tool "$BG_PID" || die "$1 failed (see above)"
}

# result FILE KEY [MATCH] — a value of the first "RESULT k=v ..." line of FILE (that contains
# MATCH, e.g. "name=histogram cache=cleared"); nothing when there is none
result() {
  { grep '^RESULT ' "$1" 2>/dev/null || true; } | { grep -F -e "${3:-RESULT}" || true; } | head -n 1 |
    tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2; exit}'
}

# ---------------------------------------------------------------------------------------
# Links: b0000001 -> https://example.com/p/0000001, ..., owned by one bench user who is
# registered through the API; the links are written with one SQL statement (100k through
# POST /api/shorten would take minutes and measure the API, not the redirect). Re-runs
# reuse them.

BENCH_EMAIL=bench@example.com
BENCH_PASSWORD=bench-password-0123456789

# ensure_bench_user PORT — the bench user's id on stdout, registered through the app on PORT
# when the database does not hold it yet.
ensure_bench_user() { # PORT -> the user's id on stdout
  local port=$1 uid body code
  uid=$(bench_psql -c "select id from users where email = '$BENCH_EMAIL'") || die "cannot query table users (has the app applied its schema?)"
  if [[ -z $uid ]]; then
    body=$(mktemp)
    code=$(curl -s -o "$body" -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
      -d "{\"email\":\"$BENCH_EMAIL\",\"password\":\"$BENCH_PASSWORD\"}" \
      "http://127.0.0.1:$port/api/auth/register" || true)
    uid=$(bench_psql -c "select id from users where email = '$BENCH_EMAIL'")
    if [[ -z $uid ]]; then
      sed 's/^/  register: /' "$body" >&2
      rm -f "$body"
      die "POST /api/auth/register answered ${code:-nothing} and user $BENCH_EMAIL does not exist"
    fi
    rm -f "$body"
    log "data: user $BENCH_EMAIL registered (id $uid)"
  fi
  printf '%s\n' "$uid"
}

seed_links() {
  local port=$1 links=$2 start last existing uid
  start=$(date +%s)
  last=$(printf 'b%07d' "$links")
  existing=$(bench_psql -c "select count(*) from urls
      where short_code between 'b0000001' and '$last' and length(short_code) = 8
        and original_url = 'https://example.com/p/' || substr(short_code, 2)
        and redirect_type = 302 and not disabled and deleted_at is null and expires_at is null") ||
    die "cannot query table urls (has the app applied its schema?)"
  if ((existing == links)); then
    log "data: reusing the $links links b0000001..$last (checked in $(elapsed_since "$start"))"
    return 0
  fi
  uid=$(ensure_bench_user "$port")
  log "data: $existing of $links links present, writing the rest"
  bench_psql -c "insert into urls (short_code, original_url, user_id)
      select 'b' || lpad(g::text, 7, '0'), 'https://example.com/p/' || lpad(g::text, 7, '0'), $uid
      from generate_series(1, $links) g
      on conflict (short_code) do update
        set original_url = excluded.original_url, redirect_type = 302, disabled = false,
            deleted_at = null, expires_at = null, updated_at = current_timestamp
        where urls.original_url <> excluded.original_url or urls.redirect_type <> 302
           or urls.disabled or urls.deleted_at is not null or urls.expires_at is not null" >/dev/null ||
    die "inserting the links failed"
  bench_psql -c "analyze urls" >/dev/null || true
  log "data: $links links b0000001..$last ready in $(elapsed_since "$start")"
}

# check_redirect LABEL PORT — one request, which must be the 302 that the bench expects.
check_redirect() {
  local label=$1 port=$2 out code location
  out=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 10 "http://127.0.0.1:$port/b0000001" || true)
  code=${out%% *}
  location=${out#* }
  if [[ $code != 302 || $location != https://example.com/p/0000001 ]]; then
    die "$label: GET /b0000001 answered '$out', expected 302 to https://example.com/p/0000001"
  fi
}

# random_codes_run LABEL PIDS PORT SECONDS OUTFILE — one timed wrk run against 127.0.0.1:PORT:
# one thread, CONNECTIONS keep-alive connections, a random one of the LINKS seeded codes per
# request (bench/wrk/random-codes.lua); PIDS are the server's processes, whose CPU time is
# measured (run_wrk). Fails on error responses (check_wrk_output).
random_codes_run() {
  run_wrk "$2" "$5" -t1 -c"$CONNECTIONS" -d"$4"s --latency \
    -s "$ROOT/bench/wrk/random-codes.lua" "http://127.0.0.1:$3" -- "$LINKS"
  check_wrk_output "$1" "$5"
}

# pin_broker_to_wrk_cpu HOME — the Kafka broker devstack started under HOME (it ingests every
# click during TinyScale's rounds) moves to CPU 1, wrk's core: CPU 0 stays the server's alone.
pin_broker_to_wrk_cpu() {
  local broker_pid
  broker_pid=$(pgrep -f "KafkaBrokerMain .*$1/kafka/" | head -n 1 || true)
  if [[ -n $broker_pid ]]; then
    taskset -a -p -c 1 "$broker_pid" >/dev/null
    log "kafka: devstack's broker (pid $broker_pid) pinned to CPU 1, with wrk"
  fi
}

# warm_cache PORT LINKS NAME — requests each seeded code once, in order (wrk on CPU 1,
# wrk/walk-codes.lua), so that timed runs measure cache hits; every answer must be a 302.
# NAME names its files in LOG_DIR (wrk-NAME.txt).
warm_cache() {
  local port=$1 links=$2 out=$LOG_DIR/wrk-$3.txt marker=$LOG_DIR/$3.done start i result walk_pid
  rm -f "$marker".*
  start=$(date +%s)
  log "cache: requesting each of the $links codes once on port $port"
  start_bg wrk "$out" taskset -c 1 wrk -t1 -c32 -d"${BENCH_WALK_MAX:-600}"s \
    -s "$ROOT/bench/wrk/walk-codes.lua" "http://127.0.0.1:$port" -- "$links" "$marker" 1
  walk_pid=$BG_PID
  while is_alive "$walk_pid" && [[ ! -e $marker.1 ]]; do sleep 0.2; done
  kill -INT "$walk_pid" 2>/dev/null || true # wrk prints its summary and exits
  for ((i = 0; i < 100; i++)); do is_alive "$walk_pid" || break; sleep 0.1; done
  stop_pid "$walk_pid" 1
  result=$(grep -m1 '^WALK_RESULT ' "$out" || true)
  [[ -e $marker.1 && -n $result ]] || {
    sed 's/^/  wrk: /' "$out" >&2
    die "the cache walk did not finish within ${BENCH_WALK_MAX:-600}s"
  }
  rm -f "$marker".*
  [[ $result == *" not_302=0 "* ]] || die "the cache walk got answers other than 302: $result"
  log "cache: $links codes answered 302 in $(elapsed_since "$start") ($(awk '/^Requests\/sec:/{printf "%.0f req/s", $2}' "$out"))"
}
