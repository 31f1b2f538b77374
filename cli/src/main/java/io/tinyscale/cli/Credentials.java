package io.tinyscale.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Email and password: from options and stdin for scripts, else asked for on the terminal. */
final class Credentials {
  record Entered(String email, String password) {}

  @Option(names = "--email", paramLabel = "EMAIL", description = "Your email (asked for when not given).")
  String email;

  @Option(names = "--password-stdin",
      description = "Read the password from stdin instead of asking for it (for scripts; never put"
          + " a password in an argument, where 'ps' and the shell history show it).")
  boolean passwordStdin;

  /**
   * @param confirm ask twice when prompting (a new password)
   */
  Entered read(Environment env, CommandLine command, boolean confirm) {
    Optional<Console> terminal = (email == null || !passwordStdin) ? env.terminal().get() : Optional.empty();
    String address = email;
    if (address == null) {
      Console console = terminal.orElseThrow(() -> new ParameterException(command,
          "--email is required when there is no terminal to ask on"));
      address = console.readLine("Email: ");
      if (address == null) {
        throw new ParameterException(command, "no email given");
      }
    }
    String password;
    if (passwordStdin) {
      password = stdinPassword(env, command);
    } else {
      Console console = terminal.orElseThrow(() -> new ParameterException(command,
          "--password-stdin is required when there is no terminal to ask for the password on"));
      char[] typed = console.readPassword("Password: ");
      if (typed == null) {
        throw new ParameterException(command, "no password given");
      }
      if (confirm) {
        char[] again = console.readPassword("Password again: ");
        if (!Arrays.equals(typed, again)) {
          throw new ParameterException(command, "the two passwords differ");
        }
      }
      password = new String(typed);
    }
    if (password.isEmpty()) {
      throw new ParameterException(command, "the password is empty");
    }
    return new Entered(address.strip(), password);
  }

  private static String stdinPassword(Environment env, CommandLine command) {
    try {
      String text = new String(env.stdin().readAllBytes(), StandardCharsets.UTF_8);
      // "echo secret |" adds a newline that is not part of the password
      return text.replaceAll("[\\r\\n]+$", "");
    } catch (IOException e) {
      throw new ParameterException(command, "cannot read the password from stdin: " + e.getMessage());
    }
  }
}
