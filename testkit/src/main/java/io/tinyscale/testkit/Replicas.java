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
import java.util.function.Consumer;

/**
 * N app processes in role {@code server} on the engines of a {@link TinyscaleUp} (which runs the
 * consumers), each on its own port with its own {@code TINYSCALE_HOME} and {@code
 * TINYSCALE_INSTANCE_ID} (its click journal), as replicas behind a load balancer ({@link Nginx}).
 * {@link #restart} replaces one in place, as on one VM: SIGTERM, it drains and exits, a new process
 * takes its place (same port, same journal: it sends what the old one left unsent). {@link
 * #replace} replaces one as a Kubernetes rolling update with a surge does: a new process on a new
 * port with a journal of its own first, then the old one drained.
 */
public final class Replicas implements AutoCloseable {
  private final Map<String, String> env;
  private final Path work;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private int started;

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
    try {
      for (int i = 0; i < count; i++) {
        ports.add(Ports.free());
        processes.add(null);
        ids.add(null);
        start(i, newId());
      }
      for (int i = 0; i < count; i++) {
        awaitReady(i);
      }
    } catch (RuntimeException | AssertionError e) {
      close(); // a try-with-resources closes only what it got
      throw e;
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

  /** Replica {@code i}'s output so far (every process that has held its place on its port). */
  public String log(int i) {
    try {
      return Files.readString(log(ids.get(i), ports.get(i)));
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
    start(i, ids.get(i));
    awaitReady(i);
  }

  /**
   * Replaces replica {@code i} as a Deployment with {@code maxSurge: 1, maxUnavailable: 0} does: a
   * new process on a new port (a new pod, with an empty journal of its own) starts and becomes
   * ready while the old one serves; then {@code endpointsChanged} gets the new ports (the Service's
   * endpoints, here the proxy's upstream list), and only then the old one gets SIGTERM, drains and
   * exits, sending what its journal holds. Returns once it has exited.
   */
  public void replace(int i, Consumer<List<Integer>> endpointsChanged) {
    Process old = processes.get(i);
    String oldId = ids.get(i);
    int oldPort = ports.get(i);
    ports.set(i, Ports.free());
    try {
      start(i, newId());
      awaitReady(i);
    } catch (RuntimeException | AssertionError e) {
      old.destroyForcibly(); // close() stops only the replicas' current processes
      throw e;
    }
    endpointsChanged.accept(ports());
    await(old, oldId + " on port " + oldPort);
  }

  /** SIGTERM to replica {@code i}; returns once it has exited (within a minute). */
  public void stop(int i) {
    await(processes.get(i), "replica " + i);
  }

  private void await(Process process, String name) {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " still up 60 s after SIGTERM");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String newId() {
    return "replica-" + started++;
  }

  private void start(int i, String id) {
    ids.set(i, id);
    Map<String, String> own = new HashMap<>(env);
    own.put("TINYSCALE_HTTP_PORT", Integer.toString(ports.get(i)));
    own.put("TINYSCALE_HOME", work.resolve(id).toString());
    own.put("TINYSCALE_INSTANCE_ID", id);
    processes.set(i, TinyscaleUp.startApp(own, log(id, ports.get(i))));
  }

  private Path log(String id, int port) {
    return work.resolve(id + "-" + port + ".log");
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
    List<Process> started = processes.stream().filter(p -> p != null).toList();
    started.forEach(Process::destroy);
    for (Process p : started) {
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
