package io.tinyscale.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyscale.testkit.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real engines: the machine's Postgres and Redis, and embedded ones on free ports. */
class DevStackTest {

  /**
   * Probe ports nothing listens on, so devstack starts its own engines, on free ports of their own.
   */
  static Map<String, String> embeddedEnv() throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String engine : List.of("PG", "REDIS", "KAFKA", "OPENSEARCH")) {
      env.put("TINYSCALE_DEVSTACK_" + engine + "_PORT", Integer.toString(Ports.free()));
      env.put("TINYSCALE_DEVSTACK_EMBEDDED_" + engine + "_PORT", Integer.toString(Ports.free()));
    }
    return env;
  }

  /**
   * A broker that is never contacted: for tests about the other engines (KafkaTest tests the
   * broker).
   */
  static final String UNUSED_KAFKA = "127.0.0.1:1";

  /** The same for OpenSearch (OpenSearchTest tests the node). */
  static final String UNUSED_OPENSEARCH = "http://127.0.0.1:1";

  /** Tests about Postgres and Redis: Kafka and OpenSearch given, so neither is started. */
  static Map<String, String> withoutKafkaAndOpenSearch(Map<String, String> env) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put("TINYSCALE_KAFKA_BOOTSTRAP", UNUSED_KAFKA);
    copy.put("TINYSCALE_OPENSEARCH_URL", UNUSED_OPENSEARCH);
    return copy;
  }

  @Test
  void startsEmbeddedEnginesThatKeepTheirDataAcrossRestartsAndStopOnClose(@TempDir Path home)
      throws Exception {
    Options options = Options.of(home, "tinyscale", withoutKafkaAndOpenSearch(embeddedEnv()));
    int pgPort = Integer.parseInt(options.env().get("TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT"));
    int redisPort = Integer.parseInt(options.env().get("TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT"));

    try (Engines engines = DevStack.start(options)) {
      assertThat(engines.postgres().origin()).isEqualTo(Origin.STARTED);
      assertThat(engines.redis().origin()).isEqualTo(Origin.STARTED);
      assertThat(engines.dbUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pgPort + "/tinyscale");
      assertThat(engines.dbUser()).isEqualTo("postgres");
      assertThat(engines.dbPassword()).isEmpty();
      assertThat(engines.redisUrl()).isEqualTo("redis://127.0.0.1:" + redisPort);
      assertThat(engines.env())
          .containsOnlyKeys(
              "TINYSCALE_DB_URL",
              "TINYSCALE_DB_USER",
              "TINYSCALE_DB_PASSWORD",
              "TINYSCALE_REDIS_URL",
              "TINYSCALE_KAFKA_BOOTSTRAP",
              "TINYSCALE_OPENSEARCH_URL");

      try (Connection db = Probe.connect(engines);
          Statement sql = db.createStatement()) {
        try (ResultSet one = sql.executeQuery("select 1")) {
          assertThat(one.next()).isTrue();
          assertThat(one.getInt(1)).isEqualTo(1);
        }
        sql.execute("create table kept (word text)");
        sql.execute("insert into kept values ('persisted')");
      }
      assertThat(Probe.ping(engines.redisUrl())).isEqualTo("+PONG");
      assertThat(Probe.redis(engines.redisUrl(), "SET", "kept", "persisted")).isEqualTo("+OK");

      assertThatThrownBy(() -> DevStack.start(options))
          .isInstanceOf(DevStackException.class)
          .hasMessageContaining("Another devstack is running with home " + home);
      assertThat(Ports.isListening(pgPort))
          .as("the first devstack's Postgres is untouched")
          .isTrue();
    }

    assertThat(Ports.isListening(pgPort)).as("Postgres port after close").isFalse();
    assertThat(Ports.isListening(redisPort)).as("Redis port after close").isFalse();
    assertThat(home.resolve("postgres/postmaster.pid")).doesNotExist();
    assertThat(home.resolve("redis/appendonly.aof")).exists();

    try (Engines engines = DevStack.start(options)) {
      try (Connection db = Probe.connect(engines);
          Statement sql = db.createStatement();
          ResultSet kept = sql.executeQuery("select word from kept")) {
        assertThat(kept.next()).isTrue();
        assertThat(kept.getString(1)).isEqualTo("persisted");
      }
      assertThat(Probe.redis(engines.redisUrl(), "GET", "kept")).isEqualTo("persisted");
    }
    assertThat(Ports.isListening(pgPort)).isFalse();
    assertThat(Ports.isListening(redisPort)).isFalse();
  }

  @Test
  void stopsAndStartsItsEmbeddedPostgresOnTheSamePortWithTheSameData(@TempDir Path home)
      throws Exception {
    Map<String, String> env = withoutKafkaAndOpenSearch(embeddedEnv());
    env.put("TINYSCALE_REDIS_URL", "redis://127.0.0.1:1");
    int pgPort = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT"));

    try (Engines engines = DevStack.start(Options.of(home, "tinyscale", env))) {
      Engine postgres = engines.postgres();
      assertThat(postgres.restartable()).isTrue();
      assertThat(postgres.running()).isTrue();
      try (Connection db = Probe.connect(engines);
          Statement sql = db.createStatement()) {
        sql.execute("create table kept (word text)");
        sql.execute("insert into kept values ('before the stop')");

        postgres.stop();
        assertThat(postgres.running()).isFalse();
        assertThat(Ports.isListening(pgPort)).as("Postgres port while stopped").isFalse();
        postgres.stop(); // stopping a stopped Postgres does nothing
        // What a client sees, by SQLSTATE: its session ended (57P01, or 08006 when the socket is
        // found closed first), and no new one (08001).
        assertThatThrownBy(() -> sql.execute("select 1"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isIn("57P01", "08006"));
        assertThatThrownBy(() -> Probe.connect(engines))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"));
      }

      postgres.start();
      assertThat(postgres.running()).isTrue();
      postgres.start(); // starting a running Postgres does nothing
      try (Connection db = Probe.connect(engines);
          Statement sql = db.createStatement();
          ResultSet kept = sql.executeQuery("select word from kept")) {
        assertThat(kept.next()).isTrue();
        assertThat(kept.getString(1)).isEqualTo("before the stop");
      }
    }
    assertThat(Ports.isListening(pgPort)).as("Postgres port after close").isFalse();
    assertThat(home.resolve("postgres/postmaster.pid")).doesNotExist();
  }

  @Test
  void usesTheMachinesPostgresAndRedisOnTheirDefaultPortsAndCreatesTheDatabase(@TempDir Path home)
      throws Exception {
    assumeTrue(
        Ports.isListening(5432) && Ports.isListening(6379),
        "needs a Postgres on 127.0.0.1:5432 and a Redis on 127.0.0.1:6379");
    String database =
        "devstack_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try {
      Map<String, String> env = withoutKafkaAndOpenSearch(Map.of());
      try (Engines engines = DevStack.start(Options.of(home, database, env))) {
        assertThat(engines.postgres().origin()).isEqualTo(Origin.FOUND);
        assertThat(engines.redis().origin()).isEqualTo(Origin.FOUND);
        assertThat(engines.all()).noneMatch(Engine::started);
        assertThat(engines.postgres().restartable())
            .as("a found Postgres is not devstack's to stop")
            .isFalse();
        assertThat(engines.dbUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/" + database);
        assertThat(engines.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
        try (Connection db = Probe.connect(engines);
            Statement sql = db.createStatement();
            ResultSet current = sql.executeQuery("select current_database()")) {
          assertThat(current.next()).isTrue();
          assertThat(current.getString(1)).isEqualTo(database);
        }
        assertThat(Probe.ping(engines.redisUrl())).isEqualTo("+PONG");
      }
      assertThat(home.resolve("postgres")).doesNotExist();
      assertThat(home.resolve("redis")).doesNotExist();
      assertThat(Ports.isListening(5432)).as("a found engine is not stopped").isTrue();
      assertThat(Ports.isListening(6379)).as("a found engine is not stopped").isTrue();

      // found again: the database exists now, and that is fine
      try (Engines again = DevStack.start(Options.of(home, database, env))) {
        assertThat(again.postgres().origin()).isEqualTo(Origin.FOUND);
      }
    } finally {
      dropDatabase(database);
    }
  }

  @Test
  void usesEnginesGivenByTheirVariablesAsIsWithoutProbing(@TempDir Path home) {
    Map<String, String> env =
        Map.of(
            "TINYSCALE_DB_URL", "jdbc:postgresql://db.example:5432/links?password=secret",
            "TINYSCALE_DB_USER", "app",
            "TINYSCALE_DB_PASSWORD", "secret",
            "TINYSCALE_REDIS_URL", "redis://:secret@cache.example:6379",
            "TINYSCALE_KAFKA_BOOTSTRAP", "kafka.example:9092",
            "TINYSCALE_OPENSEARCH_URL", "https://search:secret@opensearch.example:9200");
    try (Engines engines = DevStack.start(Options.of(home, "tinyscale", env))) {
      assertThat(engines.all()).allMatch(e -> e.origin() == Origin.GIVEN);
      assertThat(engines.env())
          .containsExactly(
              entry("TINYSCALE_DB_URL", "jdbc:postgresql://db.example:5432/links?password=secret"),
              entry("TINYSCALE_DB_USER", "app"),
              entry("TINYSCALE_DB_PASSWORD", "secret"),
              entry("TINYSCALE_REDIS_URL", "redis://:secret@cache.example:6379"),
              entry("TINYSCALE_KAFKA_BOOTSTRAP", "kafka.example:9092"),
              entry("TINYSCALE_OPENSEARCH_URL", "https://search:secret@opensearch.example:9200"));
      assertThat(engines.postgres().endpoint())
          .isEqualTo("jdbc:postgresql://db.example:5432/links?password=***");
      assertThat(engines.redis().endpoint()).isEqualTo("redis://:***@cache.example:6379");
      assertThat(engines.kafka().endpoint()).isEqualTo("kafka.example:9092");
      assertThat(engines.opensearch().endpoint())
          .isEqualTo("https://search:***@opensearch.example:9200");
    }
  }

  private static void dropDatabase(String database) throws SQLException {
    try (Connection admin =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        Statement sql = admin.createStatement()) {
      sql.execute("drop database if exists \"" + database + "\" with (force)");
    }
  }
}
