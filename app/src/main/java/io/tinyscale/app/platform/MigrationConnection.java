package io.tinyscale.app.platform;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Where Flyway migrates: {@code TINYSCALE_DB_DIRECT_URL} when it is set, else the app's pool
 * ({@code TINYSCALE_DB_URL}), as before. Behind a transaction-pooling PgBouncer the pool's URL
 * names PgBouncer, whose server connections change hands between transactions, while Flyway needs
 * one session throughout (it sets the search path and role, and holds a lock across its steps), so
 * it takes Postgres itself (docs/operations.md, "PgBouncer").
 *
 * <p>Quarkus' Flyway opens a connection of its own only when given a URL, a user and a password
 * together; the user and password are the app's. So these properties exist only with the variable
 * set (a password alone does not move migrations off the pool), and a direct URL needs {@code
 * TINYSCALE_DB_PASSWORD} (Quarkus refuses to start without one, saying so). A default only: its
 * ordinal is below application.properties and the environment.
 */
public class MigrationConnection implements ConfigSource {
  public static final String VARIABLE = "TINYSCALE_DB_DIRECT_URL";
  public static final String URL = "quarkus.flyway.jdbc-url";

  private final Map<String, String> properties;

  public MigrationConnection() {
    this(System.getenv());
  }

  public MigrationConnection(Map<String, String> env) {
    String url = env.get(VARIABLE);
    properties =
        url == null || url.isBlank()
            ? Map.of()
            : Map.of(
                URL,
                url,
                "quarkus.flyway.username",
                "${quarkus.datasource.username}",
                "quarkus.flyway.password",
                "${TINYSCALE_DB_PASSWORD:}");
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public Map<String, String> getProperties() {
    return properties;
  }

  @Override
  public String getValue(String name) {
    return properties.get(name);
  }

  @Override
  public String getName() {
    return "tinyscale-migration-connection";
  }

  @Override
  public int getOrdinal() {
    return 50;
  }
}
