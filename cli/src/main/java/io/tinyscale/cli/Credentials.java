package io.tinyscale.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Email and password: from options and stdin for scripts, else asked for on the terminal. */
final class Credentials {
  record Entered(String email, String password) {
    /** The body of a register or login request. */
    ObjectNode body() {
      return Json.object().put("email", email).put("password", password);
    }
  }

  private Credentials() {}

  /** --email and --password-stdin. */
  static void addTo(CommandSpec spec) {
    spec.addOption(
        Specs.option("--email", "EMAIL", String.class, "Your email (asked for when not given).")
            .build());
    spec.addOption(
        Specs.flag(
            "--password-stdin",
            "Read the password from stdin instead of asking for it (for scripts; never put a password in"
                + " an argument, where 'ps' and the shell history show it)."));
  }

  /**
   * @param confirm ask twice when prompting (a new password)
   */
  static Entered read(Base command, Environment env, boolean confirm) {
    String email = command.option("--email");
    boolean passwordStdin = command.flag("--password-stdin");
    CommandLine cli = command.spec.commandLine();
    Optional<Console> terminal =
        (email == null || !passwordStdin) ? env.terminal().get() : Optional.empty();
    String address = email;
    if (address == null) {
      Console console =
          terminal.orElseThrow(
              () ->
                  new ParameterException(
                      cli, "--email is required when there is no terminal to ask on"));
      address = console.readLine("Email: ");
      if (address == null) {
        throw new ParameterException(cli, "no email given");
      }
    }
    String password;
    if (passwordStdin) {
      password = stdinPassword(env, cli);
    } else {
      Console console =
          terminal.orElseThrow(
              () ->
                  new ParameterException(
                      cli,
                      "--password-stdin is required when there is no terminal to ask for the password on"));
      char[] typed = console.readPassword("Password: ");
      if (typed == null) {
        throw new ParameterException(cli, "no password given");
      }
      if (confirm) {
        char[] again = console.readPassword("Password again: ");
        if (!Arrays.equals(typed, again)) {
          throw new ParameterException(cli, "the two passwords differ");
        }
      }
      password = new String(typed);
    }
    if (password.isEmpty()) {
      throw new ParameterException(cli, "the password is empty");
    }
    return new Entered(address.strip(), password);
  }

  private static String stdinPassword(Environment env, CommandLine cli) {
    try {
      String text = new String(env.stdin().readAllBytes(), StandardCharsets.UTF_8);
      // "echo secret |" adds a newline that is not part of the password
      return text.replaceAll("[\\r\\n]+$", "");
    } catch (IOException e) {
      throw new ParameterException(cli, "cannot read the password from stdin: " + e.getMessage());
    }
  }
}
