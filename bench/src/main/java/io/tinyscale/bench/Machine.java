package io.tinyscale.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the machine did during a measurement, from Linux's /proc: how busy all CPUs were, the CPU
 * pressure (the share of time some runnable task waited for a CPU: other processes competing), and
 * the CPU time of the processes that did the work: the consumer's JVM, the Postgres backends
 * serving the bench's database, the Kafka broker, the OpenSearch node. On a shared machine these
 * say how far to trust a rate, and where the CPU went.
 */
record Machine(
    long busyTicks,
    long totalTicks,
    long pressureMicros,
    long workerTicks,
    long postgresTicks,
    long brokerTicks,
    long searchTicks,
    long nanos) {

  /** The processes whose CPU time counts; 0 or null where unknown. */
  record Watched(long worker, long broker, String database, long search) {}

  /**
   * /proc/<pid>/stat counts in clock ticks; Linux on x86-64 uses 100 per second (getconf CLK_TCK).
   */
  static final int CLK_TCK = Integer.getInteger("bench.clkTck", 100);

  /** A reading now. */
  static Machine now(Watched watched) {
    long busy = 0;
    long total = 0;
    List<String> stat = lines(Path.of("/proc/stat"));
    if (!stat.isEmpty() && stat.getFirst().startsWith("cpu ")) {
      String[] f = stat.getFirst().trim().split("\\s+");
      // user nice system idle iowait irq softirq (steal is time the machine did not have)
      for (int i = 1; i <= 7 && i < f.length; i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        if (i != 4 && i != 5) {
          busy += v;
        }
      }
    }
    long pressure = -1;
    for (String line : lines(Path.of("/proc/pressure/cpu"))) {
      if (line.startsWith("some ")) {
        pressure = Long.parseLong(line.substring(line.indexOf("total=") + 6).trim());
      }
    }
    return new Machine(
        busy,
        total,
        pressure,
        ticks(watched.worker()),
        postgresTicks(watched.database()),
        ticks(watched.broker()),
        ticks(watched.search()),
        System.nanoTime());
  }

  /** Seconds from this reading to {@code later}. */
  double secondsTo(Machine later) {
    return (later.nanos - nanos) / 1e9;
  }

  /** Share (%) of all CPUs' time that was busy, from this reading to {@code later}. */
  double busyPercentTo(Machine later) {
    long total = later.totalTicks - totalTicks;
    return total <= 0 ? 0 : 100.0 * (later.busyTicks - busyTicks) / total;
  }

  /** Share (%) of the wall time during which some task waited for a CPU, or -1 where unknown. */
  double pressurePercentTo(Machine later) {
    if (pressureMicros < 0 || later.pressureMicros < 0) {
      return -1;
    }
    return 100.0 * (later.pressureMicros - pressureMicros) / 1e3 / ((later.nanos - nanos) / 1e6);
  }

  double workerCpuSecondsTo(Machine later) {
    return (double) (later.workerTicks - workerTicks) / CLK_TCK;
  }

  /**
   * CPU seconds of the Postgres backends connected to the bench's database; only backends that
   * lived through both readings count fully (the consumers keep their connections open).
   */
  double postgresCpuSecondsTo(Machine later) {
    return Math.max(0, (double) (later.postgresTicks - postgresTicks) / CLK_TCK);
  }

  double brokerCpuSecondsTo(Machine later) {
    return (double) (later.brokerTicks - brokerTicks) / CLK_TCK;
  }

  double searchCpuSecondsTo(Machine later) {
    return (double) (later.searchTicks - searchTicks) / CLK_TCK;
  }

  /** True while {@code pid} runs (a zombie, exited but not yet reaped, does not). */
  static boolean alive(long pid) {
    String stat = afterComm(pid);
    return stat != null && !stat.startsWith("Z");
  }

  static long ticks(long pid) {
    String stat = pid > 0 ? afterComm(pid) : null;
    if (stat == null) {
      return 0;
    }
    // fields after "(comm) ": state is the 1st, utime the 12th, stime the 13th
    String[] f = stat.split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * Postgres names each backend "postgres: [cluster: ]user database host(port) state" in its
   * command line.
   */
  private static long postgresTicks(String database) {
    if (database == null) {
      return 0;
    }
    Pattern backend = Pattern.compile("^postgres: .*\\s" + Pattern.quote(database) + "\\s");
    long sum = 0;
    try (DirectoryStream<Path> processes =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : processes) {
        try {
          String cmdline =
              new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (backend.matcher(cmdline).find()) {
            sum += ticks(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | RuntimeException gone) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return sum;
  }

  private static String afterComm(long pid) {
    List<String> p = lines(Path.of("/proc", Long.toString(pid), "stat"));
    return p.isEmpty() ? null : p.getFirst().substring(p.getFirst().lastIndexOf(") ") + 2);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
