#!/usr/bin/env bash
# ./tinyscale bench scale — the redirect at several scales of data: req/s, p50, p99 and the
# server's memory with 10,000, 1,000,000 and 10,000,000 links, the codes requested drawn from a
# uniform distribution and from a Zipf one.
#
#   bench/scale.sh            (or ./tinyscale bench scale)
#
# Steps: build what is missing; engines through devstack (Postgres, Redis, a Kafka broker: click
# capture stays on, as in production; no OpenSearch: the redirect does not use it). Then for each
# step of SCALE_STEPS, smallest first: the packaged app (re)started on CPU 0 (-Xmx256m, role
# server), so that its memory is that step's; the table urls grown to N links s00000001..s<N>
# with one INSERT … SELECT generate_series (a later run finds them and reuses them; 10,000,000
# take minutes the first time), its size on disk; then per distribution: Redis' database emptied,
# a warm-up (not counted), one timed run of `wrk -t1 -c64 --latency` on CPU 1
# (bench/wrk/scale-codes.lua), the app's cache counters from /metrics around it, its RSS, then its
# heap after a full GC. The L1 cache holds tinyscale.cache.l1-max-entries (250,000) links: at
# 1,000,000 and more it cannot hold them all, which is what this measures. The per-network limit
# on cache misses (TINYSCALE_MISS_RATE_LIMIT) is lifted, since every request comes from 127.0.0.1.
# Prints a table (links, distribution, req/s, p50, p99, errors, RSS, heap, L1 / Redis / Postgres
# share of the lookups) and writes it with a TSV for charts under .tinyscale/bench-scale/results/.
#
# Settings (environment): SCALE_STEPS ("10000 1000000 10000000"), DISTRIBUTIONS ("uniform zipf"),
# ZIPF_S (1.0: rank k gets a share proportional to 1/k^S), ZIPF_POOL (1000000 ranks sampled per
# run), SCALE_FRESH=1 (empty table urls first, so that each step's table holds its links alone;
# 10,000,000 are then written again), DURATION (20 s per timed run), WARMUP (10 s per distribution, not counted), CONNECTIONS (64),
# BENCH_APP_PORT (28200), BENCH_KAFKA_PORT (28212: devstack's broker), BENCH_OPENSEARCH_PORT
# (28219: where the app is told OpenSearch is; nothing need listen there), BENCH_HOME
# (.tinyscale/bench-scale), BENCH_DATABASE (tinyscale_bench_scale), BENCH_REDIS_DB (14: a Redis
# database of the bench's own, emptied before each run), BENCH_HEAP (256m), BENCH_JAVA_OPTS,
# BENCH_USE_ENV_ENGINES=1 (use TINYSCALE_DB_*/TINYSCALE_REDIS_URL/TINYSCALE_KAFKA_BOOTSTRAP as
# given), JAVA_HOME (a JDK 25).
# Exit status: 0 when the measurement ran.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

