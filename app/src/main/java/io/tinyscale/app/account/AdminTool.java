package io.tinyscale.app.account;

import static io.tinyscale.storage.jooq.Tables.USERS;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.smallrye.config.SmallRyeConfig;
import io.tinyscale.app.platform.InvalidationBus;
import io.tinyscale.app.platform.Migrations;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.app.platform.StandaloneConfig;
import io.tinyscale.core.Emails;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./tinyscale admin grant|revoke|list}: the operator's way to give or take admin rights.
 * Runs outside the server, against the same database and Redis (the same TINYSCALE_DB_* and
 * TINYSCALE_REDIS_URL variables with the same defaults; {@code ./tinyscale} adds those of a running
 * {@code ./tinyscale up}), and tells every running replica through the invalidation channel, so a
 * revoke holds from the next request on.
 */
@Command(
    name = "tinyscale admin",
    mixinStandardHelpOptions = true,
    description =
        "Give or take admin rights (the dead-letter topic, admin health). Reads TINYSCALE_DB_URL, "
            + "TINYSCALE_DB_USER, TINYSCALE_DB_PASSWORD and TINYSCALE_REDIS_URL like the server.",
    footer = {
      "",
      "Exit status: 0 done, 1 no such account or the database is unreachable, 2 usage error."
    })
public final class AdminTool implements Runnable {
  private final Map<String, String> env;
  private SmallRyeConfig config; // read once, by config()
  private final PrintWriter out;

  AdminTool(Map<String, String> env, PrintWriter out) {
    this.env = env;
    this.out = out;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    System.exit(run(System.getenv(), out, new PrintWriter(System.err, true), args));
  }

  /** Runs one command; returns its exit status. */
  public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return new CommandLine(new AdminTool(env, out))
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              err.println("tinyscale admin: " + e.getMessage());
              return 1;
            })
        .execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "name a command: grant, revoke or list");
  }

  @Command(name = "grant", description = "Make the account with this email an admin.")
  int grant(@Parameters(paramLabel = "EMAIL") String email) throws SQLException {
    return change(email, true);
  }

  @Command(name = "revoke", description = "Take admin rights from the account with this email.")
  int revoke(@Parameters(paramLabel = "EMAIL") String email) throws SQLException {
    return change(email, false);
  }

  @Command(name = "list", description = "The admins' emails.")
  int list() throws SQLException {
    try (Connection db = connect()) {
      List<String> admins =
          DSL.using(db, SQLDialect.POSTGRES)
              .select(USERS.EMAIL)
              .from(USERS)
              .where(USERS.IS_ADMIN)
              .orderBy(USERS.EMAIL)
              .fetch(USERS.EMAIL);
      admins.forEach(out::println);
      if (admins.isEmpty()) {
        out.println("(no admins: make one with 'tinyscale admin grant EMAIL')");
      }
    }
    return 0;
  }

  private int change(String email, boolean admin) throws SQLException {
    String normalised =
        Emails.normalise(email)
            .orElseThrow(
                () -> new IllegalArgumentException("'" + email + "' is not an email address"));
    try (Connection db = connect()) {
      DSLContext dsl = DSL.using(db, SQLDialect.POSTGRES);
      AccountRepository accounts = new AccountRepository(dsl);
      Optional<Long> id = accounts.findUserByEmail(normalised).map(Account::id);
      if (id.isEmpty()) {
        throw new IllegalArgumentException(
            "no account " + normalised + ": it must be registered first");
      }
      boolean changed = !accounts.setAdmin(List.of(normalised), admin).isEmpty();
      String state = admin ? "an admin" : "not an admin";
      out.println(
          normalised
              + (changed ? " is now " : " was already ")
              + state
              + " (account "
              + id.get()
              + ")");
      if (changed) {
        tellReplicas(id.get());
      }
    }
    return 0;
  }

  /** The server's configuration, read once per run. */
  private SmallRyeConfig config() {
    if (config == null) {
      config = StandaloneConfig.of(env);
    }
    return config;
  }

  /** The server's database, migrated as the server would migrate it at start. */
  private Connection connect() throws SQLException {
    SmallRyeConfig config = config();
    String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
    String user = config.getValue("quarkus.datasource.username", String.class);
    String password =
        config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "5");
    props.setProperty(
        "socketTimeout",
        config.getValue(
            "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout", String.class));
    Connection db;
    try {
      db = DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      throw new SQLException(
          "cannot reach the database at "
              + url
              + " ("
              + e.getMessage()
              + "): start TinyScale "
              + "(./tinyscale up) or set TINYSCALE_DB_URL, TINYSCALE_DB_USER and TINYSCALE_DB_PASSWORD",
          e);
    }
    // as the server migrates: on the direct connection when there is one (MigrationConnection)
    Migrations.flyway(config).migrate();
    return db;
  }

  /** Drops the account's cached keys on every running replica (each caches a key for 30 s). */
  private void tellReplicas(long userId) {
    String url = config().getConfigMapping(Settings.class).redisUrl();
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(Duration.ofSeconds(2));
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      redis.sync().publish(InvalidationBus.CHANNEL, Authenticator.ACCOUNT_TOPIC + ":" + userId);
    } catch (RuntimeException e) {
      out.println(
          "warning: Redis at "
              + url
              + " is unreachable ("
              + e.getMessage()
              + "); running servers apply "
              + "the change within 30 s, when their cached API keys expire");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }
}
