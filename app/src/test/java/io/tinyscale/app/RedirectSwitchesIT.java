package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The switches that the cache and capture benchmarks turn (bench/cache.sh, bench/capture.sh), each
 * on a packaged server of its own against real Postgres, Redis and Kafka: with a cache tier off the
 * redirect still answers right and that tier is never asked (its counters stay 0, Redis gets no
 * key); each click capture mode does what it says (sync-db: the row is in Postgres when the 302
 * arrives).
 */
class RedirectSwitchesIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");
  private static final String TARGET = "https://example.com/switches";

  private static TinyscaleUp engines; // Postgres, Redis, Kafka and a worker writing clicks
  private static Connection db;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> redis;

  @BeforeAll
  static void start() throws SQLException {
    engines =
        new TinyscaleUp(
            WORK.resolve("switches-engines"),
            TinyscaleUp.env(
                "TINYSCALE_DB_NAME",
                "tinyscale_switches",
                "TINYSCALE_ROLE",
                "worker",
                "TINYSCALE_BATCH_WINDOW",
                "PT0.3S"));
    db = engines.db();
    redisClient = RedisClient.create(engines.engines().getProperty("TINYSCALE_REDIS_URL"));
    redis = redisClient.connect();
  }

  @AfterAll
  static void stop() throws SQLException {
    redis.close();
    redisClient.shutdown();
    db.close();
    engines.close();
  }

  @Test
  void withL1OffEveryRedirectAsksRedis() throws Exception {
    try (Server server = new Server("l1-off", "TINYSCALE_CACHE_L1_ENABLED", "false")) {
      String code = server.newLink();
      server.redirectsRight(code);
      server.redirectsRight(code);
      assertThat(server.cache("l1", "hit") + server.cache("l1", "miss")).isZero();
      assertThat(server.cache("db", "hit")).as("loaded from Postgres once").isEqualTo(1);
      assertThat(server.cache("l2", "hit")).as("then from Redis").isGreaterThanOrEqualTo(1);
      assertThat(redisHas(code)).isTrue();
    }
  }

  @Test
  void withL2OffRedisGetsNoKey() throws Exception {
    try (Server server = new Server("l2-off", "TINYSCALE_CACHE_L2_ENABLED", "false")) {
      String code = server.newLink();
      server.redirectsRight(code);
      server.redirectsRight(code);
      assertThat(server.cache("l2", "hit") + server.cache("l2", "miss")).isZero();
      assertThat(server.cache("db", "hit")).as("loaded from Postgres once").isEqualTo(1);
      assertThat(server.cache("l1", "hit")).as("then from memory").isGreaterThanOrEqualTo(1);
      assertThat(redisHas(code)).isFalse();
    }
  }

  @Test
  void withBothOffEveryRedirectAsksPostgres() throws Exception {
    try (Server server =
        new Server(
            "both-off",
            "TINYSCALE_CACHE_L1_ENABLED",
            "false",
            "TINYSCALE_CACHE_L2_ENABLED",
            "false")) {
      String code = server.newLink();
      for (int i = 0; i < 3; i++) {
        server.redirectsRight(code);
      }
      assertThat(server.cache("db", "hit")).isEqualTo(3);
      assertThat(
              server.cache("l1", "hit")
                  + server.cache("l1", "miss")
                  + server.cache("l2", "hit")
                  + server.cache("l2", "miss"))
          .isZero();
      assertThat(redisHas(code)).isFalse();
    }
  }

  @Test
  void asyncCaptureJournalsTheClickAndTheWorkerStoresIt() throws Exception {
    try (Server server = new Server("capture-async", "TINYSCALE_CLICK_CAPTURE", "async")) {
      String code = server.newLink();
      UUID click = server.redirectsRight(code);
      assertThat(server.api.metric("tinyscale_clicks_journaled_total")).isEqualTo(1);
      long urlId = PipelineFaultIT.urlId(db, code);
      Waits.until(
          "the click reaches clicks through Kafka and the worker",
          () -> EventIds.inClicks(db, urlId).equals(Set.of(click)));
    }
  }

  @Test
  void syncDbCaptureHasTheRowInPostgresBeforeTheAnswer() throws Exception {
    try (Server server = new Server("capture-sync-db", "TINYSCALE_CLICK_CAPTURE", "sync-db")) {
      String code = server.newLink();
      long urlId = PipelineFaultIT.urlId(db, code);
      for (int i = 0; i < 3; i++) {
        UUID click = server.redirectsRight(code);
        // no wait: the answer came after the commit
        assertThat(EventIds.inClicks(db, urlId)).contains(click).hasSize(i + 1);
      }
      assertThat(server.api.metric("tinyscale_clicks_inserted_total")).isEqualTo(3);
      assertThat(server.api.metric("tinyscale_clicks_journaled_total")).isZero();
      assertThat(server.home.resolve("journal")).doesNotExist();
    }
  }

  @Test
  void captureOffRecordsNothing() throws Exception {
    try (Server server = new Server("capture-off", "TINYSCALE_CLICK_CAPTURE", "off")) {
      String code = server.newLink();
      Res res = server.api.get("/" + code);
      assertThat(res.status()).isEqualTo(302);
      assertThat(res.header("Location")).isEqualTo(TARGET);
      assertThat(res.header("X-TinyScale-Event-Id")).as("no click was built").isNull();
      assertThat(server.api.metric("tinyscale_clicks_journaled_total")).isZero();
      assertThat(server.home.resolve("journal")).doesNotExist();
      assertThat(EventIds.inClicks(db, PipelineFaultIT.urlId(db, code))).isEmpty();
    }
  }

  private static boolean redisHas(String code) {
    return redis.sync().exists("link:" + code) > 0;
  }

  /** A packaged server in role server on the shared engines, with the given variables. */
  private static final class Server implements AutoCloseable {
    final Path home;
    final Api api;
    private final Process process;
    private User user;

    Server(String name, String... variables) throws Exception {
      home = WORK.resolve("switches-" + name);
      Files.createDirectories(home);
      Map<String, String> env = engines.engineEnv();
      env.put("TINYSCALE_ROLE", "server");
      env.put("TINYSCALE_HOME", home.toString());
      env.put("TINYSCALE_INSTANCE_ID", name);
      env.put("TINYSCALE_EXPOSE_EVENT_ID", "true");
      env.put("TINYSCALE_HTTP_PORT", Integer.toString(Ports.free()));
      env.putAll(TinyscaleUp.env(variables));
      api = new Api("http://127.0.0.1:" + env.get("TINYSCALE_HTTP_PORT"));
      process = TinyscaleUp.startApp(env, home.resolve("server.log"));
      Waits.await("the server " + name + " is ready")
          .ignoreExceptions()
          .until(() -> api.get("/health/live").status() == 200);
    }

    String newLink() {
      if (user == null) {
        user = api.register();
      }
      return api.shorten(user, TARGET);
    }

    /** One redirect, which must be right; its click's event id, or null when none was built. */
    UUID redirectsRight(String code) {
      Res res = api.get("/" + code);
      assertThat(res.status()).isEqualTo(302);
      assertThat(res.header("Location")).isEqualTo(TARGET);
      String id = res.header("X-TinyScale-Event-Id");
      return id == null ? null : UUID.fromString(id);
    }

    double cache(String tier, String result) {
      return api.metric(
          "tinyscale_cache_requests_total{result=\"" + result + "\",tier=\"" + tier + "\"}");
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
    }
  }
}
