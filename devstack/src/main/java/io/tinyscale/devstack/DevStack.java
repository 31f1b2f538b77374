package io.tinyscale.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Provides the engines TinyScale needs on one machine: as a library ({@link #start(Options)}) for
 * tests, and as {@link #main(String[])} for {@code ./tinyscale up}.
 *
 * <p>For each engine: its variable, when set, is used as is; else the engine on its default local
 * port when it answers; else devstack starts one with its data under the home directory, so a
 * restart keeps it. See {@link Provisioner}.
 */
public final class DevStack {

  /** The engines, in the order they are listed (and stopped in reverse). */
  static final List<Provisioner> PROVISIONERS =
      List.of(
          new PostgresProvisioner(),
          new RedisProvisioner(),
          new KafkaProvisioner(),
          new OpenSearchProvisioner());

  private DevStack() {}

  /**
   * Provides every engine. On failure, stops what it had started and throws {@link
   * DevStackException} with a sentence saying what to do.
   *
   * <p>One engine after the other, not side by side: an engine that writes its binary and runs it
   * (Redis, Postgres) fails with "Text file busy" when another thread forks a process while the
   * file is open for writing, as the fork inherits the descriptor. The JVMs of the broker and the
   * OpenSearch node, which take longest, are launched first and waited for last, so the others
   * start while they boot.
   */
  public static Engines start(Options options) {
    HomeLock homeLock = HomeLock.acquire(options.home());
    List<Provisioner> launchOrder =
        Stream.concat(
                PROVISIONERS.stream().filter(Provisioner::readyInBackground),
                PROVISIONERS.stream().filter(p -> !p.readyInBackground()))
            .toList();
    Map<Provisioner, Provision> provided = new HashMap<>();
    try {
      for (Provisioner provisioner : launchOrder) {
        provided.put(provisioner, provisioner.provide(options));
      }
      for (Provisioner provisioner : launchOrder) {
        provided.get(provisioner).awaitReady().run();
      }
    } catch (RuntimeException | Error e) {
      try {
        new Engines(inListedOrder(provided), homeLock).close();
      } catch (RuntimeException stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
    return new Engines(inListedOrder(provided), homeLock);
  }

  private static List<Provision> inListedOrder(Map<Provisioner, Provision> provided) {
    return PROVISIONERS.stream().filter(provided::containsKey).map(provided::get).toList();
  }

  /**
   * Starts the engines, writes the env file, prints one line per engine and {@code devstack:
   * ready}, then runs until SIGTERM or SIGINT, when it stops the engines it started and removes the
   * env file. Exits 1 with a sentence on stderr when an engine cannot be provided, 2 on a wrong
   * argument.
   */
  public static void main(String[] args) {
    PrintStream out = System.out;
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.println(Options.USAGE);
      return;
    }
    Options options;
    try {
      options = Options.fromArgs(List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("devstack: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }

    AtomicReference<Engines> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    // Registered before anything starts, so a signal during start-up still stops what was started
    // (zonky and embedded-redis add hooks of their own too; closing twice is harmless).
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Engines engines = running.get();
                  if (engines != null) {
                    try {
                      engines.close();
                      out.println("devstack: stopped");
                    } catch (RuntimeException e) {
                      System.err.println("devstack: " + e.getMessage());
                    }
                  }
                  deleteQuietly(options.envFile());
                  stopped.countDown();
                },
                "devstack-stop"));

    try {
      // A file left by an earlier run must not look like readiness to a script polling for it.
      Files.deleteIfExists(options.envFile());
      Engines engines = start(options);
      running.set(engines);
      writeEnvFile(options.envFile(), engines.env());
      for (Engine engine : engines.all()) {
        out.printf(
            "devstack: %-10s %-7s %s%n", engine.name(), engine.origin().label(), engine.endpoint());
      }
      out.println("devstack: env file " + options.envFile());
      out.println("devstack: ready");
      out.flush();
    } catch (DevStackException e) {
      System.err.println("devstack: " + e.getMessage());
      System.exit(1);
    } catch (IOException | RuntimeException e) {
      System.err.println("devstack: unexpected failure: " + Local.rootMessage(e));
      e.printStackTrace();
      System.exit(1);
    }

    try {
      stopped.await(); // the shutdown hook counts it down; until then the engines serve
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes {@code KEY=VALUE} lines, one per variable, atomically: a temp file in the same directory
   * moved over the target, so a reader sees the whole file or none. Values are written raw,
   * unquoted: those devstack makes itself hold no characters a shell would interpret, but one
   * passed through from a variable may (a JDBC URL with {@code &}); so a shell had best read it
   * with {@code while IFS= read -r line; do export "$line"; done < devstack.env} rather than {@code
   * source} it. Readable by its owner only: it may hold a password.
   */
  static void writeEnvFile(Path file, Map<String, String> env) throws IOException {
    StringBuilder text = new StringBuilder();
    env.forEach(
        (key, value) -> {
          if (value.contains("\n") || value.contains("\r")) {
            throw new DevStackException(
                key + " contains a line break, which the env file cannot hold.");
          }
          text.append(key).append('=').append(value).append('\n');
        });
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // stopping anyway
    }
  }
}
