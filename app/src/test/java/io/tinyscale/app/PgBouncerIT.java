package io.tinyscale.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Db;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged app through Debian's PgBouncer in transaction mode, configured by
 * deploy/pgbouncer/pgbouncer.ini: a server and a worker, each its own process as in compose, with
 * {@code TINYSCALE_DB_URL} naming PgBouncer ({@code prepareThreshold=0}) and {@code
 * TINYSCALE_DB_DIRECT_URL} Postgres, on a database created empty, which Flyway migrates at start.
 * {@code ./tinyscale up} (role server, its own database) provides the engines.
 */
class PgBouncerIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");
  private static final Path INI = TinyscaleUp.REPO.resolve("deploy/pgbouncer/pgbouncer.ini");
  private static final Path MIGRATIONS =
      TinyscaleUp.REPO.resolve("storage/src/main/resources/db/migration");
  private static final String DB = "tinyscale_pgbouncer_e2e";
  private static final String BROWSER =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

  @Test
  void aServerAndAWorkerWorkThroughPgBouncerInTransactionMode() throws Exception {
    Path dir = WORK.resolve("pgbouncer-" + System.nanoTime());
    try (TinyscaleUp up =
        new TinyscaleUp(
            dir.resolve("up"),
            TinyscaleUp.env("TINYSCALE_DB_NAME", "tinyscale_e2e", "TINYSCALE_ROLE", "server"))) {
      Map<String, String> engines = up.engineEnv();
      String directUrl = engines.get("TINYSCALE_DB_URL");
      String user = engines.get("TINYSCALE_DB_USER");
      // PgBouncer checks the app's password against its user list; the Postgres devstack found
      // or started may not ask for one, and then ignores it
      String password = engines.getOrDefault("TINYSCALE_DB_PASSWORD", "");
      if (password.isEmpty()) {
        password = "pgbouncer-it-" + UUID.randomUUID();
      }
      PgUrl postgres = PgUrl.parse(directUrl);
      recreate(postgres, user, password);
      String direct = postgres.withDatabase(DB);

      try (PgBouncer bouncer =
          PgBouncer.start(dir.resolve("pgbouncer"), postgres, user, password)) {
        String pooled =
            "jdbc:postgresql://127.0.0.1:" + bouncer.port + "/" + DB + "?prepareThreshold=0";
        Map<String, String> env = new HashMap<>(engines);
        env.put("TINYSCALE_DB_URL", pooled);
        env.put("TINYSCALE_DB_DIRECT_URL", direct);
        env.put("TINYSCALE_DB_USER", user);
        env.put("TINYSCALE_DB_PASSWORD", password);
        env.put("TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32,::1/128");
        env.put("TINYSCALE_BATCH_WINDOW", "PT0.5S");

        try (App server = App.start(dir, "server", env);
            App worker = App.start(dir, "worker", env)) {
          try (Connection db = DriverManager.getConnection(direct, user, password)) {
            assertThat(
                    Db.count(
                        db,
                        "select count(*) from flyway_schema_history where success and version is not null"))
                .as("Flyway migrated the empty database")
                .isEqualTo(migrations());
          }
          long xactsBefore = bouncer.stat(DB, "total_xact_count");

          Api api = server.api;
          User alice = api.register();
          String first = api.shorten(alice, "https://example.com/pooled-1");
          String second = api.shorten(alice, "https://example.com/pooled-2");
          int firstClicks = 7;
          int secondClicks = 3;
          for (int i = 0; i < firstClicks; i++) {
            Res res =
                api.get("/" + first, "User-Agent", BROWSER, "X-Forwarded-For", Api.randomIp());
            assertThat(res.status()).isEqualTo(302);
            assertThat(res.header("Location")).isEqualTo("https://example.com/pooled-1");
          }
          for (int i = 0; i < secondClicks; i++) {
            assertThat(api.get("/" + second, "User-Agent", BROWSER).status()).isEqualTo(302);
          }

          // the worker's consumers write the clicks (raw rows and hourly counts) through the pool
          Waits.untilEquals(
              "every redirect of the first link counted",
              firstClicks,
              () -> totalClicks(api, alice, first));
          Waits.untilEquals(
              "every redirect of the second link counted",
              secondClicks,
              () -> totalClicks(api, alice, second));
          Res stats = api.get("/api/stats/" + first, alice.auth());
          assertThat(stats.json().get("humanClicks").asLong()).isEqualTo(firstClicks);
          try (Connection db = DriverManager.getConnection(direct, user, password)) {
            assertThat(Db.count(db, "select count(*) from clicks")).isEqualTo(10);
          }

          Waits.untilEquals(
              "the analytics API sums the first link's clicks",
              firstClicks,
              () -> bucketSum(api.get("/api/analytics/" + first, alice.auth())));
          Res countries = api.get("/api/analytics/" + first + "/countries", alice.auth());
          assertThat(countries.status()).isEqualTo(200);
          Res links = api.get("/api/links", alice.auth());
          assertThat(links.status()).isEqualTo(200);
          assertThat(links.json().findValuesAsText("code")).contains(first, second);
          assertThat(
                  api.patch(
                          "/api/links/" + second,
                          Api.json("url", "https://example.com/changed"),
                          alice.auth())
                      .status())
              .isEqualTo(200);
          assertThat(api.get("/" + second).header("Location"))
              .isEqualTo("https://example.com/changed");
          assertThat(api.delete("/api/links/" + second, alice.auth()).status()).isEqualTo(204);
          assertThat(api.get("/" + second).status()).isEqualTo(404);

          // the traffic went through PgBouncer, pooled per transaction
          Map<String, String> pool = bouncer.row("SHOW POOLS", DB);
          assertThat(pool.get("pool_mode")).isEqualTo("transaction");
          assertThat(bouncer.stat(DB, "total_xact_count") - xactsBefore)
              .as("transactions PgBouncer passed on since the migrations")
              .isGreaterThan(20);
          // every session the app holds on Postgres is one of PgBouncer's server connections:
          // nothing bypassed it (Flyway's direct connection is closed once it has migrated)
          String reach = password;
          Waits.until(
              "the app's Postgres sessions are PgBouncer's",
              () -> {
                Set<Integer> sessions = sessionPorts(direct, user, reach);
                Set<Integer> servers = bouncer.serverPorts(DB);
                return !sessions.isEmpty() && servers.containsAll(sessions);
              },
              () ->
                  "Postgres sessions from ports "
                      + sessionPorts(direct, user, reach)
                      + ", PgBouncer's server connections "
                      + bouncer.serverPorts(DB));
          assertThat(bouncer.serverPorts(DB).size())
              .as("server connections, within default_pool_size + reserve_pool_size")
              .isLessThanOrEqualTo(25);
          assertThat(bouncer.log()).doesNotContain("ERROR", "prepared statement");
          assertThat(server.log()).doesNotContain("prepared statement", "ERROR [");
          assertThat(worker.log()).doesNotContain("prepared statement", "ERROR [");
        }
      }
      assertThat(up.stop()).isEmpty();
    }
  }

  private static long totalClicks(Api api, User user, String code) {
    return api.get("/api/stats/" + code, user.auth()).json().get("totalClicks").asLong();
  }

  private static long bucketSum(Res res) {
    if (res.status() != 200) {
      return -res.status();
    }
    long sum = 0;
    for (var bucket : res.json().get("buckets")) {
      sum += bucket.get("count").asLong();
    }
    return sum;
  }

  private static long migrations() throws IOException {
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  /** An empty database of this test's, so that the app's Flyway migrates it from nothing. */
  private static void recreate(PgUrl postgres, String user, String password) throws SQLException {
    try (Connection admin =
            DriverManager.getConnection(postgres.withDatabase("postgres"), user, password);
        Statement sql = admin.createStatement()) {
      sql.execute("drop database if exists " + DB + " with (force)");
      sql.execute("create database " + DB);
    }
  }

  /** The client ports of the sessions on this test's database, other than the asking one. */
  private static Set<Integer> sessionPorts(String direct, String user, String password) {
    try (Connection db = DriverManager.getConnection(direct, user, password);
        Statement sql = db.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "select client_port from pg_stat_activity where datname = '"
                    + DB
                    + "' and pid <> pg_backend_pid()")) {
      Set<Integer> ports = new HashSet<>();
      while (rows.next()) {
        ports.add(rows.getInt(1));
      }
      return ports;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Host and port of a {@code jdbc:postgresql://host:port/db} URL. */
  record PgUrl(String host, int port) {
    static PgUrl parse(String url) {
      var matcher =
          java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/.*").matcher(url);
      if (!matcher.matches()) {
        throw new AssertionError("not a jdbc:postgresql://host:port/db URL: " + url);
      }
      return new PgUrl(matcher.group(1), Integer.parseInt(matcher.group(2)));
    }

    String withDatabase(String database) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
  }

  /** A child process with its output in a file, stopped by SIGTERM. */
  private abstract static class Child implements AutoCloseable {
    final Process process;
    final Path log;

    Child(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    String log() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** The packaged app in one role, on the given engines. */
  private static final class App extends Child {
    final Api api;

    private App(Process process, Api api, Path log) {
      super(process, log);
      this.api = api;
    }

    static App start(Path dir, String role, Map<String, String> engines) throws IOException {
      int port = Ports.free();
      Map<String, String> env = new HashMap<>(engines);
      env.put("TINYSCALE_ROLE", role);
      env.put("TINYSCALE_HTTP_PORT", Integer.toString(port));
      env.put("TINYSCALE_BASE_URL", "http://127.0.0.1:" + port);
      env.put("TINYSCALE_HOME", dir.resolve(role).toString());
      env.put("TINYSCALE_INSTANCE_ID", role);
      env.put("TINYSCALE_DRAIN_DELAY", "PT0S");
      Path log = dir.resolve(role + ".log");
      Files.createDirectories(dir);
      App app = new App(TinyscaleUp.startApp(env, log), new Api("http://127.0.0.1:" + port), log);
      Waits.await("the " + role + " ready")
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> {
                if (!app.process.isAlive()) {
                  throw new AssertionError("the " + role + " exited:\n" + app.log());
                }
                try {
                  return app.api.get("/health/ready").status() == 200;
                } catch (RuntimeException e) {
                  return false;
                }
              });
      return app;
    }
  }

  /**
   * Debian's PgBouncer as a child process, run with deploy/pgbouncer/pgbouncer.ini as committed but
   * for where Postgres is, its port and its files; the test's user may read its console.
   */
  static final class PgBouncer extends Child {
    static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
    static final Path PSQL = Path.of("/usr/bin/psql");

    final int port;
    private final String user;
    private final String password;

    private PgBouncer(int port, Process process, Path log, String user, String password) {
      super(process, log);
      this.port = port;
      this.user = user;
      this.password = password;
    }

    static PgBouncer start(Path dir, PgUrl postgres, String user, String password)
        throws IOException {
      if (!Files.isExecutable(BINARY) || !Files.isExecutable(PSQL)) {
        throw new AssertionError(
            "PgBouncer and psql are not installed: ./tinyscale test installs them, or apt-get"
                + " install pgbouncer postgresql-client");
      }
      Files.createDirectories(dir);
      int port = Ports.free();
      Path users = dir.resolve("userlist.txt");
      Files.writeString(users, quoted(user) + " " + quoted(password) + "\n");
      Map<String, String> changes = new LinkedHashMap<>();
      changes.put("*", "host=" + postgres.host() + " port=" + postgres.port());
      changes.put("listen_addr", "127.0.0.1");
      changes.put("listen_port", Integer.toString(port));
      changes.put("auth_file", users.toString());
      Map<String, String> added = new LinkedHashMap<>();
      added.put("admin_users", user);
      if ("root".equals(System.getProperty("user.name"))) {
        added.put("user", "postgres"); // PgBouncer refuses to run as root
      }
      Path ini = dir.resolve("pgbouncer.ini");
      Files.writeString(ini, configure(Files.readAllLines(INI), changes, added));
      Path log = dir.resolve("pgbouncer.log");
      Process process =
          new ProcessBuilder(BINARY.toString(), ini.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      PgBouncer bouncer = new PgBouncer(port, process, log, user, password);
      Waits.until(
          "PgBouncer listening",
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError("PgBouncer exited:\n" + bouncer.log());
            }
            return Ports.isListening(port);
          });
      return bouncer;
    }

    /** The committed file with each changed key's value replaced (it must be there) and more. */
    static String configure(
        List<String> lines, Map<String, String> changes, Map<String, String> added) {
      List<String> out = new ArrayList<>();
      Set<String> changed = new HashSet<>();
      for (String line : lines) {
        int equals = line.indexOf('=');
        String key = equals < 0 || line.startsWith(";") ? null : line.substring(0, equals).trim();
        if (key != null && changes.containsKey(key)) {
          out.add(key + " = " + changes.get(key));
          changed.add(key);
        } else {
          out.add(line);
        }
      }
      assertThat(changed)
          .as("keys of " + INI)
          .containsExactlyInAnyOrderElementsOf(changes.keySet());
      assertThat(out.stream().filter(l -> l.startsWith("[")).toList().getLast())
          .isEqualTo("[pgbouncer]");
      added.forEach((key, value) -> out.add(key + " = " + value));
      return String.join("\n", out) + "\n";
    }

    private static String quoted(String value) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    /** The row of a SHOW command on PgBouncer's console whose first column is {@code database}. */
    Map<String, String> row(String show, String database) {
      for (Map<String, String> row : show(show)) {
        if (database.equals(row.get("database"))) {
          return row;
        }
      }
      throw new AssertionError(show + " has no row for " + database + ": " + show(show));
    }

    long stat(String database, String column) {
      return Long.parseLong(row("SHOW STATS", database).get(column));
    }

    /** The local ports of PgBouncer's connections to Postgres for {@code database}. */
    Set<Integer> serverPorts(String database) {
      Set<Integer> ports = new HashSet<>();
      for (Map<String, String> row : show("SHOW SERVERS")) {
        if (database.equals(row.get("database"))) {
          ports.add(Integer.parseInt(row.get("local_port")));
        }
      }
      return ports;
    }

    /**
     * A SHOW command on PgBouncer's console, by psql: the JDBC driver cannot talk to it (it sends
     * {@code SET extra_float_digits} to a server whose version is below 9.0, as PgBouncer's is).
     */
    List<Map<String, String>> show(String command) {
      ProcessBuilder psql =
          new ProcessBuilder(
                  PSQL.toString(),
                  "-X",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port),
                  "-U",
                  user,
                  "-d",
                  "pgbouncer",
                  "-A",
                  "-F",
                  "\t",
                  "-P",
                  "footer=off",
                  "-v",
                  "ON_ERROR_STOP=1",
                  "-c",
                  command)
              .redirectErrorStream(true);
      psql.environment().put("PGPASSWORD", password);
      try {
        Process child = psql.start();
        String output = new String(child.getInputStream().readAllBytes(), UTF_8);
        if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 0) {
          throw new AssertionError(command + " on PgBouncer's console: " + output);
        }
        List<String> lines = output.lines().toList();
        String[] columns = lines.getFirst().split("\t", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
          String[] values = line.split("\t", -1);
          Map<String, String> row = new LinkedHashMap<>();
          for (int i = 0; i < columns.length; i++) {
            row.put(columns[i], values[i]);
          }
          rows.add(row);
        }
        return rows;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
