package io.tinyscale.app;

import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.app.BackupRestoreIT.Run;
import io.tinyscale.devstack.DevStack;
import io.tinyscale.devstack.Engines;
import io.tinyscale.devstack.Options;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Db;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Traffic;
import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A schema change under the documented rule (docs/operations.md, "Upgrades and schema changes"):
 * {@code ./tinyscale migrate} applies an expand migration (a column with a default) to a database
 * holding data while the running version, which knows nothing of it, goes on serving redirects and
 * creating links; then the change is rolled back the documented way, by a forward "down" migration
 * (Flyway's undo is not in its free edition), again under traffic. Nothing is lost: every row that
 * was there is there, every answered redirect counted once, and the old version starts again on a
 * schema history that names migrations it does not have. The migrations are the test's own, in a
 * filesystem location given to {@code ./tinyscale migrate} as the new release would carry them.
 */
class MigrationRollbackIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");
  private static final String DB = "tinyscale_migrate_e2e";
  private static final String BROWSER = PipelineTest.CHROME;

  @Test
  void aColumnAddedUnderTrafficIsRolledBackByAForwardMigrationAndNothingIsLost() throws Exception {
    Path dir = WORK.resolve("migrate-" + System.nanoTime());
    Path expand =
        write(
            dir.resolve("release-expand"),
            "V100__expand_urls_note.sql",
            "alter table urls add column note varchar(200) not null default '';\n");
    Path rollback =
        write(
            dir.resolve("release-rollback"),
            "V101__rollback_urls_note.sql",
            "alter table urls drop column note;\n");
    Map<String, String> ports = new HashMap<>();
    for (String engine : List.of("REDIS", "KAFKA", "OPENSEARCH")) {
      ports.put("TINYSCALE_DEVSTACK_" + engine + "_PORT", Integer.toString(Ports.free()));
      ports.put("TINYSCALE_DEVSTACK_EMBEDDED_" + engine + "_PORT", Integer.toString(Ports.free()));
    }
    try (Engines engines = DevStack.start(Options.of(dir.resolve("engines"), DB, ports))) {
      Tables.recreate(engines.dbUrl(), engines.dbUser(), password(engines), DB, true);
      Map<String, String> env = new HashMap<>(engines.env());
      env.put("TINYSCALE_BATCH_WINDOW", "PT0.5S");
      env.put("TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32,::1/128");
      String link;
      long answered;
      try (TinyscaleUp up = new TinyscaleUp(dir.resolve("app"), env)) {
        Api api = up.api;
        User alice = api.register();
        link = api.shorten(alice, "https://example.com/migrate");
        for (int i = 0; i < 5; i++) {
          assertThat(api.get("/" + link, "User-Agent", BROWSER).status()).isEqualTo(302);
        }
        awaitCountedOnce(engines, link, 5);
        Map<String, List<String>> before;
        try (Connection db = connect(engines)) {
          before = Tables.rows(db);
        }

        try (Traffic traffic = redirects(api, link)) {
          awaitMore(traffic, 20);
          Run expanded = migrate(engines, dir, "db/migration,filesystem:" + expand);
          assertThat(expanded.exit()).as(expanded.output()).isZero();
          assertThat(expanded.output()).contains("1 migration(s) applied", "V100 expand urls note");
          try (Connection db = connect(engines)) {
            assertThat(Db.count(db, "select count(*) from urls where note = ''"))
                .as("every existing link has the default")
                .isEqualTo(Db.count(db, "select count(*) from urls"));
          }
          // the running version, which has never heard of the column, writes links and clicks
          String during = api.shorten(alice, "https://example.com/during-expand");
          assertThat(api.get("/" + during).status()).isEqualTo(302);
          awaitMore(traffic, 20);

          Run again = migrate(engines, dir, "db/migration,filesystem:" + expand);
          assertThat(again.output()).as("migrating twice applies nothing").contains("0 migration");

          Run rolledBack =
              migrate(
                  engines, dir, "db/migration,filesystem:" + expand + ",filesystem:" + rollback);
          assertThat(rolledBack.exit()).as(rolledBack.output()).isZero();
          assertThat(rolledBack.output()).contains("V101 rollback urls note");
          try (Connection db = connect(engines)) {
            assertThat(
                    Db.count(
                        db,
                        "select count(*) from information_schema.columns"
                            + " where table_name = 'urls' and column_name = 'note'"))
                .isZero();
          }
          awaitMore(traffic, 20);
          traffic.close();
          answered = traffic.answered();
          assertThat(traffic.failures())
              .as("redirects that failed during the migrations")
              .isEmpty();
        }
        awaitCountedOnce(engines, link, 5 + answered);

        try (Connection db = connect(engines)) {
          Map<String, List<String>> after = Tables.rows(db);
          for (String table : List.of("users", "urls", CLICKS.getName(), "aggregated_events")) {
            assertThat(after.get(table))
                .as(table + " keeps every row")
                .containsAll(before.get(table));
          }
          assertThat(after.get("urls")).hasSize(before.get("urls").size() + 1);
        }
        Run info = migrate(engines, dir, "info");
        assertThat(info.exit()).as(info.output()).isZero();
        assertThat(info.output()).containsPattern("(?m)^5 +Success");
        assertThat(up.stop()).isEmpty();
      }

      // the old version again, on a history that names V100 and V101, which it does not carry:
      // the app tells Flyway to ignore such "future" migrations (by default it refuses to start)
      try (TinyscaleUp up = new TinyscaleUp(dir.resolve("app"), env)) {
        assertThat(up.api.get("/" + link).status()).isEqualTo(302);
        awaitCountedOnce(engines, link, 6 + answered);
        assertThat(up.stop()).isEmpty();
      }
    }
  }

  /**
   * {@code ./tinyscale migrate ARGS} with the app's settings, its migrations at {@code locations}.
   */
  private static Run migrate(Engines engines, Path dir, String locationsOrInfo) {
    Map<String, String> env = new HashMap<>(engines.env());
    // a home of its own: no devstack.env of a ./tinyscale up running in the repository is read
    env.put("TINYSCALE_HOME", dir.resolve("tools").toString());
    String[] command;
    if ("info".equals(locationsOrInfo)) {
      command = new String[] {TinyscaleUp.REPO.resolve("tinyscale").toString(), "migrate", "info"};
    } else {
      env.put("QUARKUS_FLYWAY_LOCATIONS", locationsOrInfo);
      command = new String[] {TinyscaleUp.REPO.resolve("tinyscale").toString(), "migrate"};
    }
    return BackupRestoreIT.run(env, command);
  }

  private static Path write(Path dir, String name, String sql) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), sql);
    return dir;
  }

  private static void awaitCountedOnce(Engines engines, String code, long redirects)
      throws SQLException {
    try (Connection db = connect(engines)) {
      long urlId = PipelineFaultIT.urlId(db, code);
      EventIds.awaitCountedOnce(engines.kafkaBootstrap(), db, code, urlId, redirects);
    }
  }

  private static Connection connect(Engines engines) throws SQLException {
    return DriverManager.getConnection(engines.dbUrl(), engines.dbUser(), password(engines));
  }

  private static String password(Engines engines) {
    return engines.dbPassword() == null ? "" : engines.dbPassword();
  }

  /** A stream of the link's redirects, each to answer 302. */
  private static Traffic redirects(Api api, String code) {
    return new Traffic(
        "redirects",
        1,
        20,
        () -> {
          int status = api.get("/" + code, "User-Agent", BROWSER).status();
          return status == 302 ? null : "status " + status;
        });
  }

  /** Waits until {@code more} redirects than now have been answered. */
  private static void awaitMore(Traffic traffic, long more) {
    long target = traffic.answered() + more;
    Waits.until(
        "more redirects answered",
        () -> traffic.answered() >= target || !traffic.failures().isEmpty(),
        traffic::toString);
  }
}
