package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.SseStream;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of the packaged app (platform/Draining): a second server beside {@code
 * ./tinyscale up}, on its engines, with a drain delay, is sent SIGTERM. Its readiness goes DOWN at
 * once while it goes on answering redirects, its live stream is told {@code shutdown}, a new stream
 * is refused with 503 {@code shutting-down}, it exits by itself, and every redirect it answered is
 * counted.
 */
class GracefulShutdownIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");

  @Test
  void onSigtermReadinessGoesDownWhileTheServerDrainsThenItStops() throws Exception {
    try (TinyscaleUp up =
        new TinyscaleUp(
            WORK.resolve("drain"),
            TinyscaleUp.env(
                "TINYSCALE_DB_NAME", "tinyscale_e2e", "TINYSCALE_BATCH_WINDOW", "PT0.5S"))) {
      Api api = new Api(up.url);
      User user = api.register();
      String code = api.shorten(user, "https://example.com/drained");

      int port = Ports.free();
      Map<String, String> env = up.engineEnv();
      env.put("TINYSCALE_ROLE", "server");
      env.put("TINYSCALE_HTTP_PORT", Integer.toString(port));
      env.put("TINYSCALE_HOME", WORK.resolve("drain-second").toString());
      env.put("TINYSCALE_INSTANCE_ID", "drain-second");
      env.put("TINYSCALE_DRAIN_DELAY", "PT4S");
      env.put("TINYSCALE_EXPOSE_EVENT_ID", "true"); // each 302 names its click
      Path log = WORK.resolve("drain-second.log");
      Files.deleteIfExists(log);
      Process second = TinyscaleUp.startApp(env, log);
      try {
        String url = "http://127.0.0.1:" + port;
        Api server = new Api(url);
        Waits.await("the second server ready")
            .atMost(Duration.ofMinutes(2))
            .until(() -> readiness(server) == 200);
        Set<UUID> answered = new HashSet<>();
        answered.add(redirect(server, code).id());

        try (SseStream live = SseStream.open(url + "/api/stream/" + code, user.auth())) {
          // the server's first stream: a click made while its feed starts (seconds: the enricher
          // is built, the consumer connects) is not lost
          answered.add(redirect(server, code).id());
          live.await("': ready'", frame -> "ready".equals(frame.comment()));
          assertThat(live.awaitEvents("click", 1).getFirst().json().get("code").asText())
              .isEqualTo(code);
          second.destroy(); // SIGTERM

          Waits.until("readiness DOWN", () -> readiness(server) == 503);
          Res ready = server.get("/health/ready");
          assertThat(ready.json().findValuesAsText("name")).contains("draining");
          live.awaitEnd();
          assertThat(live.frames().getLast().event()).isEqualTo("shutdown");

          // not ready, still serving: the drain delay is for the load balancer to notice
          for (int i = 0; i < 20; i++) {
            Answer redirect = redirect(server, code);
            // each answer closes its connection: none is left for the server's close to reset
            assertThat(redirect.res().header("Connection"))
                .as("redirect while draining")
                .isEqualTo("close");
            answered.add(redirect.id());
          }
          assertThat(server.get("/api/stats/" + code, user.auth()).header("Connection"))
              .as("API while draining")
              .isEqualTo("close");
          assertThat(second.isAlive())
              .as("still up after the redirects: " + Files.readString(log))
              .isTrue();
          Res refused = server.get("/api/stream/" + code, user.auth());
          assertThat(refused.status()).isEqualTo(503);
          assertThat(refused.json().get("type").asText())
              .isEqualTo("urn:tinyscale:problem:shutting-down");
          assertThat(refused.header("Retry-After")).isEqualTo("1");
        }
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(Files.readString(log)).contains("readiness is DOWN");

        // the same clicks, not only as many: a lost one and one counted twice cannot cancel out
        try (Connection db = up.db()) {
          long urlId = PipelineFaultIT.urlId(db, code);
          Waits.until(
              "every redirect the drained server answered is stored, and nothing else",
              () -> EventIds.inClicks(db, urlId).equals(answered));
        }
        Waits.untilEquals(
            "every redirect the drained server answered is counted once",
            (long) answered.size(),
            () -> api.get("/api/stats/" + code, user.auth()).json().get("totalClicks").asLong());
      } finally {
        second.destroyForcibly();
      }
      assertThat(up.stop()).isEmpty();
    }
  }

  private record Answer(Res res, UUID id) {}

  /** A redirect that must be a 302, with the event id of its click. */
  private static Answer redirect(Api server, String code) {
    Res res = server.get("/" + code);
    assertThat(res.status()).as("redirect of /" + code).isEqualTo(302);
    return new Answer(res, UUID.fromString(res.header("X-TinyScale-Event-Id")));
  }

  private static int readiness(Api server) {
    try {
      return server.get("/health/ready").status();
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
