package io.tinyscale.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a command may read from and write to outside its arguments; tests pass their own.
 *
 * @param terminal the console to prompt on, asked for only when a prompt is needed (looking it up
 *     costs start-up time); empty when stdin/stdout are not a terminal
 */
record Environment(
    Map<String, String> vars,
    InputStream stdin,
    PrintWriter out,
    PrintWriter err,
    Supplier<Optional<Console>> terminal) {

  static Environment system() {
    return new Environment(
        System.getenv(),
        System.in,
        new PrintWriter(System.out, false, charset("stdout.encoding")),
        new PrintWriter(System.err, true, charset("stderr.encoding")),
        () -> Optional.ofNullable(System.console()).filter(Console::isTerminal));
  }

  Optional<String> var(String name) {
    return Optional.ofNullable(vars.get(name)).filter(v -> !v.isBlank());
  }

  private static Charset charset(String property) {
    String name = System.getProperty(property);
    return name != null && Charset.isSupported(name)
        ? Charset.forName(name)
        : Charset.defaultCharset();
  }
}
