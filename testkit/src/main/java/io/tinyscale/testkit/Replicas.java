package io.tinyscale.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * N app processes in role {@code server} on the engines of a {@link TinyscaleUp} (which runs the
 * consumers), each on its own port with its own {@code TINYSCALE_HOME} and {@code
 * TINYSCALE_INSTANCE_ID} (its click journal), as replicas behind a load balancer ({@link Nginx}).
 * {@link #restart} replaces one as a rolling update does: SIGTERM, it drains and exits, a new
 * process takes its place (same port, same journal: it sends what the old one left unsent).
 */
public final class Replicas implements AutoCloseable {
  private final Map<String, String> env;
  private final Path work;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  /**
   * Starts {@code count} servers (variables {@code env} on top of the engines') and returns once
   * every one is ready.
   */
  public Replicas(TinyscaleUp up, Path work, int count, Map<String, String> env) {
    this.work = work;
    this.env = new HashMap<>(up.engineEnv());
    this.env.putAll(env);
    this.env.put("TINYSCALE_ROLE", "server");
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < count; i++) {
      ports.add(Ports.free());
      processes.add(null);
      start(i);
    }
    for (int i = 0; i < count; i++) {
      awaitReady(i);
    }
  }

  /** Their ports on 127.0.0.1, in order. */
  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** Replica {@code i}'s own URL (not through the proxy). */
  public String url(int i) {
    return "http://127.0.0.1:" + ports.get(i);
  }

  /** Replica {@code i}'s output so far (every process that has held its place). */
  public String log(int i) {
    try {
      return Files.readString(log(i, ports.get(i)));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Replaces replica {@code i}: SIGTERM (readiness DOWN, serving on for the drain delay, then
   * finishing what is in flight), waits for it to exit, starts a new process on the same port and
   * home, and returns once that one is ready. Meanwhile the replica's port refuses connections: a
   * proxy in front has to send its requests elsewhere.
   */
  public void restart(int i) {
    stop(i);
    start(i);
    awaitReady(i);
  }

  /** SIGTERM to replica {@code i}; returns once it has exited (within a minute). */
  public void stop(int i) {
    Process process = processes.get(i);
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("replica " + i + " still up 60 s after SIGTERM:\n" + log(i));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void start(int i) {
    Map<String, String> own = new HashMap<>(env);
    String id = "replica-" + i;
    own.put("TINYSCALE_HTTP_PORT", Integer.toString(ports.get(i)));
    own.put("TINYSCALE_HOME", work.resolve(id).toString());
    own.put("TINYSCALE_INSTANCE_ID", id);
    processes.set(i, TinyscaleUp.startApp(own, log(i, ports.get(i))));
  }

  private Path log(int i, int port) {
    return work.resolve("replica-" + i + "-" + port + ".log");
  }

  private void awaitReady(int i) {
    Api api = new Api(url(i));
    Waits.await("replica " + i + " ready")
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              if (!processes.get(i).isAlive()) {
                throw new AssertionError("replica " + i + " exited:\n" + log(i));
              }
              try {
                return api.get("/health/ready").status() == 200;
              } catch (RuntimeException e) {
                return false;
              }
            });
  }

  @Override
  public void close() {
    processes.forEach(p -> p.destroy());
    for (Process p : processes) {
      try {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
