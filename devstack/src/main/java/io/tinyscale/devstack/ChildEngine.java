package io.tinyscale.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An engine devstack runs as a child JVM ({@link ChildJvm}), with its data in {@code <home>/NAME},
 * its output in {@code <home>/NAME.log} and its pid in {@code <home>/NAME/NAME.pid}. A process
 * rather than a server inside devstack's JVM: that JVM's classpath is not the engine's to choose,
 * and fault tests stop and restart the engine as a process is stopped.
 *
 * <p>The JVM runs in a session of its own ({@code setsid}), as Redis does: Ctrl-C at a terminal
 * must not stop the engine under the running app; devstack stops it, after the app.
 */
abstract class ChildEngine extends RestartableEngine {

  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  final ChildJvm.Kind kind;

  /** The engine's directory: its data, and the working directory of its JVM. */
  final Path dir;

  final Path log;
  final int port;
  private final Duration readyWait;
  private final List<String> options;
  private final ChildJvm jvm;
  private final Thread stopAtExit;

  private Process process;
  private ChildJvm.Launch currentLaunch;

  /**
   * @param options the JVM's options
   * @param extraOptions those of {@code TINYSCALE_DEVSTACK_*_OPTS}, after the others so they can
   *     override them
   * @param readyWait how long a start may take before the engine is killed as hung
   */
  ChildEngine(
      ChildJvm.Kind kind,
      Path home,
      int port,
      List<String> options,
      List<String> extraOptions,
      Duration readyWait) {
    super("The " + kind.noun());
    this.kind = kind;
    this.dir = home.resolve(kind.name());
    this.log = home.resolve(kind.name() + ".log");
    this.port = port;
    this.readyWait = readyWait;
    this.options = Stream.concat(options.stream(), extraOptions.stream()).toList();
    this.jvm = ChildJvm.prepare(kind, dir);
    this.stopAtExit = new Thread(this::stopAtExit, "devstack-" + kind.name() + "-stop-at-exit");
  }

  /** Writes what the engine reads at start (its configuration) and returns its main's arguments. */
  abstract List<String> prepareStart() throws IOException;

  /** Whether the engine serves on its port, asked for at most {@code wait}. */
  abstract boolean serves(Duration wait);

  /** The sentence that ends a failure to start: what to do about it. */
  abstract String advice();

  /**
   * Stops an engine a killed devstack left running on this home, then launches this one; {@link
   * #awaitReady()} waits until it serves. Called with the home lock held. Returns {@code engine}.
   */
  static <E extends ChildEngine> E launch(E engine) {
    ChildEngine launched = engine; // a type variable gives no access to a private method
    launched.begin();
    return engine;
  }

  private void begin() {
    Local.stopLeftover(kind.noun(), pidFile(), dir, "java", "TERM", STOP_WAIT);
    requirePortFree();
    try {
      Local.rotate(log);
    } catch (IOException e) {
      throw new DevStackException(
          "Cannot write the "
              + kind.noun()
              + "'s log in "
              + log.getParent()
              + " ("
              + Local.rootMessage(e)
              + ").",
          e);
    }
    // Devstack's JVM may be stopped while the engine starts, before Engines holds it and its hook
    // can stop it.
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    try {
      synchronized (this) {
        spawn();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Returns once the engine serves. On failure, stops the engine and throws with what its log says.
   */
  synchronized void awaitReady() {
    long deadline = System.nanoTime() + readyWait.toNanos();
    Duration attempt = Duration.ofSeconds(3);
    while (true) {
      if (process == null) {
        throw new IllegalStateException("The " + kind.noun() + " is stopped.");
      }
      if (!process.isAlive()) {
        int status = process.exitValue();
        reap();
        throw failure("exited with status " + status + " while starting");
      }
      if (serves(attempt)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        kill();
        reap();
        throw failure("was not ready within " + readyWait.toSeconds() + " s");
      }
      try {
        wait(100); // releases the lock, so the shutdown hook can stop the engine meanwhile
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new DevStackException(
            "Interrupted while waiting for the " + kind.noun() + " to start.");
      }
    }
  }

  @Override
  void startStopped() {
    reap();
    requirePortFree();
    spawn();
    awaitReady();
  }

  /**
   * SIGTERM, so the engine shuts down cleanly and the next start need not recover its data; SIGKILL
   * when it has not stopped within {@link #STOP_WAIT}.
   */
  @Override
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    boolean clean;
    try {
      process.destroy();
      clean = process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    }
    if (!clean) {
      kill();
    }
    reap();
    if (process != null && process.isAlive()) {
      throw new DevStackException(
          "The "
              + kind.noun()
              + " (pid "
              + process.pid()
              + ") did not stop. Stop it with `kill -9 "
              + process.pid()
              + "`.");
    }
  }

  @Override
  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** Stops the engine for good. */
  @Override
  public synchronized void close() {
    try {
      super.close();
    } finally {
      if (Thread.currentThread() != stopAtExit) {
        try {
          Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway and finds the engine stopped
        }
      }
    }
  }

  private Path pidFile() {
    return dir.resolve(kind.name() + ".pid");
  }

  private void requirePortFree() {
    Local.requireFree(port, kind.noun(), kind.embeddedPortVariable(), kind.givenVariable());
  }

  /** SIGKILL, and a moment for the kernel to reap it. */
  private void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Forgets a process that has exited, publishing the class archive it wrote if it exited cleanly.
   */
  private void reap() {
    if (process == null || process.isAlive()) {
      return;
    }
    int status = process.exitValue();
    // 143: the JVM's status after SIGTERM, once the engine's shutdown (and the archive's writing)
    // completed.
    jvm.finish(currentLaunch, status == 143 || status == 0);
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException ignored) {
      // a stale pid file is checked against the process before it is trusted
    }
    process = null;
    currentLaunch = null;
  }

  private void spawn() {
    List<String> mainArgs;
    try {
      Files.createDirectories(dir);
      mainArgs = prepareStart();
    } catch (IOException e) {
      throw ChildJvm.unwritable(kind, "the " + kind.noun() + "'s data directory", dir, e);
    }
    currentLaunch = jvm.launch(options, mainArgs.toArray(String[]::new));
    List<String> command = new ArrayList<>(currentLaunch.command());
    // setsid execs the JVM in place, so the pid is the JVM's.
    Local.SETSID.ifPresent(setsid -> command.addFirst(setsid.toString()));
    try {
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile()) // what Local.stopLeftover recognises a leftover by
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      process.getOutputStream().close();
      Files.writeString(pidFile(), Long.toString(process.pid()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      process = null;
      throw new DevStackException(
          "Cannot start a JVM for the " + kind.noun() + " (" + Local.rootMessage(e) + ").", e);
    }
  }

  private DevStackException failure(String what) {
    return new DevStackException(
        "The "
            + kind.noun()
            + " devstack started on "
            + Local.HOST
            + ":"
            + port
            + " (data in "
            + dir
            + ") "
            + what
            + "; its log "
            + log
            + " says: "
            + Local.tail(log, 3)
            + ". "
            + advice());
  }

  private void stopAtExit() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("devstack: " + e.getMessage());
    }
  }
}
