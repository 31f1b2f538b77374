package io.tinyscale.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code ./tinyscale up} run as a user runs it: a child process, stopped with SIGTERM. Shared by
 * the app's and the CLI's end-to-end tests.
 */
public final class TinyscaleUp implements AutoCloseable {
  /** The repository root: tests run in their module's directory. */
  public static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  public final int port;
  public final Path home;

  /** {@code http://127.0.0.1:PORT}, the app's base URL. */
  public final String url;

  private final Process process;
  private final Path log;

  /** The app's API, for the tests' requests. */
  public final Api api;

  /** Starts {@code ./tinyscale up} with its data in {@code home}; returns once the app is ready. */
  public TinyscaleUp(Path home, Map<String, String> env) {
    this.home = home;
    this.port = Ports.free();
    this.url = "http://127.0.0.1:" + port;
    this.api = new Api(url);
    this.log = home.resolveSibling(home.getFileName() + "-" + port + ".log");
    try {
      Files.createDirectories(home);
      ProcessBuilder builder =
          new ProcessBuilder(REPO.resolve("tinyscale").toString(), "up")
              .directory(REPO.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> childEnv = builder.environment();
      childEnv.keySet().removeIf(k -> k.startsWith("TINYSCALE_"));
      childEnv.put("TINYSCALE_HOME", home.toString());
      childEnv.put("TINYSCALE_HTTP_PORT", Integer.toString(port));
      childEnv.put("TINYSCALE_BASE_URL", url);
      // engines devstack has to start get ports of their own, so a running ./tinyscale up
      // (or another test's engines) never clashes
      for (String engine : new String[] {"PG", "REDIS", "KAFKA", "OPENSEARCH"}) {
        childEnv.put(
            "TINYSCALE_DEVSTACK_EMBEDDED_" + engine + "_PORT", Integer.toString(Ports.free()));
      }
      childEnv.putAll(env);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady();
  }

  private void awaitReady() {
    try {
      Waits.await("./tinyscale up ready")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError(
                      "./tinyscale up exited with " + process.exitValue() + ":\n" + logTail());
                }
                return status("/health/ready") == 200;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("./tinyscale up was not ready in 5 minutes:\n" + logTail(), e);
    }
  }

  /** The status of a GET, redirects not followed; -1 when there is no answer. */
  public int status(String path) {
    try {
      return api.get(path).status();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  /** The engine settings devstack chose, as the app received them. */
  public Properties engines() {
    Properties env = new Properties();
    try (var reader = Files.newBufferedReader(home.resolve("devstack.env"))) {
      env.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return env;
  }

  /**
   * The same, as variables for another app process on these engines ({@code TINYSCALE_DB_*}, {@code
   * _REDIS_URL}, {@code _KAFKA_BOOTSTRAP}, {@code _OPENSEARCH_URL}: every line devstack wrote); a
   * map of its own to add to.
   */
  public Map<String, String> engineEnv() {
    Map<String, String> env = new HashMap<>();
    engines().forEach((k, v) -> env.put((String) k, (String) v));
    return env;
  }

  /**
   * A connection to the stack's database, as the app's settings name it (the driver: the caller's).
   */
  public java.sql.Connection db() throws java.sql.SQLException {
    Properties env = engines();
    return java.sql.DriverManager.getConnection(
        env.getProperty("TINYSCALE_DB_URL"),
        env.getProperty("TINYSCALE_DB_USER"),
        env.getProperty("TINYSCALE_DB_PASSWORD", ""));
  }

  /** Everything ./tinyscale up and the app have printed so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last 60 lines of {@link #log()}, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * What a {@code ./tinyscale} command printed (stdout and stderr together) and its exit status.
   */
  public record Command(int exit, String output) {}

  /**
   * {@code ./tinyscale ARGS} beside this running stack, as its operator would type it (for example
   * {@code admin grant EMAIL}): with only this stack's TINYSCALE_HOME in the environment.
   */
  public Command tinyscale(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(REPO.resolve("tinyscale").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("TINYSCALE_"));
    builder.environment().put("TINYSCALE_HOME", home.toString());
    try {
      Process child = builder.start();
      String output =
          new String(
              child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!child.waitFor(2, TimeUnit.MINUTES)) {
        child.destroyForcibly();
        throw new AssertionError(
            "./tinyscale " + String.join(" ", args) + " did not end within 2 minutes");
      }
      return new Command(child.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The packaged app alone (no devstack), as an operator runs a second process: its output in
   * {@code log}, its environment only {@code env} among the TINYSCALE_* variables.
   */
  public static Process startApp(Map<String, String> env, Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + REPO.resolve("lib/jvm.options"),
                "@" + REPO.resolve("app/jvm.options"),
                "-jar",
                REPO.resolve("app/target/quarkus-app/quarkus-run.jar").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("TINYSCALE_"));
    builder.environment().putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The app's JVM, the one {@code ./tinyscale up} started from the app's jar. */
  public ProcessHandle app() {
    return process
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no app process under ./tinyscale up"));
  }

  /** Every process {@code ./tinyscale up} started (the engines, the app), still running. */
  public List<ProcessHandle> children() {
    return process.descendants().toList();
  }

  /** Waits for {@code ./tinyscale up} to exit by itself; its exit status. */
  public int awaitExit(Duration within) {
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("./tinyscale up still runs after " + within + ":\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /** SIGTERM, as Ctrl-C or a service manager would; returns the processes that outlived it. */
  public List<ProcessHandle> stop() {
    List<ProcessHandle> children = children();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "./tinyscale up did not stop within 60 s of SIGTERM:\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Waits.await("the children exit with it")
          .atMost(Duration.ofSeconds(5))
          .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    } catch (ConditionTimeoutException e) {
      // the survivors are the answer
    }
    return children.stream().filter(ProcessHandle::isAlive).toList();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroy);
      stop();
    }
  }

  /** A map of variables from name, value pairs. */
  public static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** For pacing a load; a test waits on a condition instead ({@link Waits}). */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
