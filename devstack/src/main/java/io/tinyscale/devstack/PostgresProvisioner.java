package io.tinyscale.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Postgres: {@code TINYSCALE_DB_URL} as is; else the Postgres on 127.0.0.1:5432 (user postgres, no
 * password); else zonky's embedded Postgres with its data in {@code <home>/postgres}.
 */
final class PostgresProvisioner implements Provisioner {

  static final String URL = "TINYSCALE_DB_URL";
  static final String USER = "TINYSCALE_DB_USER";
  static final String PASSWORD = "TINYSCALE_DB_PASSWORD";

  /**
   * Where to look for a running Postgres; tests point it at an unused port to force the embedded
   * one.
   */
  static final String PROBE_PORT = "TINYSCALE_DEVSTACK_PG_PORT";

  static final String EMBEDDED_PORT = "TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT";
  static final int DEFAULT_PORT = 5432;
  static final int DEFAULT_EMBEDDED_PORT = 54329;
  static final String DATA_DIR = "postgres";
  static final String LOG_FILE = "postgres.log";

  private static final String SUPERUSER = "postgres";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public Optional<Provision> given(Options options) {
    return options
        .variable(URL)
        .map(
            url ->
                Provision.untouched(
                    engine(
                        Origin.GIVEN,
                        url,
                        options.variable(USER).orElse(SUPERUSER),
                        options.variable(PASSWORD).orElse(""))));
  }

  @Override
  public Optional<Provision> found(Options options) {
    int port = options.port(PROBE_PORT, DEFAULT_PORT);
    if (!Local.reachable(port)) {
      return Optional.empty();
    }
    try {
      createDatabaseIfMissing(port, options.database());
    } catch (SQLException e) {
      throw new DevStackException(
          "A Postgres answers on "
              + Local.HOST
              + ":"
              + port
              + ", but devstack cannot"
              + " use it as user "
              + SUPERUSER
              + " without a password ("
              + Local.rootMessage(e)
              + "). Set "
              + URL
              + ", "
              + USER
              + " and "
              + PASSWORD
              + " to use it, or set "
              + PROBE_PORT
              + " to a free port to have devstack start a Postgres of its own.",
          e);
    }
    return Optional.of(
        Provision.untouched(
            engine(Origin.FOUND, jdbcUrl(port, options.database()), SUPERUSER, "")));
  }

  @Override
  public Provision start(Options options) {
    Path dataDir = options.home().resolve(DATA_DIR);
    int port = options.port(EMBEDDED_PORT, DEFAULT_EMBEDDED_PORT);
    // SIGINT is Postgres' fast shutdown: it does not wait for clients that may never disconnect.
    Local.stopLeftover(
        "Postgres",
        dataDir.resolve("postmaster.pid"),
        dataDir,
        "postgres",
        "INT",
        Duration.ofSeconds(30));
    Local.requireFree(port, "Postgres", EMBEDDED_PORT, URL);
    requireNotRootOrUserNamespaces();
    // zonky logs the server's output at info, which devstack's logging hides; a file keeps it for
    // when something goes wrong (the previous run's stays next to it).
    Path log = options.home().resolve(LOG_FILE);
    try {
      Local.rotate(log);
    } catch (IOException e) {
      throw new DevStackException(
          "Cannot write Postgres' log in " + options.home() + " (" + Local.rootMessage(e) + ").",
          e);
    }
    PostgresServer postgres =
        new PostgresServer(
            EmbeddedPostgres.builder()
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                // zonky's defaults suit throwaway test databases (it passes -F, fsync off, and
                // turns
                // synchronous_commit off); this one keeps the user's links and clicks, and fault
                // tests
                // kill it, so it gets Postgres' own durable defaults back.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // Independent of the machine's locale, so the data directory works wherever it
                // moves.
                .setLocaleConfig("locale", "C")
                .setLocaleConfig("locale-provider", "builtin")
                .setLocaleConfig("builtin-locale", "C.UTF-8")
                .setPGStartupWait(STARTUP_WAIT)
                // Engines stops it on close or at JVM exit; zonky's own hook would also fire after
                // a
                // failed start and print a stack trace over devstack's explanation.
                .setRegisterShutdownHook(false),
            port,
            dataDir,
            log);
    postgres.start();
    try {
      createDatabaseIfMissing(port, options.database());
    } catch (SQLException e) {
      closeQuietly(postgres);
      throw new DevStackException(
          "Embedded Postgres started on port "
              + port
              + ", but creating database "
              + options.database()
              + " failed ("
              + Local.rootMessage(e)
              + ").",
          e);
    }
    return new Provision(
        engine(Origin.STARTED, jdbcUrl(port, options.database()), SUPERUSER, "", postgres),
        postgres);
  }

  private Engine engine(Origin origin, String url, String user, String password) {
    return engine(origin, url, user, password, null);
  }

  /** {@code control}: how fault tests stop and restart it, when devstack started it. */
  private Engine engine(
      Origin origin, String url, String user, String password, Engine.Control control) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(URL, url);
    env.put(USER, user);
    env.put(PASSWORD, password);
    return new Engine(name(), origin, Local.masked(url), env, control);
  }

  static String jdbcUrl(int port, String database) {
    return "jdbc:postgresql://" + Local.HOST + ":" + port + "/" + database;
  }

  /**
   * Creates the database as the superuser. This is the one place outside the migrations that speaks
   * SQL: a database cannot create itself from a migration.
   */
  static void createDatabaseIfMissing(int port, String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", SUPERUSER);
    props.setProperty("password", "");
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", "60");
    props.setProperty("ApplicationName", "tinyscale-devstack");
    try (Connection connection = DriverManager.getConnection(jdbcUrl(port, "postgres"), props)) {
      try (PreparedStatement query =
          connection.prepareStatement("select 1 from pg_database where datname = ?")) {
        query.setString(1, database);
        try (ResultSet rows = query.executeQuery()) {
          if (rows.next()) {
            return;
          }
        }
      }
      try (Statement create = connection.createStatement()) {
        // The name is a checked identifier (Options), so quoting it is enough.
        create.execute("create database \"" + database + "\"");
      } catch (SQLException e) {
        if (!"42P04".equals(e.getSQLState())) { // duplicate_database: someone created it meanwhile
          throw e;
        }
      }
    }
  }

  /**
   * Postgres refuses to run as root. As root, zonky runs it in a user namespace ({@code unshare
   * -U}), where it is "nobody"; that works on these machines, but not where user namespaces are
   * disabled (some containers), and zonky would then fail with a cryptic initdb error.
   */
  private static void requireNotRootOrUserNamespaces() {
    if (!"root".equals(System.getProperty("user.name")) || userNamespacesWork()) {
      return;
    }
    throw new DevStackException(
        "devstack runs as root, Postgres refuses to run as root, and user namespaces"
            + " (`unshare -U`), which would let it run anyway, do not work here. Run as a non-root user, or"
            + " start a Postgres on "
            + Local.HOST
            + ":"
            + DEFAULT_PORT
            + " (apt-get install postgresql), or set "
            + URL
            + ".");
  }

  private static boolean userNamespacesWork() {
    try {
      Process process =
          new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return process.waitFor(10, TimeUnit.SECONDS)
          && process.exitValue() == 0
          && !output.equals("0");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // already failing with a better message
    }
  }
}
