package io.tinyscale.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/** Runs the CLI in this JVM with its own environment, stdin and captured output. */
final class InProcess {
  record Result(int exit, String out, String err) {}

  private final Map<String, String> env = new HashMap<>();
  private String stdin = "";

  InProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  InProcess stdin(String text) {
    stdin = text;
    return this;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Environment environment =
        new Environment(
            Map.copyOf(env),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Optional::empty);
    CommandLine cli = Tinyscale.commandLine(environment, args);
    int exit = cli.execute(args);
    ((Tinyscale) cli.getCommand()).close();
    return new Result(exit, out.toString(), err.toString());
  }
}
