package io.tinyscale.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** {@code ./tinyscale up} run as a user runs it: a child process, stopped with SIGTERM. */
final class TinyscaleUp implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  final int port;
  final Path home;
  final Api api;
  private final Process process;
  private final Path log;

  TinyscaleUp(Path home, Map<String, String> env) {
    this.home = home;
    this.port = freePort();
    this.log = home.resolveSibling(home.getFileName() + "-" + port + ".log");
    try {
      Files.createDirectories(home);
      ProcessBuilder builder = new ProcessBuilder(REPO.resolve("tinyscale").toString(), "up")
          .directory(REPO.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      Map<String, String> childEnv = builder.environment();
      childEnv.keySet().removeIf(k -> k.startsWith("TINYSCALE_"));
      childEnv.put("TINYSCALE_HOME", home.toString());
      childEnv.put("TINYSCALE_HTTP_PORT", Integer.toString(port));
      childEnv.put("TINYSCALE_BASE_URL", "http://127.0.0.1:" + port);
      // engines devstack has to start get ports of their own, so a running ./tinyscale up
      // (or another test's engines) never clashes
      for (String engine : new String[] {"PG", "REDIS", "KAFKA"}) {
        childEnv.put("TINYSCALE_DEVSTACK_EMBEDDED_" + engine + "_PORT", Integer.toString(freePort()));
      }
      childEnv.putAll(env);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    api = new Api("http://127.0.0.1:" + port);
    awaitReady();
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("./tinyscale up exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (api.get("/health/ready").status() == 200) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // still starting
      }
      sleep(200);
    }
    throw new AssertionError("./tinyscale up was not ready in 3 minutes:\n" + logTail());
  }

  /** The engine settings devstack chose, as the app received them. */
  Properties engines() {
    Properties env = new Properties();
    try (var reader = Files.newBufferedReader(home.resolve("devstack.env"))) {
      env.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return env;
  }

  /** Everything ./tinyscale up and the app have printed so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, as Ctrl-C or a service manager would; returns the processes that outlived it. */
  List<ProcessHandle> stop() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("./tinyscale up did not stop within 60 s of SIGTERM:\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sleep(500);
    return children.stream().filter(ProcessHandle::isAlive).toList();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroy);
      stop();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isListening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
