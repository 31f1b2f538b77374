package io.tinyscale.bench.gatling;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Per-second outcomes of the ramp's redirects, for what Gatling's report does not give: the stop
 * once the limits break (Gatling has no run-time assertions) and the figures of each level of the
 * staircase. Response times are whole milliseconds, as Gatling measures them. Once a second it also
 * reads this JVM's CPU time and the server's (from /proc, the pids in {@code load.serverPids}), so
 * each level says whether the generator or the server ran out of CPU first.
 */
final class Saturation {
  private static final int MAX_MS = 60_000;

  private final double p99LimitMs;
  private final double errorLimitPercent;
  private final int breachSeconds;
  private final ConcurrentMap<Long, Second> seconds = new ConcurrentHashMap<>();
  private volatile long firstSecond = -1;
  private volatile String broken;
  // sampled about once a second, by wall-clock milliseconds: {this JVM's CPU nanoseconds, the
  // server's CPU clock ticks}
  private final ConcurrentSkipListMap<Long, long[]> cpu = new ConcurrentSkipListMap<>();
  private final List<Path> serverStats = new ArrayList<>();
  private final int clockTicks = LoadSettings.integer("load.clkTck", 100);

  Saturation(double p99LimitMs, double errorLimitPercent, int breachSeconds) {
    this.p99LimitMs = p99LimitMs;
    this.errorLimitPercent = errorLimitPercent;
    this.breachSeconds = breachSeconds;
    for (String pid : System.getProperty("load.serverPids", "").trim().split("\\s+")) {
      if (!pid.isEmpty()) {
        serverStats.add(Path.of("/proc", pid, "stat"));
      }
    }
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .name("cpu-sampler")
            .unstarted(
                () -> {
                  var os =
                      (com.sun.management.OperatingSystemMXBean)
                          ManagementFactory.getOperatingSystemMXBean();
                  while (true) {
                    long now = System.currentTimeMillis();
                    cpu.put(now, new long[] {os.getProcessCpuTime(), serverTicks()});
                    try {
                      Thread.sleep(1000 - now % 1000 + 5);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    sampler.start();
  }

  private long serverTicks() {
    long ticks = 0;
    for (Path stat : serverStats) {
      try {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (IOException | RuntimeException e) {
        // a process that has gone counts nothing
      }
    }
    return ticks;
  }

  /**
   * CPU use between the samples nearest to [from, to) seconds, in % of one core: {generator,
   * server}.
   */
  private String[] cpuShare(long from, long to) {
    var first = cpu.ceilingEntry(from * 1000);
    var last = cpu.floorEntry(to * 1000);
    if (first == null || last == null || last.getKey() - first.getKey() < 500) {
      return new String[] {"n/a", "n/a"};
    }
    long[] a = first.getValue();
    long[] b = last.getValue();
    double seconds = (last.getKey() - first.getKey()) / 1000.0;
    return new String[] {
      String.format(Locale.ROOT, "%.0f", (b[0] - a[0]) / 1e7 / seconds),
      // a sample that could not read the server's /proc/<pid>/stat counted nothing: no figure
      serverStats.isEmpty() || b[1] < a[1]
          ? "n/a"
          : String.format(Locale.ROOT, "%.0f", 100.0 * (b[1] - a[1]) / clockTicks / seconds)
    };
  }

  void record(long nowMillis, Integer responseMillis, boolean failed) {
    long second = nowMillis / 1000;
    if (firstSecond < 0) {
      synchronized (this) {
        if (firstSecond < 0) {
          firstSecond = second;
        }
      }
    }
    seconds.computeIfAbsent(second, s -> new Second()).add(responseMillis, failed);
    judge(second - 1);
  }

  /** Why the limits broke, once the last {@code breachSeconds} whole seconds all broke them. */
  String broken() {
    return broken;
  }

  private void judge(long lastWhole) {
    if (broken != null || lastWhole - breachSeconds + 1 < firstSecond + 1) {
      return;
    }
    StringBuilder why = new StringBuilder();
    for (long s = lastWhole - breachSeconds + 1; s <= lastWhole; s++) {
      Second second = seconds.get(s);
      String breach = second == null ? null : second.breach(p99LimitMs, errorLimitPercent);
      if (breach == null) {
        return;
      }
      why.append(why.isEmpty() ? "" : "; ").append(breach);
    }
    broken = breachSeconds + " seconds in a row over the limits: " + why;
  }

  /**
   * One line per level of the staircase (offered rate, rate answered, latencies, errors), from
   * levels of {@code levelSeconds} after ramps of {@code rampSeconds}, the first level starting
   * {@code offsetSeconds} after the first recorded answer; the partial second at each end is left
   * out.
   */
  List<String> levels(
      double startRate, double step, int levels, int levelSeconds, int rampSeconds) {
    List<String> lines = new ArrayList<>();
    if (firstSecond < 0) {
      return lines;
    }
    for (int level = 0; level < levels; level++) {
      long from = firstSecond + (long) level * (levelSeconds + rampSeconds) + 1;
      long to = firstSecond + (long) (level + 1) * levelSeconds + (long) level * rampSeconds;
      Second sum = new Second();
      int counted = 0;
      for (long s = from; s < to; s++) {
        Second second = seconds.get(s);
        if (second != null) {
          sum.merge(second);
          counted++;
        }
      }
      if (counted == 0 || sum.count == 0) {
        break;
      }
      String[] share = cpuShare(from, to);
      lines.add(
          String.format(
              Locale.ROOT,
              "LEVEL level=%d offered_rps=%.0f answered_rps=%.0f p50_ms=%d p95_ms=%d p99_ms=%d"
                  + " max_ms=%d errors=%d requests=%d error_pct=%.2f gatling_cpu_pct=%s"
                  + " server_cpu_pct=%s within_limits=%s",
              level + 1,
              startRate + level * step,
              (double) sum.count / counted,
              sum.percentile(50),
              sum.percentile(95),
              sum.percentile(99),
              sum.max,
              sum.failed,
              sum.count,
              100.0 * sum.failed / sum.count,
              share[0],
              share[1],
              sum.breach(p99LimitMs, errorLimitPercent) == null
                  && sum.count >= 0.95 * (startRate + level * step) * counted));
    }
    return lines;
  }

  private static final class Second {
    private final int[] histogram = new int[MAX_MS + 1];
    private long count;
    private long failed;
    private int max;

    synchronized void add(Integer responseMillis, boolean isFailed) {
      count++;
      if (isFailed || responseMillis == null) {
        failed++;
      }
      if (responseMillis != null) {
        int ms = Math.min(Math.max(responseMillis, 0), MAX_MS);
        histogram[ms]++;
        max = Math.max(max, ms);
      }
    }

    synchronized void merge(Second other) {
      synchronized (other) {
        count += other.count;
        failed += other.failed;
        max = Math.max(max, other.max);
        for (int i = 0; i <= MAX_MS; i++) {
          histogram[i] += other.histogram[i];
        }
      }
    }

    synchronized int percentile(double p) {
      long timed = 0;
      for (int n : histogram) {
        timed += n;
      }
      long rank = (long) Math.ceil(p / 100 * timed);
      long seen = 0;
      for (int i = 0; i <= MAX_MS; i++) {
        seen += histogram[i];
        if (seen >= rank && seen > 0) {
          return i;
        }
      }
      return 0;
    }

    synchronized String breach(double p99LimitMs, double errorLimitPercent) {
      if (count == 0) {
        return null;
      }
      double errors = 100.0 * failed / count;
      int p99 = percentile(99);
      if (errors > errorLimitPercent) {
        return String.format(Locale.ROOT, "errors %.1f %%", errors);
      }
      return p99 > p99LimitMs ? "p99 " + p99 + " ms" : null;
    }
  }
}
