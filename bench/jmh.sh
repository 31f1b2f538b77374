#!/usr/bin/env bash
# ./tinyscale bench jmh — JMH micro-benchmarks of the redirect's hot-path pieces: code validation,
# the L1 (Caffeine) lookup, the click event (built, journal record, JSON wire format), IP
# anonymisation, and user-agent enrichment with its cache hit and miss.
#
#   bench/jmh.sh      (or ./tinyscale bench jmh)
#
# Steps: build the bench module when its jar has no benchmarks; run JMH (the app's real classes,
# io.tinyscale.bench.jmh, no Quarkus) in average-time mode; print a table of ns per operation with
# the CPU pressure and load of the run, since the machine is shared and absolute figures move with
# the neighbours. About 3 minutes with the defaults.
#
# Settings (environment): BENCH_JMH_INCLUDE (regex of benchmarks, default all),
# BENCH_JMH_FORKS (1), BENCH_JMH_WARMUP (3 iterations), BENCH_JMH_ITERATIONS (5),
# BENCH_JMH_SECONDS (1 per iteration), BENCH_JMH_OPTS (more JMH options, e.g. '-prof gc'),
# BENCH_JAVA_OPTS (flags of the forked JVMs), JAVA_HOME (a JDK 25).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib/setup.sh
source "$BENCH_DIR/lib/setup.sh"

no_arguments "$@"

INCLUDE=${BENCH_JMH_INCLUDE:-io.tinyscale.bench.jmh.}
FORKS=${BENCH_JMH_FORKS:-1}
WARMUP_ITERATIONS=${BENCH_JMH_WARMUP:-3}
ITERATIONS=${BENCH_JMH_ITERATIONS:-5}
ITERATION_SECONDS=${BENCH_JMH_SECONDS:-1}
whole_numbers FORKS WARMUP_ITERATIONS ITERATIONS ITERATION_SECONDS
((ITERATIONS > 0)) || die "BENCH_JMH_ITERATIONS must be at least 1"

BENCH_HOME=$ROOT/.tinyscale/bench-jmh
LOG_DIR=$BENCH_HOME/logs
RESULTS_DIR=$BENCH_HOME/results
mkdir -p "$LOG_DIR" "$RESULTS_DIR"
stop_on_exit
cd "$ROOT"

JAVA_HOME=$(find_jdk25)
export JAVA_HOME

ensure_bench_built 'META-INF/BenchmarkList' 'has no benchmarks'

STAMP=$(date +%Y%m%d-%H%M%S)
CSV=$RESULTS_DIR/jmh-$STAMP.csv
REPORT=$RESULTS_DIR/jmh-$STAMP.txt
JMH_LOG=$LOG_DIR/jmh-$STAMP.log

