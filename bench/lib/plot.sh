# shellcheck shell=bash
# Plots: a PNG of a bench's figures next to its results file, for readers who would rather look
# than read (io.tinyscale.bench.Chart, XChart). Sourced after lib/tinyscale.sh; expects ROOT and
# JAVA_HOME. A plot that cannot be drawn is a warning, never a failed bench: the figures are in the
# results file already.

# plot_chart KIND TSV PNG TITLE XLABEL YLABEL [--log-y] — KIND bar or line; TSV: a header line,
# then a row per x value (a category for bar, a number for line), a column per series (an empty
# cell: no point). Logs "plot: PNG" on stderr; always returns 0.
plot_chart() {
  local png=$3 err pid status=0
  if [[ ! -f $ROOT/$BENCH_JAR || ! -d $ROOT/$BENCH_LIB ]]; then
    log "warning: no plot ${png#"$ROOT"/}: $BENCH_JAR is missing (mvn -q -B -pl bench -am -DskipTests package)"
    return 0
  fi
  err=$(mktemp)
  # in the background, as the bench tools run, so that Ctrl-C stops it at once
  "$JAVA_HOME/bin/java" "@$ROOT/lib/jvm.options" -Xmx128m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -cp "$ROOT/$BENCH_JAR:$ROOT/$BENCH_LIB/*" io.tinyscale.bench.Chart "$@" >"$err" 2>&1 </dev/null &
  pid=$!
  BENCH_PIDS+=("$pid")
  # shellcheck disable=SC2034,SC2004 # common.sh's table of names, read by stop_pid
  BENCH_NAMES[$pid]=plot
  wait "$pid" || status=$?
  stop_pid "$pid" 1
  if ((status == 0)) && [[ -s $png ]]; then
    log "plot: ${png#"$ROOT"/}"
    # notes such as a column left out
    sed 's/^/  /' "$err" >&2
  else
    log "warning: no plot ${png#"$ROOT"/} (exit $status): $(tr '\n' ' ' <"$err")"
  fi
  rm -f "$err"
  return 0
}

# wide_range TSV — status 0 when the TSV's figures are all above 0 and span more than two decades
# (then a logarithmic y axis shows the small ones too)
wide_range() {
  awk -F'\t' 'NR > 1 {
      for (i = 2; i <= NF; i++) if ($i != "") { v = $i + 0; if (v <= 0) bad = 1; if (n++ == 0 || v < min) min = v; if (v > max) max = v }
    }
    END { exit !(n > 0 && !bad && max / min > 100) }' "$1"
}
