package io.tinyscale.bench;

import io.tinyscale.core.clickstream.KafkaClients;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.flywaydb.core.Flyway;

/**
 * What the bench tools run by the scripts share: their command line ({@code command --name value
 * ... positional}), the engines named by the app's variables, and messages. Progress goes to
 * stderr, figures to stdout; a failed step ends the JVM with status 1 and a sentence.
 */
final class Bench {
  private Bench() {}

  /** A tool's command line: the command, then {@code --name value} pairs and other arguments. */
  record Args(String command, Map<String, String> options, List<String> positional) {
    static Args parse(String[] args, String usage) {
      if (args.length == 0) {
        fail("usage: " + usage);
      }
      Map<String, String> options = new HashMap<>();
      List<String> positional = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        if (args[i].startsWith("--") && i + 1 < args.length) {
          options.put(args[i].substring(2), args[++i]);
        } else {
          positional.add(args[i]);
        }
      }
      return new Args(args[0], options, positional);
    }

    boolean has(String name) {
      return options.containsKey(name);
    }

    String get(String name) {
      String value = options.get(name);
      if (value == null) {
        fail("--" + name + " is required");
      }
      return value;
    }

    String get(String name, String fallback) {
      return options.getOrDefault(name, fallback);
    }

    long getLong(String name, long fallback) {
      return has(name) ? Long.parseLong(options.get(name)) : fallback;
    }

    int getInt(String name, int fallback) {
      return has(name) ? Integer.parseInt(options.get(name)) : fallback;
    }
  }

  /** One command of a tool. */
  interface Step {
    void run() throws Exception;
  }

  /**
   * Runs the step named by the command line's command and ends the JVM: status 0 when it ran, 1
   * (with a sentence) when it failed. The Kafka clients', the HTTP client's and yauaa's threads
   * would otherwise keep the JVM alive.
   */
  static void run(Args args, Map<String, Step> steps) {
    Step step = steps.get(args.command());
    if (step == null) {
      fail("unknown command '" + args.command() + "': " + String.join("|", steps.keySet()));
    }
    try {
      step.run();
    } catch (Exception e) {
      e.printStackTrace();
      fail(args.command() + " failed: " + e);
    }
    System.exit(0);
  }

  /** The schema, as the app applies it at start. */
  static void migrate() {
    Flyway.configure()
        .dataSource(env("TINYSCALE_DB_URL"), dbUser(), dbPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(env("TINYSCALE_DB_URL"), dbUser(), dbPassword());
  }

  /** The database's name, from the JDBC URL (whose backends {@link Machine} watches). */
  static String database() {
    return env("TINYSCALE_DB_URL")
        .replaceFirst("^jdbc:postgresql://[^/]*/", "")
        .replaceFirst("[?].*$", "");
  }

  static Admin admin() {
    return Admin.create(KafkaClients.admin(env("TINYSCALE_KAFKA_BOOTSTRAP")));
  }

  private static String dbUser() {
    return System.getenv().getOrDefault("TINYSCALE_DB_USER", "postgres");
  }

  private static String dbPassword() {
    return System.getenv().getOrDefault("TINYSCALE_DB_PASSWORD", "");
  }

  static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      fail(name + " is not set (the bench scripts set it from devstack)");
    }
    return value;
  }

  static void log(String format, Object... args) {
    System.err.printf(
        "[bench %s] %s%n",
        LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), format.formatted(args));
  }

  static void fail(String message) {
    System.err.println("[bench] error: " + message);
    System.exit(1);
  }
}