read -r -a STEPS <<<"${SCALE_STEPS:-10000 1000000 10000000}"
read -r -a DISTS <<<"${DISTRIBUTIONS:-uniform zipf}"
ZIPF_S=${ZIPF_S:-1.0}
ZIPF_POOL=${ZIPF_POOL:-1000000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-64}
APP_PORT=${BENCH_APP_PORT:-28200}
KAFKA_PORT=${BENCH_KAFKA_PORT:-28212}
SEARCH_PORT=${BENCH_OPENSEARCH_PORT:-28219}
REDIS_DB=${BENCH_REDIS_DB:-14}
FRESH=${SCALE_FRESH:-0}
whole_numbers ZIPF_POOL DURATION WARMUP CONNECTIONS APP_PORT KAFKA_PORT SEARCH_PORT REDIS_DB
((DURATION >= 1 && ZIPF_POOL >= 1000)) || die "need DURATION >= 1 and ZIPF_POOL >= 1000"
[[ $ZIPF_S =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "ZIPF_S must be a number, not '$ZIPF_S'"
((${#STEPS[@]} >= 1)) || die "SCALE_STEPS is empty"
for n in "${STEPS[@]}"; do
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 100 || n > 99999999)); then
    die "each of SCALE_STEPS must be a whole number from 100 to 99999999, not '$n'"
  fi
done
mapfile -t STEPS < <(printf '%s\n' "${STEPS[@]}" | sort -n -u)
[[ $FRESH == 0 || $FRESH == 1 ]] || die "SCALE_FRESH is 0 or 1, not '$FRESH'"
[[ $FRESH == 0 || ${BENCH_USE_ENV_ENGINES:-0} != 1 ]] || die "SCALE_FRESH=1 empties table urls: not with BENCH_USE_ENV_ENGINES=1"
for d in "${DISTS[@]}"; do
  [[ $d == uniform || $d == zipf ]] || die "DISTRIBUTIONS holds uniform and/or zipf, not '$d'"
done

BENCH_HOME=${BENCH_HOME:-$ROOT/.tinyscale/bench-scale}
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
mkdir -p "$LOG_DIR" "$RESULTS_DIR"
STAMP=$(date +%Y%m%d-%H%M%S)
RESULT_FILE=$RESULTS_DIR/scale-$STAMP.txt
TSV_FILE=$RESULTS_DIR/scale-$STAMP.tsv
APP_PID=""
SEED_SQL=""
bench_cleanup() {
  # a seeding statement cut short by Ctrl-C: its backend would otherwise go on to its end
  if [[ -n $SEED_SQL && -n ${TINYSCALE_DB_URL:-} ]]; then
    bench_psql -c "select pg_cancel_backend(pid) from pg_stat_activity
      where datname = current_database() and query like 'insert into urls%generate_series%'" >/dev/null 2>&1 || true
  fi
}
stop_on_exit
cd "$ROOT"
RUN_START=$(date +%s)

require_tools wrk:wrk curl:curl psql:postgresql-client redis-cli:redis-tools taskset:util-linux \
  setsid:util-linux pgrep:procps
(($(nproc) >= 2)) || die "this benchmark pins the app to CPU 0 and wrk to CPU 1: it needs 2 CPUs, this machine has $(nproc)"
JAVA_HOME=$(find_jdk25)
export JAVA_HOME
ensure_built
port_in_use "$APP_PORT" && die "127.0.0.1:$APP_PORT is already in use: stop what listens there or set BENCH_APP_PORT"

# engines -------------------------------------------------------------------------------------
if [[ ${BENCH_USE_ENV_ENGINES:-0} != 1 ]]; then
  # a broker of the bench's own (where devstack looks for one and where it starts it)
  export TINYSCALE_DEVSTACK_KAFKA_PORT=${TINYSCALE_DEVSTACK_KAFKA_PORT:-$KAFKA_PORT}
  export TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT=${TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT:-$KAFKA_PORT}
  # the redirect never asks OpenSearch (role server searches only for the API): a "given" URL
  # where nothing need listen keeps devstack from starting a node; /health/ready stays 200
  export TINYSCALE_OPENSEARCH_URL=${TINYSCALE_OPENSEARCH_URL:-http://127.0.0.1:$SEARCH_PORT}
  log "opensearch: not started (the redirect does not use it); the app is given $TINYSCALE_OPENSEARCH_URL"
fi
start_engines "$BENCH_HOME" "${BENCH_DATABASE:-tinyscale_bench_scale}"
use_redis_database "$REDIS_DB"
pin_broker_to_wrk_cpu "$BENCH_HOME"
# every request comes from 127.0.0.1: the per-network limit on cache misses would answer 429 to
# most of them at 1,000,000 links and more (launch_app lifts it; said here so that it is seen)
log "limits: TINYSCALE_MISS_RATE_LIMIT lifted (100000000 misses a minute per network), as all requests come from 127.0.0.1"

redis_flush() {
  redis-cli -u "$TINYSCALE_REDIS_URL" flushdb >/dev/null || die "cannot empty Redis database $REDIS_DB ($TINYSCALE_REDIS_URL)"
}

# data ----------------------------------------------------------------------------------------
# Links s00000001 -> https://example.com/s/00000001 ..., 8 digits (up to 99,999,999), owned by
# the bench user (registered through the API, as lib/tinyscale.sh's seed_links does). The table
# grows from one step to the next: each step inserts only the codes it lacks.


SEEDED_MAX=0 # s00000001..s<SEEDED_MAX> known to be in the table (checked or written in this run)
seed_step() { # PORT N
  local port=$1 n=$2 start uid count max from conflict="" psql_pid
  start=$(date +%s)
  if ((SEEDED_MAX >= n)); then
    log "data: reusing s00000001..$(printf 's%08d' "$n") (checked earlier in this run)"
    return 0
  fi
  read -r count max < <(bench_psql -F ' ' -c "select count(*), coalesce(max(substr(short_code, 2)::int), 0)
      from urls where short_code ~ '^s[0-9]{8}\$'") || die "cannot query table urls"
  if ((count == max && max >= n)); then
    log "data: reusing the table's links s00000001..$(printf 's%08d' "$max") (found in $(elapsed_since "$start")); this step requests the first $n"
    SEEDED_MAX=$max
    return 0
  fi
  uid=$(ensure_bench_user "$port")
  if ((count == max)); then
    from=$((max + 1)) # s00000001..s<max> are there: only the rest
  else
    from=1 conflict="on conflict (short_code) do nothing" # holes: fill them
  fi
  log "data: $count links s… present (the highest $(printf 's%08d' "$max")); writing $(printf 's%08d' "$from")..$(printf 's%08d' "$n") ($((n - from + 1)) rows, one INSERT … SELECT generate_series)"
  SEED_SQL="insert into urls (short_code, original_url, user_id)
      select 's' || lpad(g::text, 8, '0'), 'https://example.com/s/' || lpad(g::text, 8, '0'), $uid
      from generate_series($from, $n) g $conflict"
  # in the background, so that the wait can say how far it is and Ctrl-C stops it (bench_cleanup
  # cancels the statement in Postgres too)
  # shellcheck disable=SC2016 # $SEED_SQL is expanded by that shell, from its environment
  start_bg seed "$LOG_DIR/seed-$n.log" env SEED_SQL="$SEED_SQL" PGOPTIONS="-c synchronous_commit=off" \
    bash -c "$(declare -f bench_psql die)"$'\n''bench_psql -c "$SEED_SQL"'
  psql_pid=$BG_PID
  local i=0
  while is_alive "$psql_pid"; do
    sleep 1
    if ((++i % 15 == 0)); then
      log "data: writing, $(elapsed_since "$start"); urls and its indexes now $(bench_psql -c "select pg_size_pretty(pg_total_relation_size('urls'))")"
    fi
  done
  wait "$psql_pid" || { sed 's/^/  psql: /' "$LOG_DIR/seed-$n.log" >&2; die "inserting the links failed"; }
  stop_pid "$psql_pid" 1
  SEED_SQL=""
  log "data: inserted in $(elapsed_since "$start"); vacuum analyze urls"
  bench_psql -c "vacuum (analyze) urls" >/dev/null || die "vacuum analyze urls failed"
  SEEDED_MAX=$n
  log "data: $n links s00000001..$(printf 's%08d' "$n") ready in $(elapsed_since "$start")"
}

table_size() { # -> "rows table_mb indexes_mb total_mb"
  bench_psql -F ' ' -c "select (select count(*) from urls),
      round(pg_table_size('urls') / 1048576.0), round(pg_indexes_size('urls') / 1048576.0),
      round(pg_total_relation_size('urls') / 1048576.0)"
}

check_code() { # PORT N
  local out want
  want=$(printf 'https://example.com/s/%08d' "$2")
  out=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 10 "http://127.0.0.1:$1/$(printf 's%08d' "$2")" || true)
  [[ $out == "302 $want" ]] || die "GET /$(printf 's%08d' "$2") answered '$out', expected 302 to $want"
}

# metrics -------------------------------------------------------------------------------------
# "tier_result value" per line from tinyscale_cache_requests, then "heap value" (bytes used)
metrics_snapshot() { # PORT
  curl -s --max-time 10 "http://127.0.0.1:$1/metrics" | awk '
    /^tinyscale_cache_requests(_total)?\{/ {
      t = $0; sub(/.*tier="/, "", t); sub(/".*/, "", t)
      r = $0; sub(/.*result="/, "", r); sub(/".*/, "", r)
      v[t "_" r] += $NF }
    /^jvm_memory_used_bytes\{/ && /area="heap"/ { heap += $NF }
    END { for (k in v) print k, v[k]; print "heap", heap + 0 }'
}
metric_delta() { # BEFORE AFTER KEY
  awk -v k="$3" 'NR == FNR {if ($1 == k) b = $2; next} $1 == k {printf "%.0f", $2 - b}' \
    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN{if (b > 0) printf "%.1f", 100 * a / b; else print "n/a"}'; }
mb() { awk -v b="$1" 'BEGIN{printf "%.0f", b / 1048576}'; }

# measure -------------------------------------------------------------------------------------
declare -A RPS=() P99=() RSS_STEP=()
ROWS_TXT=""
LOG_TXT=""
WRK_CPU_MAX=0

scale_run() { # N DIST SECONDS OUTFILE
  pin_database_backends
  run_wrk "$APP_PID" "$4" -t1 -c"$CONNECTIONS" -d"$3"s --latency \
    -s "$ROOT/bench/wrk/scale-codes.lua" "http://127.0.0.1:$APP_PORT" -- "$1" "$2" "$ZIPF_S" "$ZIPF_POOL"
  local rps
  rps=$(wrk_result "$4" rps)
  if [[ -z $rps ]] || ! awk -v r="$rps" 'BEGIN {exit !(r > 0)}'; then
    sed 's/^/  wrk: /' "$4" >&2
    die "$2 at $1 links: wrk completed no request (see $4)"
  fi
}

zipf_meaning() { # N WRK_OUTPUT -> what ZIPF_S means at N links
  printf 'Zipf s=%s at %s links: the top 1%% of the links get %s%% of the requests (in the sampled pool: %s%%)\n' "$ZIPF_S" "$1" \
    "$(awk -v v="$(wrk_result "$2" top1_expected)" 'BEGIN{printf "%.1f", 100 * v}')" \
    "$(awk -v v="$(wrk_result "$2" top1_share)" 'BEGIN{printf "%.1f", 100 * v}')"
}
ZIPF_TXT=""

step_index=0
FRESH_DONE=0
for n in "${STEPS[@]}"; do
  step_index=$((step_index + 1))
  if [[ -n $APP_PID ]]; then
    log "app: stopping (pid $APP_PID), to measure the next step's memory from a fresh start"
    stop_pid "$APP_PID" 30
    APP_PID=""
  fi
  log "step $step_index/${#STEPS[@]}: $n links"
  start_app "$APP_PORT" "$BENCH_HOME/app" "$LOG_DIR/app-$n.log"
  if [[ $FRESH == 1 && $FRESH_DONE == 0 ]]; then
    # the bench's own database: its links (and whatever refers to them) go, its user stays
    log "data: SCALE_FRESH=1: truncate urls cascade, so that each step's table holds its links alone"
    bench_psql -c "truncate urls cascade" >/dev/null || die "truncate urls failed"
    SEEDED_MAX=0
    FRESH_DONE=1
  fi
  seed_step "$APP_PORT" "$n"
  read -r rows table_mb index_mb total_mb < <(table_size)
  line="data: $n links requested; table urls holds $rows rows: $table_mb MB table + $index_mb MB indexes = $total_mb MB on disk"
  log "$line"
  LOG_TXT+="$line"$'\n'
  check_code "$APP_PORT" 1
  check_code "$APP_PORT" "$n"
  rss_start=$(rss_kb "$APP_PID")
  for dist in "${DISTS[@]}"; do
    redis_flush
    if ((WARMUP > 0)); then
      log "$n links, $dist: warm-up ${WARMUP}s (Redis database $REDIS_DB emptied first; not counted)"
      scale_run "$n" "$dist" "$WARMUP" "$LOG_DIR/wrk-$n-$dist-warmup.txt"
    fi
    before=$(metrics_snapshot "$APP_PORT")
    out=$LOG_DIR/wrk-$n-$dist.txt
    log "$n links, $dist: ${DURATION}s: wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency -s bench/wrk/scale-codes.lua -- $n $dist"
    scale_run "$n" "$dist" "$DURATION" "$out"
    after=$(metrics_snapshot "$APP_PORT")
    rss=$(rss_kb "$APP_PID")
    "$JAVA_HOME/bin/jcmd" "$APP_PID" GC.run >/dev/null 2>&1 || log "jcmd GC.run failed: heap figure is without a GC"
    heap=$(metrics_snapshot "$APP_PORT" | awk '$1 == "heap" {print $2}')
    rps=$(wrk_result "$out" rps)
    p50=$(wrk_result "$out" p50_us)
    p99=$(wrk_result "$out" p99_us)
    errors=$(($(wrk_non_3xx "$out") + $(wrk_result "$out" err_connect) + $(wrk_result "$out" err_read) + $(wrk_result "$out" err_write) + $(wrk_result "$out" err_timeout)))
    wrk_cpu=$(wrk_result "$out" wrk_cpu_pct)
    ((wrk_cpu > WRK_CPU_MAX)) && WRK_CPU_MAX=$wrk_cpu
    l1_hit=$(metric_delta "$before" "$after" l1_hit)
    lookups=$((l1_hit + $(metric_delta "$before" "$after" l1_miss) + $(metric_delta "$before" "$after" l1_negative)))
    l2_hit=$(metric_delta "$before" "$after" l2_hit)
    db_hit=$(metric_delta "$before" "$after" db_hit)
    RPS[$n,$dist]=$rps
    P99[$n,$dist]=$p99
    ((${RSS_STEP[$n]:-0} > rss)) || RSS_STEP[$n]=$rss
    row=$(printf '%10s %-8s %9.0f %7.2f %7.2f %7d %7s %7s %6s %6s %6s' "$n" "$dist" "$rps" \
      "$(awk -v u="$p50" 'BEGIN{print u/1000}')" "$(awk -v u="$p99" 'BEGIN{print u/1000}')" "$errors" \
      "$(mb $((rss * 1024)))" "$(mb "$heap")" "$(pct "$l1_hit" "$lookups")" "$(pct "$l2_hit" "$lookups")" "$(pct "$db_hit" "$lookups")")
    ROWS_TXT+="$row"$'\n'
    line=$(printf '%s links, %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d; L1 %s%% of %d lookups, Redis %s%%, Postgres %s%%; RSS %s MB (%s MB at the step start), heap after GC %s MB; wrk CPU %s%%; busy: CPU 0 %s%%, CPU 1 %s%%; CPU pressure %s%%' \
      "$n" "$dist" "$rps" "$(awk -v u="$p50" 'BEGIN{print u/1000}')" "$(awk -v u="$p99" 'BEGIN{print u/1000}')" "$errors" \
      "$(pct "$l1_hit" "$lookups")" "$lookups" "$(pct "$l2_hit" "$lookups")" "$(pct "$db_hit" "$lookups")" \
      "$(mb $((rss * 1024)))" "$(mb $((rss_start * 1024)))" "$(mb "$heap")" "$wrk_cpu" "$WRK_CPU0" "$WRK_CPU1" "$WRK_PRESSURE")
    log "$line"
    LOG_TXT+="$line"$'\n'
    if [[ $dist == zipf ]]; then
      ZIPF_TXT+=$(zipf_meaning "$n" "$out")$'\n'
    fi
    if (($(wrk_non_3xx "$out") > 0)); then
      log "warning: $(wrk_non_3xx "$out") answers were not 2xx/3xx (see $out)"
    fi
  done
done

# report --------------------------------------------------------------------------------------
report() {
  printf '%10s %-8s %9s %7s %7s %7s %7s %7s %6s %6s %6s\n' links dist 'req/s' 'p50 ms' 'p99 ms' errors 'RSS MB' 'heap MB' 'L1 %' 'L2 %' 'PG %'
  printf '%s' "$ROWS_TXT"
  printf 'one run of %ds per row after %ds of warm-up; wrk -t1 -c%d on CPU 1, the app on CPU 0 (-Xmx%s, role %s); a code per request\n' \
    "$DURATION" "$WARMUP" "$CONNECTIONS" "${BENCH_HEAP:-256m}" "${BENCH_APP_ROLE:-server}"
  echo "errors: answers other than 2xx/3xx and socket errors; RSS after the run; heap: used after a full GC (jcmd GC.run) following the run"
  echo "L1 / L2 / PG: share of the lookups answered by the app's memory (L1, at most 250,000 links), Redis (emptied before each distribution's warm-up), Postgres; misses of one code at the same time share one load, so the three need not add up to 100"
  printf '%s' "$ZIPF_TXT"
  echo "the miss limit per client network is lifted (TINYSCALE_MISS_RATE_LIMIT=100000000): every request comes from 127.0.0.1"
  if ((WRK_CPU_MAX > 90)); then
    echo "warning: wrk used up to ${WRK_CPU_MAX}% of its core: the load generator may have limited the rate"
  else
    echo "wrk used at most ${WRK_CPU_MAX}% of its core"
  fi
  echo "CPU pressure (/proc/pressure/cpu) at the end: $(head -n 1 /proc/pressure/cpu 2>/dev/null || echo n/a)"
}

# TSV: one row per step; the x value is the number of links
{
  printf 'links'
  for d in "${DISTS[@]}"; do printf '\t%s_rps' "$d"; done
  for d in "${DISTS[@]}"; do printf '\t%s_p99_ms' "$d"; done
  printf '\trss_mb\n'
  for n in "${STEPS[@]}"; do
    printf '%s' "$n"
    for d in "${DISTS[@]}"; do printf '\t%.0f' "${RPS[$n,$d]}"; done
    for d in "${DISTS[@]}"; do printf '\t%.2f' "$(awk -v u="${P99[$n,$d]}" 'BEGIN{print u/1000}')"; done
    printf '\t%s\n' "$(mb $((RSS_STEP[$n] * 1024)))"
  done
} >"$TSV_FILE"

{
  echo "# ./tinyscale bench scale, $(date -Iseconds)"
  echo "# $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  printf '%s' "$LOG_TXT"
  report
} >"$RESULT_FILE"

# charts: one per kind of figure (the units differ)
chart() { # SUFFIX COLUMNS TITLE Y_LABEL
  local tsv=${TSV_FILE%.tsv}-$1.tsv
  cut -f "$2" "$TSV_FILE" >"$tsv"
  # bars: the steps are orders of magnitude apart, a linear x axis would crowd the small ones
  plot_chart bar "$tsv" "${tsv%.tsv}.png" "$3" "links" "$4"
}
k=${#DISTS[@]}
chart rps "1,2-$((1 + k))" "Redirects per second by number of links" "req/s"
chart p99 "1,$((2 + k))-$((1 + 2 * k))" "Redirect p99 by number of links" "p99 (ms)"
chart rss "1,$((2 + 2 * k))" "Server RSS by number of links" "RSS (MB)"

log "done in $(elapsed_since "$RUN_START"); logs in ${LOG_DIR#"$ROOT"/}; figures also in ${RESULT_FILE#"$ROOT"/}, ${TSV_FILE#"$ROOT"/}"
report
