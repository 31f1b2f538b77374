package io.tinyscale.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What devstack is asked for.
 *
 * @param home where started engines keep their data ({@code --home}, else {@code TINYSCALE_HOME},
 *     else {@code .tinyscale}); always absolute
 * @param database the application's database, created when missing ({@code --database}, default
 *     {@code tinyscale})
 * @param envFile where {@code main} writes the variables ({@code --env-file}, default {@code
 *     <home>/devstack.env})
 * @param env the environment the engines read their variables from: the process environment for
 *     {@code main}, a map of their own for tests (so no test has to change the real one)
 */
public record Options(Path home, String database, Path envFile, Map<String, String> env) {

  public static final String DEFAULT_DATABASE = "tinyscale";
  public static final String DEFAULT_HOME = ".tinyscale";
  public static final String ENV_FILE_NAME = "devstack.env";

  static final String USAGE =
      """
            usage: DevStack [--home DIR] [--database NAME] [--env-file FILE]
              --home DIR        data of started engines (default: $TINYSCALE_HOME, else .tinyscale)
              --database NAME   database to use, created when missing (default: tinyscale)
              --env-file FILE   where to write the TINYSCALE_* variables (default: <home>/devstack.env)""";

  // Used unquoted in CREATE DATABASE and in JDBC URLs, so only plain identifiers.
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public Options {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(envFile, "envFile");
    home = home.toAbsolutePath().normalize();
    envFile = envFile.toAbsolutePath().normalize();
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "database name '"
              + database
              + "' is not allowed: use lower-case letters, digits and _, starting with a letter or _");
    }
    env = Map.copyOf(env);
  }

  /** Options with the default env file, {@code <home>/devstack.env}. */
  public static Options of(Path home, String database, Map<String, String> env) {
    return new Options(home, database, home.resolve(ENV_FILE_NAME), env);
  }

  /** The defaults, read from the given environment. */
  public static Options fromEnv(Map<String, String> env) {
    return fromArgs(List.of(), env);
  }

  /**
   * Parses {@code --home}, {@code --database} and {@code --env-file} (as {@code --x value} or
   * {@code --x=value}); throws {@link IllegalArgumentException} on anything else.
   */
  public static Options fromArgs(List<String> args, Map<String, String> env) {
    String home = null;
    String database = null;
    String envFile = null;
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String arg = rest.removeFirst();
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!List.of("--home", "--database", "--env-file").contains(name)) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
      if (value == null) {
        if (rest.isEmpty()) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = rest.removeFirst();
      }
      switch (name) {
        case "--home" -> home = value;
        case "--database" -> database = value;
        default -> envFile = value;
      }
    }
    Path homeDir =
        Path.of(home != null ? home : nonBlank(env.get("TINYSCALE_HOME")).orElse(DEFAULT_HOME));
    return new Options(
        homeDir,
        database != null ? database : DEFAULT_DATABASE,
        envFile != null ? Path.of(envFile) : homeDir.resolve(ENV_FILE_NAME),
        env);
  }

  /** A variable of {@link #env()}, when set and not blank. */
  public Optional<String> variable(String name) {
    return nonBlank(env.get(name));
  }

  /** A variable's white-space-separated words (e.g. JVM options); none when it is not set. */
  List<String> words(String name) {
    return variable(name).map(value -> List.of(value.strip().split("\\s+"))).orElse(List.of());
  }

  /** A port number from a variable, or the default when it is not set. */
  int port(String variable, int defaultPort) {
    Optional<String> value = variable(variable);
    if (value.isEmpty()) {
      return defaultPort;
    }
    try {
      int port = Integer.parseInt(value.get().trim());
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new DevStackException(
        variable + " must be a port number (1-65535), but is '" + value.get() + "'.");
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }
}
