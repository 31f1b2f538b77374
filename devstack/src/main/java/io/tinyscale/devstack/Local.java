package io.tinyscale.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Loopback probes and process handling shared by the provisioners. */
final class Local {

  static final String HOST = "127.0.0.1";
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  /**
   * Runs a command in a session of its own, out of reach of a terminal's Ctrl-C (see the callers).
   */
  static final Optional<Path> SETSID =
      Stream.of("/usr/bin/setsid", "/bin/setsid")
          .map(Path::of)
          .filter(Files::isExecutable)
          .findFirst();

  /**
   * What {@link #tail} picks from a log: Postgres' FATAL/ERROR lines, and a JVM's ERROR lines with
   * the exceptions (and their causes) that follow them, and what killed its main thread.
   */
  private static final Pattern TROUBLE =
      Pattern.compile(
          ".*\\b(FATAL|PANIC|ERROR|DETAIL|error):.*"
              + "|.*\\] ERROR .*"
              + "|Exception in thread .*"
              + "|(Caused by: )?([a-z][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error)(: .*)?");

  private Local() {}

  /** Whether something accepts TCP connections on 127.0.0.1:port. */
  static boolean reachable(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), (int) PROBE_TIMEOUT.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port nothing listens on now, from the OS's ephemeral range. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  /** Fails with a sentence when the port an engine is to be started on is taken. */
  static void requireFree(int port, String engine, String portVariable, String urlVariable) {
    if (reachable(port)) {
      throw new DevStackException(
          "Port "
              + port
              + " on "
              + HOST
              + " is taken by another program, so devstack"
              + " cannot start its "
              + engine
              + " there. Stop that program, or set "
              + portVariable
              + " to a free port, or set "
              + urlVariable
              + " to a running "
              + engine
              + ".");
    }
  }

  /**
   * Stops an engine that an earlier devstack started and could not stop, because it was killed with
   * SIGKILL and its shutdown hook never ran: such an engine holds the data directory and the port,
   * so nothing could start. Called only while holding the home lock, so no running devstack owns
   * it. The pid file alone is not trusted (pids are reused, even by another Postgres): the process
   * must also run the expected executable with its working directory in {@code dataDir}. Where
   * /proc is missing (not Linux) this is not checked and the engine reports the conflict itself.
   */
  static void stopLeftover(
      String engine, Path pidFile, Path dataDir, String executable, String signal, Duration wait) {
    Optional<ProcessHandle> leftover =
        readPid(pidFile)
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().map(c -> c.contains(executable)).orElse(false))
            .filter(p -> workingDirectoryIs(p.pid(), dataDir));
    if (leftover.isEmpty()) {
      return;
    }
    long pid = leftover.get().pid();
    System.err.printf(
        "devstack: stopping the %s (pid %d) that an earlier devstack left running%n", engine, pid);
    try {
      new ProcessBuilder("sh", "-c", "kill -s " + signal + " " + pid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
      leftover.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new DevStackException(
          "The "
              + engine
              + " that an earlier devstack left running (pid "
              + pid
              + ", data in "
              + dataDir
              + ") did not stop within "
              + wait.toSeconds()
              + " s. Stop it with"
              + " `kill "
              + pid
              + "` and try again.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException(
          "Interrupted while stopping the " + engine + " left running (pid " + pid + ").");
    }
  }

  /** The process id on the first line of a pid file, if it holds one. */
  static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty()
          ? Optional.empty()
          : Optional.of(Long.parseLong(lines.getFirst().trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean workingDirectoryIs(long pid, Path dir) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"))
          .equals(dir.toRealPath());
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Keeps one previous generation of a log: {@code x.log} becomes {@code x.log.1}. */
  static void rotate(Path log) throws IOException {
    Files.createDirectories(log.getParent());
    if (Files.exists(log)) {
      Files.move(
          log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * What a log says went wrong (its {@link #TROUBLE} lines, else its last lines), as one line for a
   * message.
   */
  static String tail(Path log, int lines) {
    try {
      List<String> all =
          Files.readAllLines(log).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
      List<String> errors = all.stream().filter(l -> TROUBLE.matcher(l).matches()).toList();
      List<String> chosen = errors.isEmpty() ? all : errors;
      return chosen.isEmpty()
          ? "(nothing)"
          : String.join(" | ", chosen.subList(Math.max(0, chosen.size() - lines), chosen.size()))
              .replaceAll("[.\\s]+$", "");
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(no log: " + rootMessage(e) + ")";
    }
  }

  /** The innermost message of a failure, for a one-line explanation. */
  static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null || message.isBlank()
        ? cause.getClass().getSimpleName()
        : message.strip();
  }

  /** A URL fit to print: passwords in its user info or query replaced by ***. */
  static String masked(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("(://[^/@:]*:)[^/@]*@", "$1***@");
  }
}
