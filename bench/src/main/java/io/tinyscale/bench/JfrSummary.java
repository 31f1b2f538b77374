package io.tinyscale.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a worker's consumer threads spent their time, from a JFR recording: each execution sample
 * (the thread was running Java) and each native-method sample (the thread was in native code, in a
 * consumer nearly always a socket read: waiting for Postgres or Kafka) is attributed to the library
 * of its innermost frame outside the JDK, so a {@code HashMap.get} called by jOOQ counts as jOOQ,
 * and a socket read called by the Postgres driver as the Postgres driver.
 */
final class JfrSummary {

  /** The worker's consumer threads (Pipeline names them); the per-event consumer runs on main. */
  static final String WORKER_THREADS = "(raw-writer|aggregator)-\\d+";

  // package prefix -> what it is, first match wins
  private static final List<Map.Entry<String, String>> LIBRARIES =
      List.of(
          Map.entry("org.postgresql.", "Postgres JDBC driver"),
          Map.entry("org.jooq.", "jOOQ (SQL rendering, binding)"),
          Map.entry("nl.basjes.", "yauaa (user agent analysis, cache misses only)"),
          Map.entry("org.antlr.", "yauaa (user agent analysis, cache misses only)"),
          Map.entry("com.maxmind.", "country lookup (MaxMind DB)"),
          Map.entry("com.fasterxml.jackson.", "JSON decode (Jackson)"),
          Map.entry("org.apache.kafka.", "Kafka client (fetch, records)"),
          Map.entry("net.jpountz.", "Kafka client (lz4)"),
          Map.entry("io.agroal.", "connection pool (Agroal)"),
          Map.entry("io.quarkus.agroal.", "connection pool (Agroal)"),
          Map.entry("io.micrometer.", "metrics (Micrometer)"),
          Map.entry("com.github.benmanes.caffeine.", "user agent cache (Caffeine)"),
          Map.entry(
              "io.tinyscale.core.",
              "TinyScale core (IP parsing and truncation, referrer host, enricher)"),
          Map.entry("io.tinyscale.app.", "TinyScale pipeline (batching, offsets)"),
          Map.entry("io.tinyscale.bench.", "the per-event loop (bench tool)"),
          Map.entry("org.jboss.log", "logging"));

  private JfrSummary() {}

  static void print(Path file, Pattern consumerThreads, PrintStream out) throws IOException {
    Map<String, Long> running = new HashMap<>();
    Map<String, Long> waiting = new HashMap<>();
    Map<String, Long> otherThreads = new HashMap<>();
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        String type = event.getEventType().getName();
        boolean java = type.equals("jdk.ExecutionSample");
        if (!java && !type.equals("jdk.NativeMethodSample")) {
          continue;
        }
        RecordedThread thread = event.getThread("sampledThread");
        String name = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
        String library = library(event.getStackTrace());
        if (consumerThreads.matcher(name).matches()) {
          (java ? running : waiting).merge(library, 1L, Long::sum);
        } else if (java) {
          otherThreads.merge(name.replaceAll("\\d+", "N"), 1L, Long::sum);
        }
      }
    }
    out.println("where the consumer threads' time went: " + file.getFileName());
    table(out, "running Java (execution samples)", running);
    table(out, "in native code, i.e. waiting on a socket (native-method samples)", waiting);
    table(out, "other threads running Java (execution samples)", otherThreads);
  }

  private static void table(PrintStream out, String title, Map<String, Long> counts) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    out.printf("  %s: %,d samples%n", title, total);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(12)
        .forEach(e -> out.printf("    %5.1f %%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
  }

  private static String library(RecordedStackTrace stack) {
    if (stack == null) {
      return "(no stack)";
    }
    for (RecordedFrame frame : stack.getFrames()) {
      if (frame.getMethod() == null || frame.getMethod().getType() == null) {
        continue;
      }
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("java.")
          || type.startsWith("jdk.")
          || type.startsWith("sun.")
          || type.startsWith("com.sun.")) {
        continue;
      }
      for (Map.Entry<String, String> library : LIBRARIES) {
        if (type.startsWith(library.getKey())) {
          return library.getValue();
        }
      }
      int dot = type.indexOf('.', type.indexOf('.') + 1);
      return dot > 0 ? type.substring(0, dot) : type;
    }
    List<RecordedFrame> frames = stack.getFrames();
    return frames.isEmpty()
        ? "(no frames)"
        : "JDK only: " + frames.getFirst().getMethod().getType().getName();
  }
}
