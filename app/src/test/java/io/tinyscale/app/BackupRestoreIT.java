package io.tinyscale.app;

import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.devstack.DevStack;
import io.tinyscale.devstack.Engines;
import io.tinyscale.devstack.Options;
import io.tinyscale.testkit.Api;
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
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The restore drill of docs/operations.md ("Backups"), on the machine's Postgres (Debian's pg_dump
 * is 15, and so is that server; the embedded Postgres 18 cannot be dumped by it): links and clicks
 * through the packaged app, deploy/backup/backup.sh while it serves, more clicks, the app stopped,
 * the database dropped, deploy/backup/restore.sh, every table's rows as they were at the backup,
 * then the app started again and every click counted exactly once.
 *
 * <p>What Kafka holds against the restored database. The broker (devstack's, started here, up
 * across the app's stop and restart, as a cluster's would be) keeps every click, including those
 * after the backup, which the restored database has lost. The hourly aggregator stores its
 * positions in the database with its counts, so the restored positions match the restored counts:
 * it re-reads from there and counts the post-backup clicks again, once (its ledger lost them too).
 * The raw writer and the indexer commit their positions to Kafka, which are past those clicks: left
 * alone, the restored {@code clicks} would miss them for good. So the documented procedure rewinds
 * the three groups to the earliest retained offset before the workers start: the raw writer and the
 * indexer skip the event ids they hold, and the aggregator seeks to its stored positions wherever
 * it has them (a partition without any had no click counted before the backup, so reading it from
 * the start is right). The test rewinds the aggregator too, so that a count taken twice would show.
 */
class BackupRestoreIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");
  private static final Path BACKUP = TinyscaleUp.REPO.resolve("deploy/backup/backup.sh");
  private static final Path RESTORE = TinyscaleUp.REPO.resolve("deploy/backup/restore.sh");
  private static final String DB = "tinyscale_backup_e2e";
  private static final String BROWSER = PipelineTest.CHROME;
  private static final String BOT = "curl/8.5.0";
  private static final List<String> GROUPS =
      Stream.of(ConsumerGroup.values()).map(ConsumerGroup::groupId).toList();

  @Test
  void aBackupRestoredIntoADroppedDatabaseHasEveryRowAndThePipelineCountsOnExactly()
      throws Exception {
    Path dir = WORK.resolve("backup-" + System.nanoTime());
    // the machine's Postgres (probed on 5432 as user postgres); Redis, Kafka and OpenSearch of the
    // test's own, on free ports, so no other worker joins its consumer groups
    Map<String, String> ports = new HashMap<>();
    for (String engine : List.of("REDIS", "KAFKA", "OPENSEARCH")) {
      ports.put("TINYSCALE_DEVSTACK_" + engine + "_PORT", Integer.toString(Ports.free()));
      ports.put("TINYSCALE_DEVSTACK_EMBEDDED_" + engine + "_PORT", Integer.toString(Ports.free()));
    }
    try (Engines engines = DevStack.start(Options.of(dir.resolve("engines"), DB, ports));
        Admin kafka = Admin.create(KafkaClients.admin(engines.kafkaBootstrap()))) {
      requireDumpableServer(engines);
      recreate(engines);
      Map<String, String> env = new HashMap<>(engines.env());
      env.put("TINYSCALE_BATCH_WINDOW", "PT0.5S");
      env.put("TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32,::1/128");
      Path app = dir.resolve("app");

      String human;
      String bot;
      String quiet;
      User alice;
      Map<String, List<String>> backedUp;
      Path dump;
      try (TinyscaleUp up = new TinyscaleUp(app, env)) {
        Api api = up.api;
        alice = api.register();
        human = api.shorten(alice, "https://example.com/backup-human");
        bot = api.shorten(alice, "https://example.com/backup-bot");
        quiet = api.shorten(alice, "https://example.com/backup-quiet");
        redirect(api, human, BROWSER, 7);
        redirect(api, bot, BOT, 3);
        awaitCountedOnce(engines, human, 7);
        awaitCountedOnce(engines, bot, 3);

        // Online, as the CronJob takes it; the pipeline is idle, so the rows read before and after
        // the dump are the dump's.
        backedUp = snapshot(engines);
        assertThat(backedUp.keySet())
            .contains(
                "users",
                "api_keys",
                "urls",
                CLICKS.getName(),
                "url_stats_hourly",
                "consumer_offsets",
                "aggregated_events",
                "flyway_schema_history");
        for (String table :
            List.of(
                "urls",
                CLICKS.getName(),
                "url_stats_hourly",
                "consumer_offsets",
                "aggregated_events")) {
          assertThat(backedUp.get(table)).as(table).isNotEmpty();
        }
        Run backup = run(engines, BACKUP.toString(), "--dir", dir.resolve("backups").toString());
        assertThat(backup.exit()).as(backup.output()).isZero();
        assertThat(backup.output()).contains("backup: wrote ", "backup: done: ");
        try (Stream<Path> files = Files.list(dir.resolve("backups"))) {
          List<Path> dumps = files.toList();
          assertThat(dumps).hasSize(1);
          dump = dumps.getFirst();
        }
        assertThat(dump.getFileName().toString())
            .matches("tinyscale-" + DB + "-\\d{8}T\\d{6}Z\\.dump");
        assertThat(snapshot(engines)).as("nothing moved during the backup").isEqualTo(backedUp);

        // after the backup: in Kafka and counted, and lost with the database
        redirect(api, human, BROWSER, 4);
        awaitCountedOnce(engines, human, 11);
        assertThat(up.stop()).isEmpty();
      }

      drop(engines);
      Run restore = run(engines, RESTORE.toString(), "--create", dump.toString());
      assertThat(restore.exit()).as(restore.output()).isZero();
      assertThat(restore.output()).contains("creating database " + DB, "restore: restored ");
      assertThat(snapshot(engines)).as("every row as it was at the backup").isEqualTo(backedUp);
      Run again = run(engines, RESTORE.toString(), dump.toString());
      assertThat(again.exit()).as("a database holding tables is refused").isEqualTo(2);
      assertThat(again.output()).contains("pass --force");

      rewindToEarliest(kafka);

      try (TinyscaleUp up = new TinyscaleUp(app, env)) {
        Api api = up.api;
        // the post-backup clicks, back from Kafka in both sinks, and nothing counted twice
        awaitCountedOnce(engines, human, 11);
        awaitCountedOnce(engines, bot, 3);
        redirect(api, human, BROWSER, 5);
        redirect(api, quiet, BROWSER, 2);
        awaitCountedOnce(engines, human, 16);
        awaitCountedOnce(engines, bot, 3);
        awaitCountedOnce(engines, quiet, 2);
        // the restored account and key still work, and the API says the same
        var stats = api.get("/api/stats/" + human, alice.auth()).json();
        assertThat(stats.get("totalClicks").asLong()).isEqualTo(16);
        assertThat(stats.get("humanClicks").asLong()).isEqualTo(16);
        assertThat(api.get("/api/stats/" + bot, alice.auth()).json().get("botClicks").asLong())
            .isEqualTo(3);
        try (Connection db = connect(engines)) {
          assertThat(Db.count(db, "select count(*) from clicks")).isEqualTo(21);
          assertThat(Db.count(db, "select coalesce(sum(count), 0) from url_stats_hourly"))
              .isEqualTo(21);
        }
        assertThat(up.stop()).isEmpty();
      }
    }
  }

  /** Each of the link's redirects answered 302, from a fresh client address. */
  private static void redirect(Api api, String code, String userAgent, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(
              api.get("/" + code, "User-Agent", userAgent, "X-Forwarded-For", Api.randomIp())
                  .status())
          .isEqualTo(302);
    }
  }

  private static void awaitCountedOnce(Engines engines, String code, long redirects)
      throws SQLException {
    try (Connection db = connect(engines)) {
      long urlId = PipelineFaultIT.urlId(db, code);
      EventIds.awaitCountedOnce(engines.kafkaBootstrap(), db, code, urlId, redirects);
    }
  }

  private static Map<String, List<String>> snapshot(Engines engines) throws SQLException {
    try (Connection db = connect(engines)) {
      return Tables.rows(db);
    }
  }

  /**
   * The restore procedure's Kafka step, as {@code kafka-consumer-groups.sh --reset-offsets
   * --to-earliest} does it, once the app's consumers have left their groups.
   */
  private static void rewindToEarliest(Admin kafka) {
    Waits.until(
        "the consumer groups are empty",
        () ->
            get(kafka.describeConsumerGroups(GROUPS).all()).values().stream()
                .allMatch(
                    g -> g.groupState() == GroupState.EMPTY || g.groupState() == GroupState.DEAD),
        () -> get(kafka.describeConsumerGroups(GROUPS).all()).toString());
    Map<TopicPartition, OffsetSpec> earliest =
        get(kafka.describeTopics(List.of(Topics.CLICKS)).allTopicNames())
            .get(Topics.CLICKS)
            .partitions()
            .stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(Topics.CLICKS, p.partition()),
                    p -> OffsetSpec.earliest()));
    Map<TopicPartition, OffsetAndMetadata> offsets =
        get(kafka.listOffsets(earliest).all()).entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
    for (String group : GROUPS) {
      get(kafka.alterConsumerGroupOffsets(group, offsets).all());
    }
  }

  /** The drill needs a server Debian's pg_dump can dump: the machine's, not the embedded 18. */
  private static void requireDumpableServer(Engines engines) throws SQLException {
    try (Connection db = connect(engines)) {
      int server = db.getMetaData().getDatabaseMajorVersion();
      Run dump = run(engines, "pg_dump", "--version");
      assertThat(dump.exit())
          .as("pg_dump is not installed: apt-get install postgresql-client")
          .isZero();
      int client = Integer.parseInt(dump.output().replaceAll("(?s)^\\D*(\\d+).*", "$1"));
      assertThat(client)
          .as(
              "pg_dump %d cannot dump Postgres %d (%s): run this test against a Postgres of"
                  + " pg_dump's major version or older (the machine's on 5432)",
              client, server, engines.dbUrl())
          .isGreaterThanOrEqualTo(server);
    }
  }

  private static void recreate(Engines engines) throws SQLException {
    Tables.recreate(engines.dbUrl(), engines.dbUser(), password(engines), DB, true);
  }

  private static void drop(Engines engines) throws SQLException {
    Tables.recreate(engines.dbUrl(), engines.dbUser(), password(engines), DB, false);
  }

  private static Connection connect(Engines engines) throws SQLException {
    return DriverManager.getConnection(engines.dbUrl(), engines.dbUser(), password(engines));
  }

  private static String password(Engines engines) {
    return engines.dbPassword() == null ? "" : engines.dbPassword();
  }

  record Run(int exit, String output) {}

  private static Run run(Engines engines, String... command) {
    return run(
        Map.of(
            "TINYSCALE_DB_URL", engines.dbUrl(),
            "TINYSCALE_DB_USER", engines.dbUser(),
            "TINYSCALE_DB_PASSWORD", password(engines)),
        command);
  }

  /**
   * A command as an operator runs it: of the PG* and TINYSCALE_* variables only {@code env} (none
   * of the test's environment), its output and exit status.
   */
  static Run run(Map<String, String> env, String... command) {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(TinyscaleUp.REPO.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("TINYSCALE_"));
    builder.environment().putAll(env);
    try {
      Process child = builder.start();
      String output = new String(child.getInputStream().readAllBytes(), UTF_8);
      if (!child.waitFor(5, TimeUnit.MINUTES)) {
        child.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not end within 5 minutes");
      }
      return new Run(child.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