read -r -a jmh_opts <<<"${BENCH_JMH_OPTS:-}"
read -r -a fork_opts <<<"${BENCH_JAVA_OPTS:-}"
jvm_args=(-Xmx512m)
((${#fork_opts[@]} > 0)) && jvm_args+=("${fork_opts[@]}")

log "JMH: $INCLUDE, $FORKS fork(s), $WARMUP_ITERATIONS warm-up + $ITERATIONS measured iterations of ${ITERATION_SECONDS}s (log ${JMH_LOG#"$ROOT"/}; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
cpu_before=$(cpu_snapshot)
pressure_before=$(cpu_pressure_us)
start=$(date +%s)
start_ns=$(date +%s%N)
# JMH's own progress goes to stderr and the log; the table below is built from its CSV
: >"$JMH_LOG"
start_bg jmh "$JMH_LOG" "$JAVA_HOME/bin/java" -Xmx256m -cp "$ROOT/$BENCH_JAR:$ROOT/$BENCH_LIB/*" \
  org.openjdk.jmh.Main -bm avgt -tu ns -f "$FORKS" -wi "$WARMUP_ITERATIONS" -i "$ITERATIONS" \
  -w "${ITERATION_SECONDS}s" -r "${ITERATION_SECONDS}s" -jvmArgsAppend "${jvm_args[*]}" \
  -rf csv -rff "$CSV" "${jmh_opts[@]}" "$INCLUDE"
JMH_PID=$BG_PID
tail -n +1 -f "$JMH_LOG" --pid "$JMH_PID" | grep --line-buffered -E '^# (Benchmark|Parameters):|^Iteration|^Result' >&2 || true
wait "$JMH_PID" && status=0 || status=$?
cpu_after=$(cpu_snapshot)
pressure_after=$(cpu_pressure_us)
elapsed_ns=$(($(date +%s%N) - start_ns))
((status == 0)) || {
  tail -n 30 "$JMH_LOG" | sed 's/^/  jmh: /' >&2
  die "JMH failed (status $status; log $JMH_LOG)"
}
[[ -s $CSV ]] || die "JMH wrote no results to $CSV (log $JMH_LOG)"

pressure=n/a
if [[ -n $pressure_before && -n $pressure_after ]]; then
  pressure=$(awk -v a="$pressure_before" -v b="$pressure_after" -v t="$elapsed_ns" \
    'BEGIN{printf "%.0f %%", 100 * (b - a) / (t / 1000)}')
fi

{
  printf '%-36s %10s %12s %10s\n' benchmark 'ns/op' '± (99.9 %)' 'best'
  # the log first, for each benchmark's fastest measured iteration (neighbours can only slow an
  # iteration down); then JMH's CSV: "Benchmark","Mode","Threads","Samples","Score",
  # "Score Error (99.9%)","Unit",params...
  awk -F, 'function short(n) { sub(/^io\.tinyscale\.bench\.jmh\./, "", n); sub(/Benchmark\./, ".", n); return n }
    FNR == NR {
      if ($0 ~ /^# Benchmark: /) { base = short(substr($0, 14)); name = base }
      else if ($0 ~ /^# Parameters: /) { p = substr($0, 15); gsub(/[()]/, "", p); gsub(/ = /, "=", p); gsub(/, /, " ", p); name = base " " p }
      else if ($0 ~ /^Iteration +[0-9]+: /) { v = $0; sub(/^Iteration +[0-9]+: /, "", v); v += 0; if (!(name in best) || v < best[name]) best[name] = v }
      next
    }
    FNR == 1 {
      gsub(/["\r]/, ""); for (i = 8; i <= NF; i++) { param[i] = $i; sub(/^Param: /, "", param[i]) }
      next
    }
    {
      gsub(/["\r]/, "")
      name = short($1)
      for (i = 8; i <= NF; i++) if ($i != "") name = name " " param[i] "=" $i
      if ($2 != "avgt") next
      error = ($6 == "NaN") ? "-" : sprintf("%.1f", $6)
      printf "%-36s %10.1f %12s %10s\n", name, $5, error, (name in best) ? sprintf("%.1f", best[name]) : "-"
    }' "$JMH_LOG" "$CSV"
  echo
  echo "run: $(elapsed_since "$start"), CPU busy: cpu0 $(cpu_busy "$cpu_before" "$cpu_after" cpu0) %, cpu1 $(cpu_busy "$cpu_before" "$cpu_after" cpu1) %; CPU pressure (some): $pressure of the time; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "one JMH thread at a time: a busy second CPU or a high pressure means neighbours shared the machine, and absolute figures are then high by that much; compare figures of one run with each other"
} | tee "$REPORT"
log "report saved in ${REPORT#"$ROOT"/}, JMH's CSV in ${CSV#"$ROOT"/}"

# jmh_tsv REPORT — the report's table as a TSV: benchmark (with its parameters), then ns/op, the mean
# and the fastest iteration's (a row's last three columns are figures, its name may hold spaces;
# "-": no figure)
jmh_tsv() {
  awk 'BEGIN { print "benchmark\tmean\tfastest iteration" }
    NR == 1 { next }
    /^$/ { exit }
    NF >= 4 {
      name = $1; for (i = 2; i <= NF - 3; i++) name = name " " $i
      printf "%s\t%s\t%s\n", name, ($(NF - 2) == "-" ? "" : $(NF - 2)), ($NF == "-" ? "" : $NF)
    }' "$1"
}

# plot_jmh REPORT — REPORT's table as REPORT.tsv and a bar chart, REPORT.png (a logarithmic axis when
# the figures span more than two decades, as a user-agent miss against a code check does)
plot_jmh() {
  local tsv=${1%.txt}.tsv title="bench jmh: time per operation"
  jmh_tsv "$1" >"$tsv"
  if wide_range "$tsv"; then
    plot_chart bar "$tsv" "${tsv%.tsv}.png" "$title" benchmark 'ns per operation (log scale)' --log-y
  else
    plot_chart bar "$tsv" "${tsv%.tsv}.png" "$title" benchmark 'ns per operation'
  fi
}
plot_jmh "$REPORT"
