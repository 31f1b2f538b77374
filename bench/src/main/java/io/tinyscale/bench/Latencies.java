package io.tinyscale.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Measured latencies in milliseconds, and their percentiles (nearest rank). */
record Latencies(double[] sortedMillis) {
  static Latencies of(List<Double> millis) {
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return new Latencies(sorted);
  }

  int count() {
    return sortedMillis.length;
  }

  /** The smallest value that at least {@code percent} % of the values do not exceed. */
  double percentile(double percent) {
    if (sortedMillis.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percent / 100 * sortedMillis.length);
    return sortedMillis[Math.max(0, Math.min(sortedMillis.length, rank) - 1)];
  }

  double max() {
    return sortedMillis.length == 0 ? Double.NaN : sortedMillis[sortedMillis.length - 1];
  }

  /** {@code count=… p50_ms=… p95_ms=… max_ms=…}, for a RESULT line. */
  String fields() {
    return String.format(
        Locale.ROOT,
        "count=%d p50_ms=%.1f p95_ms=%.1f max_ms=%.1f",
        count(),
        percentile(50),
        percentile(95),
        max());
  }
}
