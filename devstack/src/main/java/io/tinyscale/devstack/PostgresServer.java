package io.tinyscale.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded Postgres devstack started, which fault tests can stop and start again. zonky's
 * {@link EmbeddedPostgres} runs once; but started on a data directory that exists it reuses it
 * (initdb runs only for an empty one), as every {@code ./tinyscale up} does, so a restart is a new
 * one on the same directory and port.
 */
final class PostgresServer extends RestartableEngine {

  /** How long a fast shutdown may take once pg_ctl stops waiting (zonky's {@code -t 5}). */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final EmbeddedPostgres.Builder builder;
  private final int port;
  private final Path dataDir;
  private final Path log;

  private EmbeddedPostgres postgres;
  private boolean frozen;

  /**
   * @param builder configured with {@code dataDir}, {@code port} and {@code log}, not cleaning the
   *     data directory
   */
  PostgresServer(EmbeddedPostgres.Builder builder, int port, Path dataDir, Path log) {
    super("The embedded Postgres");
    this.builder = builder;
    this.port = port;
    this.dataDir = dataDir;
    this.log = log;
  }

  /** Starts Postgres on its data directory and returns once it accepts connections. */
  @Override
  void startStopped() {
    Local.requireFree(port, "Postgres", PostgresProvisioner.EMBEDDED_PORT, PostgresProvisioner.URL);
    try {
      postgres = builder.start();
    } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
      throw new DevStackException(
          "Embedded Postgres did not start on "
              + Local.HOST
              + ":"
              + port
              + " with its data in "
              + dataDir
              + "; its log "
              + log
              + " says: "
              + Local.tail(log, 3)
              + ". If the data directory is damaged or from another Postgres version, move it away (devstack"
              + " then starts with an empty one); or set "
              + PostgresProvisioner.URL
              + " to a running Postgres.",
          e);
    }
  }

  /**
   * Fast shutdown (pg_ctl {@code -m fast}): open sessions are ended, with SQLSTATE 57P01 for a
   * client in a statement, the data is checkpointed and kept. Returns once the server is gone, so
   * clients then see refused connections. Does nothing if it is stopped.
   */
  @Override
  public synchronized void stop() {
    if (postgres == null) {
      return;
    }
    if (frozen) {
      thaw(); // a suspended postmaster would never see the shutdown request
    }
    try {
      postgres.close();
    } catch (IOException e) {
      // zonky logs a pg_ctl that failed or stopped waiting; whether the server is gone is checked
      // below
    }
    postgres = null;
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    while (postmasterAlive()) {
      if (System.nanoTime() > deadline) {
        throw new DevStackException(
            "The embedded Postgres (data in "
                + dataDir
                + ") did not stop within "
                + STOP_WAIT.toSeconds()
                + " s. Stop it with `kill -QUIT "
                + postmasterPid().orElse(-1L)
                + "`.");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevStackException("Interrupted while stopping the embedded Postgres.");
      }
    }
  }

  @Override
  public synchronized boolean running() {
    return postgres != null && postmasterAlive();
  }

  @Override
  public synchronized void freeze() {
    signal("STOP");
    frozen = true;
  }

  @Override
  public synchronized void thaw() {
    signal("CONT");
    frozen = false;
  }

  /**
   * Signals the postmaster, then every backend and helper it forked: a stopped postmaster alone
   * would still let open sessions answer. Java has no API for signals other than TERM and KILL,
   * hence kill(1).
   */
  private void signal(String signal) {
    ProcessHandle postmaster =
        postmasterPid()
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .orElseThrow(
                () ->
                    new DevStackException(
                        "The embedded Postgres (data in " + dataDir + ") is not running."));
    if (kill(signal, List.of(postmaster)) != 0) {
      throw new DevStackException(
          "`kill -"
              + signal
              + " "
              + postmaster.pid()
              + "` failed (the embedded Postgres' postmaster).");
    }
    // a backend may end between the listing and the signal; that is not a failure
    kill(signal, postmaster.descendants().toList());
  }

  private static int kill(String signal, List<ProcessHandle> processes) {
    if (processes.isEmpty()) {
      return 0;
    }
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    processes.forEach(p -> command.add(Long.toString(p.pid())));
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (IOException e) {
      throw new DevStackException(
          "Could not run `kill` to signal the embedded Postgres: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("Interrupted while signalling the embedded Postgres.");
    }
  }

  private boolean postmasterAlive() {
    return postmasterPid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Postgres removes postmaster.pid as the last step of its shutdown. */
  private Optional<Long> postmasterPid() {
    Path pidFile = dataDir.resolve("postmaster.pid");
    return Files.exists(pidFile) ? Local.readPid(pidFile) : Optional.empty();
  }
}
