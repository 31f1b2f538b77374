package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tinyscale.testkit.TinyscaleUp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The packaged CLI run as a separate process, as a user or a script runs it. */
final class CliProcess {
  static final Path JAR = TinyscaleUp.REPO.resolve("cli/target/tinyscale-cli.jar");
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  record Run(List<String> args, int exit, String out, String err) {
    JsonNode json() {
      try {
        return new ObjectMapper().readTree(out);
      } catch (IOException e) {
        throw new AssertionError(
            "not JSON on stdout of " + args + ": " + out + "\nstderr: " + err, e);
      }
    }

    @Override
    public String toString() {
      return "tinyscale "
          + String.join(" ", args)
          + " → exit "
          + exit
          + "\nstdout: "
          + out
          + "\nstderr: "
          + err;
    }
  }

  private final Map<String, String> env;
  private final String stdin;

  /** The CLI for one user: its own config directory, the server from TINYSCALE_URL. */
  CliProcess(String server, Path configHome) {
    this(Map.of("TINYSCALE_URL", server, "XDG_CONFIG_HOME", configHome.toString()), "");
  }

  private CliProcess(Map<String, String> env, String stdin) {
    this.env = env;
    this.stdin = stdin;
  }

  CliProcess env(String name, String value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(name, value);
    return new CliProcess(copy, stdin);
  }

  CliProcess stdin(String text) {
    return new CliProcess(env, text);
  }

  /** {@code java -jar cli/target/tinyscale-cli.jar args…} */
  Run run(String... args) {
    return exec(List.of(JAVA, "-jar", JAR.toString()), args);
  }

  /** {@code ./tinyscale args…}: the root script, which passes client commands on. */
  Run script(String... args) {
    return env("JAVA_HOME", System.getProperty("java.home"))
        .exec(List.of(TinyscaleUp.REPO.resolve("tinyscale").toString()), args);
  }

  /** A command that runs until stopped ({@code live}): its lines read as they come. */
  Running start(String... args) {
    try {
      return new Running(builder(List.of(JAVA, "-jar", JAR.toString()), args).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CLI process still running; closing it stops it. */
  static final class Running implements AutoCloseable {
    private final Process process;
    private final java.util.concurrent.BlockingQueue<String> out =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private final java.util.concurrent.BlockingQueue<String> err =
        new java.util.concurrent.LinkedBlockingQueue<>();

    Running(Process process) {
      this.process = process;
      Thread.ofVirtual().start(() -> lines(process.getInputStream(), out));
      Thread.ofVirtual().start(() -> lines(process.getErrorStream(), err));
    }

    /** The next line on stdout, waiting up to a minute. */
    String nextOut() throws InterruptedException {
      return next(out, "stdout");
    }

    /** The next line on stderr, waiting up to a minute. */
    String nextErr() throws InterruptedException {
      return next(err, "stderr");
    }

    private String next(java.util.concurrent.BlockingQueue<String> lines, String name)
        throws InterruptedException {
      String line = lines.poll(1, TimeUnit.MINUTES);
      if (line == null) {
        throw new AssertionError("no line on " + name + " within a minute; stderr so far: " + err);
      }
      return line;
    }

    private static void lines(InputStream stream, java.util.Queue<String> into) {
      try (var reader =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(stream, StandardCharsets.UTF_8))) {
        reader.lines().forEach(into::add);
      } catch (IOException | UncheckedIOException e) {
        // the process was stopped
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private ProcessBuilder builder(List<String> program, String... args) {
    List<String> command = new ArrayList<>(program);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(TinyscaleUp.REPO.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("TINYSCALE_") || k.equals("XDG_CONFIG_HOME"));
    builder.environment().putAll(env);
    return builder;
  }

  private Run exec(List<String> program, String... args) {
    ProcessBuilder builder = builder(program, args);
    List<String> command = builder.command();
    try {
      Process process = builder.start();
      CompletableFuture<String> out =
          CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      CompletableFuture<String> err =
          CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within 3 minutes");
      }
      return new Run(List.of(args), process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
