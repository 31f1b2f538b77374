package io.tinyscale.app.platform;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * {@code ./tinyscale migrate [info]}: the schema migrations alone, as the server runs them at start
 * (the same configuration: TINYSCALE_DB_URL or TINYSCALE_DB_DIRECT_URL, TINYSCALE_DB_USER,
 * TINYSCALE_DB_PASSWORD), for a deploy that migrates in a step (a Kubernetes Job) before the new
 * version rolls out, with {@code TINYSCALE_MIGRATE_AT_START=false} on the servers.
 * docs/operations.md, "Upgrades and schema changes".
 */
public final class MigrateTool {
  private MigrateTool() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    System.exit(run(System.getenv(), out, new PrintWriter(System.err, true), args));
  }

  /** Runs {@code migrate} (no argument) or {@code info}; returns the exit status. */
  public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    boolean info = args.length == 1 && "info".equals(args[0]);
    if (args.length > 1 || (args.length == 1 && !info)) {
      err.println("usage: tinyscale migrate [info]  (got: " + String.join(" ", args) + ")");
      return 2;
    }
    Flyway flyway;
    try {
      flyway = Migrations.flyway(StandaloneConfig.of(env));
    } catch (RuntimeException e) {
      err.println("tinyscale migrate: " + e.getMessage());
      return 2;
    }
    // the URL without its parameters, which may hold a password
    String where = flyway.getConfiguration().getUrl().replaceFirst("\\?.*", "");
    try {
      if (info) {
        for (MigrationInfo m : flyway.info().all()) {
          out.printf(
              "%-8s %-10s %s%n",
              m.getVersion() == null ? "R" : m.getVersion().getVersion(),
              m.getState().getDisplayName(),
              m.getDescription());
        }
        return 0;
      }
      MigrateResult result = flyway.migrate();
      out.printf(
          "migrated %s from version %s to %s: %d migration(s) applied%s%n",
          where,
          result.initialSchemaVersion == null ? "(empty)" : result.initialSchemaVersion,
          result.targetSchemaVersion == null
              ? String.valueOf(result.initialSchemaVersion)
              : result.targetSchemaVersion,
          result.migrationsExecuted,
          result.migrations.isEmpty()
              ? ""
              : Arrays.toString(
                  result.migrations.stream()
                      .map(m -> "V" + m.version + " " + m.description)
                      .toArray()));
      return 0;
    } catch (FlywayException e) {
      err.println("tinyscale migrate: FAILED on " + where + ": " + e.getMessage());
      return 1;
    }
  }
}
