package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.SseStream;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end: the packaged app started by {@code ./tinyscale up}, driven over HTTP only, its
 * database inspected over JDBC.
 */
class TinyscaleUpIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");

  @Test
  void aUserJourneyOnTheMachinesEngines() throws Exception {
    try (TinyscaleUp up =
        new TinyscaleUp(
            WORK.resolve("local"),
            TinyscaleUp.env(
                "TINYSCALE_DB_NAME", "tinyscale_e2e",
                "TINYSCALE_API_RATE_LIMIT", "40",
                "TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32,::1/128"))) {
      Api api = new Api(up.url);
      User user = api.register();
      User admin = api.register();
      TinyscaleUp.Command granted = up.tinyscale("admin", "grant", admin.email());
      assertThat(granted.exit()).as(granted.output()).isZero();

      // shorten → redirect → change → the next redirect follows the change → delete → 404
      Res created =
          api.post("/api/shorten", Api.json("url", "https://example.com/first"), user.auth());
      assertThat(created.status()).isEqualTo(201);
      String code = created.json().get("code").asText();
      assertThat(created.json().get("shortUrl").asText())
          .isEqualTo("http://127.0.0.1:" + up.port + "/" + code);
      // the click producer fetches its topic's partitions at start, so the first click goes to
      // Kafka at once
      Waits.until(
          "the click producer knows its topic",
          () -> api.check("kafka", admin).path("data").path("topicPartitions").asInt() > 0,
          () -> api.check("kafka", admin).toString());
      Res first = api.get("/" + code);
      assertThat(first.status()).isEqualTo(302);
      assertThat(first.header("Location")).isEqualTo("https://example.com/first");
      Waits.until(
          "the first click acknowledged by Kafka",
          () -> api.metric("tinyscale_clicks_produced_total") >= 1);
      assertThat(api.metric("tinyscale_clicks_send_errors_total")).isZero();
      assertThat(api.metric("tinyscale_clicks_dropped_total")).isZero();
      assertThat(
              api.patch(
                      "/api/links/" + code,
                      Api.json("url", "https://example.com/second"),
                      user.auth())
                  .status())
          .isEqualTo(200);
      assertThat(api.get("/" + code).header("Location")).isEqualTo("https://example.com/second");
      assertThat(api.delete("/api/links/" + code, user.auth()).status()).isEqualTo(204);
      assertThat(api.get("/" + code).status()).isEqualTo(404);

      // a link that expires answers 410
      String expiring =
          api.post(
                  "/api/shorten",
                  Api.json(
                      "url",
                      "https://example.com/brief",
                      "expiresAt",
                      Instant.now().plusSeconds(1).toString()),
                  user.auth())
              .json()
              .get("code")
              .asText();
      assertThat(api.get("/" + expiring).status()).isEqualTo(302);
      Waits.until(
          "the link answers 410 once expired", () -> api.get("/" + expiring).status() == 410);

      // bad requests: each a 4xx problem, and the database unchanged
      Properties engines = up.engines();
      try (Connection db =
          DriverManager.getConnection(
              engines.getProperty("TINYSCALE_DB_URL"),
              engines.getProperty("TINYSCALE_DB_USER"),
              engines.getProperty("TINYSCALE_DB_PASSWORD", ""))) {
        long before = rows(db);
        List<Res> bad =
            List.of(
                api.post("/api/shorten", "{not json", user.auth()),
                api.post("/api/shorten", Api.json("url", "javascript:alert(1)"), user.auth()),
                api.post(
                    "/api/shorten",
                    Api.json("url", "http://127.0.0.1:" + up.port + "/loop"),
                    user.auth()),
                api.post(
                    "/api/shorten",
                    Api.json("url", "https://example.com", "alias", "metrics"),
                    user.auth()),
                api.post(
                    "/api/shorten",
                    Api.json("url", "https://example.com", "redirectType", 200),
                    user.auth()),
                api.post("/api/shorten", Api.json("url", "https://example.com")),
                api.post("/api/shorten", "x".repeat(20_000), user.auth()),
                api.post(
                    "/api/shorten",
                    "url=x",
                    user.auth("Content-Type", "application/x-www-form-urlencoded")),
                api.patch(
                    "/api/links/none-such", Api.json("url", "https://example.com"), user.auth()),
                api.post(
                    "/api/auth/register",
                    Api.json("email", "x", "password", "x"),
                    "X-Forwarded-For",
                    Api.randomIp()),
                api.rawGet("/api/links/%zz")); // the packaged app's Main hands malformed URIs to
        // web/Routes
        assertThat(bad)
            .extracting(Res::status)
            .containsExactly(400, 400, 400, 400, 400, 401, 413, 415, 404, 400, 400);
        assertThat(bad)
            .allSatisfy(
                res -> assertThat(res.contentType()).startsWith("application/problem+json"));
        assertThat(rows(db)).isEqualTo(before);
      }

      // the API key's rate limit: 429 with Retry-After and RateLimit-* headers
      User busy = api.register();
      Res res = null;
      for (int i = 0; i < 100 && (res == null || res.status() != 429); i++) {
        res = api.get("/api/links", busy.auth());
        assertThat(res.header("RateLimit-Limit")).isEqualTo("40");
        assertThat(res.header("RateLimit-Remaining")).isNotNull();
        assertThat(res.header("RateLimit-Reset")).isNotNull();
      }
      assertThat(res.status()).isEqualTo(429);
      assertThat(res.header("Retry-After")).isNotNull();
      assertThat(api.get("/api/links", user.auth()).status())
          .as("other keys are not limited")
          .isEqualTo(200);

      assertThat(up.stop()).as("every process stops on SIGTERM").isEmpty();
      assertThat(Ports.isListening(up.port)).isFalse();
    }
  }

  @Test
  void onAMachineWithoutPostgresOrRedisUpStartsEmbeddedOnesAndKeepsData() {
    int pgPort = Ports.free();
    int redisPort = Ports.free();
    var env =
        TinyscaleUp.env(
            // the usual ports are pointed at closed ones, as on a machine where nothing runs
            "TINYSCALE_DEVSTACK_PG_PORT", Integer.toString(Ports.free()),
            "TINYSCALE_DEVSTACK_REDIS_PORT", Integer.toString(Ports.free()),
            "TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT", Integer.toString(pgPort),
            "TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT", Integer.toString(redisPort));
    Path home = WORK.resolve("embedded-" + System.nanoTime());
    String code;
    try (TinyscaleUp up = new TinyscaleUp(home, env)) {
      Api api = new Api(up.url);
      assertThat(up.engines().getProperty("TINYSCALE_DB_URL")).contains(":" + pgPort + "/");
      assertThat(up.engines().getProperty("TINYSCALE_REDIS_URL")).contains(":" + redisPort);
      User user = api.register();
      code =
          api.post("/api/shorten", Api.json("url", "https://example.com/kept"), user.auth())
              .json()
              .get("code")
              .asText();
      // a live stream on the packaged app sees the click, and is told when the server stops
      try (SseStream live = SseStream.open(up.url + "/api/stream/" + code, user.auth())) {
        live.await("': ready'", frame -> "ready".equals(frame.comment()));
        assertThat(api.get("/" + code).status()).isEqualTo(302);
        assertThat(live.awaitEvents("click", 1).getFirst().json().get("code").asText())
            .isEqualTo(code);
        assertThat(up.stop()).isEmpty();
        live.awaitEnd();
        assertThat(live.frames().getLast().event()).as("the last frame").isEqualTo("shutdown");
      }
    }
    assertThat(Ports.isListening(pgPort)).as("embedded Postgres stopped").isFalse();
    assertThat(Ports.isListening(redisPort)).as("embedded Redis stopped").isFalse();

    try (TinyscaleUp again = new TinyscaleUp(home, env)) {
      Res kept = new Api(again.url).get("/" + code);
      assertThat(kept.status()).as("a restart keeps links").isEqualTo(302);
      assertThat(kept.header("Location")).isEqualTo("https://example.com/kept");
      assertThat(again.stop()).isEmpty();
    }
  }

  @Test
  void withRedisDownRedirectsAndApiKeysStillWork() {
    int deadRedis = Ports.free();
    try (TinyscaleUp up =
        new TinyscaleUp(
            WORK.resolve("no-redis"),
            TinyscaleUp.env(
                "TINYSCALE_DB_NAME",
                "tinyscale_e2e",
                "TINYSCALE_REDIS_URL",
                "redis://127.0.0.1:" + deadRedis))) {
      Api api = new Api(up.url);
      User user = api.register();
      String code =
          api.post("/api/shorten", Api.json("url", "https://example.com/degraded"), user.auth())
              .json()
              .get("code")
              .asText();
      assertThat(api.get("/" + code).header("Location")).isEqualTo("https://example.com/degraded");
      assertThat(api.get("/api/links", user.auth()).header("RateLimit-Limit"))
          .as("local fallback limits")
          .isEqualTo("600");

      Res ready = api.get("/health/ready");
      assertThat(ready.status()).as("degraded, still serving").isEqualTo(200);
      assertThat(ready.body()).contains("\"degraded\": true");
      Res login =
          api.post(
              "/api/auth/login",
              Api.json("email", user.email(), "password", "correct horse battery"));
      assertThat(login.status()).as("sessions need Redis").isEqualTo(503);
      assertThat(login.json().get("type").asText())
          .isEqualTo("urn:tinyscale:problem:dependency-unavailable");
      assertThat(api.get("/metrics").body())
          .containsPattern("tinyscale_ratelimit_fallback_total [1-9]");
      assertThat(up.stop()).isEmpty();
    }
  }

  @Test
  void aSecondUpOnATakenPortIsRefusedAndWhenTheAppDiesUpStopsTheEngines() throws Exception {
    try (TinyscaleUp up =
        new TinyscaleUp(
            WORK.resolve("app-dies"), TinyscaleUp.env("TINYSCALE_DB_NAME", "tinyscale_e2e"))) {
      List<ProcessHandle> started = up.children();
      try {
        // refused at once, before any engine starts
        ProcessBuilder second =
            new ProcessBuilder(TinyscaleUp.REPO.resolve("tinyscale").toString(), "up")
                .directory(TinyscaleUp.REPO.toFile())
                .redirectErrorStream(true);
        second.environment().put("TINYSCALE_HOME", WORK.resolve("app-dies-second").toString());
        second.environment().put("TINYSCALE_HTTP_PORT", Integer.toString(up.port));
        Process refused = second.start();
        String said = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).as(said).isEqualTo(1);
        assertThat(said).contains("port " + up.port + " is in use");

        up.app().destroyForcibly(); // a crash: SIGKILL, no shutdown of its own
        assertThat(up.awaitExit(Duration.ofSeconds(60))).as("./tinyscale up's status").isNotZero();
        Waits.until(
            "the engines stop with it",
            () -> started.stream().noneMatch(ProcessHandle::isAlive),
            () -> started.stream().filter(ProcessHandle::isAlive).toList().toString());
        assertThat(up.log())
            .contains("the app exited (status 137): stopping the engines", "stopped")
            .doesNotContain("unbound variable");
      } finally {
        started.forEach(ProcessHandle::destroy); // orphans, when the test fails
      }
    }
  }

  @Test
  void withoutATrustedProxyLimitsCountTheSocketPeerAndAJournalHasOneOwner() throws Exception {
    try (TinyscaleUp up =
        new TinyscaleUp(
            WORK.resolve("untrusted"),
            TinyscaleUp.env(
                "TINYSCALE_DB_NAME", "tinyscale_e2e",
                "TINYSCALE_IP_RATE_LIMIT", "30",
                "TINYSCALE_MISS_RATE_LIMIT", "20"))) {
      Api api = new Api(up.url);
      User user = api.register();
      String code =
          api.post("/api/shorten", Api.json("url", "https://example.com/limited"), user.auth())
              .json()
              .get("code")
              .asText();
      assertThat(api.get("/" + code).status()).isEqualTo(302);

      // random keys, each request claiming another client: the claim is not believed
      int unauthorized = 0;
      int limited = 0;
      long started = System.nanoTime();
      for (int i = 0; i < 40; i++) {
        Res res =
            api.get(
                "/api/links",
                "Authorization",
                "Bearer ts_" + java.util.UUID.randomUUID().toString().replace("-", ""),
                "X-Forwarded-For",
                Api.randomIp());
        if (res.status() == 429) {
          limited++;
          assertThat(res.header("Retry-After")).isNotNull();
        } else if (res.status() == 401) {
          unauthorized++;
        }
      }
      // 30 a minute, the shorten call took one; the bucket refills one every 2 s meanwhile (a
      // loaded machine takes seconds for these 40 requests)
      long refilled = (System.nanoTime() - started) / 2_000_000_000L + 1;
      assertThat(unauthorized)
          .as("guesses allowed before the limit")
          .isLessThanOrEqualTo(29 + (int) refilled);
      assertThat(limited)
          .as("guesses refused in front of authentication")
          .isGreaterThanOrEqualTo(10 - (int) refilled);
      assertThat(unauthorized + limited).isEqualTo(40);

      // a scan of unknown codes: limited per client too, while a cached link keeps redirecting
      int missesLimited = 0;
      for (int i = 0; i < 30; i++) {
        Res res =
            api.get(
                "/scan" + i + "x" + System.nanoTime() % 1000, "X-Forwarded-For", Api.randomIp());
        assertThat(res.status()).isIn(404, 429);
        missesLimited += res.status() == 429 ? 1 : 0;
      }
      assertThat(missesLimited).isGreaterThanOrEqualTo(10);
      assertThat(api.get("/" + code).status()).as("an L1 hit is not a miss").isEqualTo(302);
      assertThat(api.get("/metrics").body())
          .containsPattern("tinyscale_ratelimit_rejected_total\\{scope=\"ip\"\\} [1-9]")
          .containsPattern("tinyscale_ratelimit_rejected_total\\{scope=\"miss\"\\} [1-9]");

      // a second process on the same TINYSCALE_HOME (and host name) refuses to share its journal
      Map<String, String> env = up.engineEnv();
      env.put("TINYSCALE_HOME", up.home.toString());
      env.put("TINYSCALE_HTTP_PORT", Integer.toString(Ports.free()));
      Path log = WORK.resolve("untrusted-second.log");
      java.nio.file.Files.deleteIfExists(log);
      Process process = TinyscaleUp.startApp(env, log);
      boolean exited = process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      process.destroyForcibly();
      String output = java.nio.file.Files.readString(log);
      assertThat(exited).as("the second process gave up by itself: " + output).isTrue();
      assertThat(process.exitValue()).as(output).isNotZero();
      assertThat(output).contains("is in use by another process", "TINYSCALE_HOME");
      assertThat(api.get("/" + code).status()).as("the first process is unharmed").isEqualTo(302);
      assertThat(up.stop()).isEmpty();
    }
  }

  private static long rows(Connection db) throws SQLException {
    try (var statement = db.createStatement();
        var result =
            statement.executeQuery(
                "select (select count(*) from users) + (select count(*) from urls) + (select count(*) from api_keys)")) {
      result.next();
      return result.getLong(1);
    }
  }
}
