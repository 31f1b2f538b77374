package io.tinyscale.app.platform;

import io.smallrye.config.SmallRyeConfig;
import org.flywaydb.core.Flyway;

/**
 * The schema migrations as the server runs them at start, for the tools that run them outside it
 * ({@code ./tinyscale migrate}, {@code ./tinyscale admin}): the same locations ({@code
 * quarkus.flyway.locations}) and validation rules, on the direct connection when there is one
 * ({@link MigrationConnection}), as the app's user.
 */
public final class Migrations {
  private Migrations() {}

  /** Flyway configured from the app's configuration. */
  public static Flyway flyway(SmallRyeConfig config) {
    String url =
        config
            .getOptionalValue(MigrationConnection.URL, String.class)
            .orElseGet(() -> config.getValue("quarkus.datasource.jdbc.url", String.class));
    String user = config.getValue("quarkus.datasource.username", String.class);
    String password =
        config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
    String[] locations =
        config
            .getOptionalValue("quarkus.flyway.locations", String[].class)
            .orElse(new String[] {"db/migration"});
    String[] ignored =
        config
            .getOptionalValue("quarkus.flyway.ignore-migration-patterns", String[].class)
            .orElse(new String[0]);
    return Flyway.configure()
        .dataSource(url, user, password)
        .locations(locations)
        .ignoreMigrationPatterns(ignored)
        .load();
  }
}
