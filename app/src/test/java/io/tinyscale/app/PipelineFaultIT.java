package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Db;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The worker killed with SIGKILL in the middle of its batches, then restarted: every click is in
 * both sinks exactly once. Server and worker run as separate processes, as in production.
 */
class PipelineFaultIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");

  @Test
  void aKilledWorkerLosesNothingAndCountsNothingTwice() throws Exception {
    try (TinyscaleUp server =
        new TinyscaleUp(
            WORK.resolve("fault-server"),
            TinyscaleUp.env("TINYSCALE_DB_NAME", "tinyscale_e2e", "TINYSCALE_ROLE", "server"))) {
      Properties engines = server.engines();
      Api api = new Api(server.url);
      User user = api.register();
      String code =
          api.post("/api/shorten", Api.json("url", "https://example.com/fault"), user.auth())
              .json()
              .get("code")
              .asText();

      Process worker = startWorker(server.engineEnv(), Ports.free());
      int n = 4_000;
      AtomicInteger failed = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      List<Future<?>> sent = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        sent.add(
            clients.submit(
                () -> {
                  for (int i = 0; i < n / 4; i++) {
                    if (api.get("/" + code).status() != 302) {
                      failed.incrementAndGet();
                    }
                  }
                }));
      }
      try (Connection db = connect(engines)) {
        long urlId = urlId(db, code);
        // kill it once it is busy writing: some clicks stored, many still to come
        Waits.await("the worker has stored 500 clicks")
            .pollInterval(Duration.ofMillis(20))
            .until(() -> clicks(db, urlId) >= 500);
        worker.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        for (Future<?> f : sent) {
          f.get(2, TimeUnit.MINUTES);
        }
        clients.shutdown();
        assertThat(failed).as("redirects never depend on the worker").hasValue(0);
        long storedWhileDown = clicks(db, urlId);
        assertThat(storedWhileDown).as("the worker died before it had everything").isLessThan(n);

        int workerPort = Ports.free();
        worker = startWorker(server.engineEnv(), workerPort);
        try {
          Waits.untilEquals("the link's clicks", n, () -> clicks(db, urlId));
          // a worker answers health and metrics, and nothing else
          Api workerApi = new Api("http://127.0.0.1:" + workerPort);
          Waits.until("the worker is ready", () -> workerApi.get("/health/ready").status() == 200);
          assertThat(workerApi.get("/metrics").status()).isEqualTo(200);
          assertThat(workerApi.get("/api/links", user.auth()).status()).isEqualTo(404);
          assertThat(workerApi.get("/" + code).status()).as("no redirects").isEqualTo(404);
          // the same events in Kafka, in clicks and in the aggregator's ledger, each once
          EventIds.awaitCountedOnce(
              engines.getProperty("TINYSCALE_KAFKA_BOOTSTRAP"), db, code, urlId, n);
        } finally {
          worker.destroy();
          worker.waitFor(1, TimeUnit.MINUTES);
        }
      }
      assertThat(server.stop()).isEmpty();
    }
  }

  private static Process startWorker(Map<String, String> engineEnv, int port) throws IOException {
    Path home = WORK.resolve("fault-worker");
    Files.createDirectories(home);
    Map<String, String> env = new java.util.HashMap<>(engineEnv);
    env.put("TINYSCALE_ROLE", "worker");
    env.put("TINYSCALE_HOME", home.toString());
    env.put("TINYSCALE_HTTP_PORT", Integer.toString(port));
    env.put("TINYSCALE_BATCH_SIZE", "250");
    env.put("TINYSCALE_BATCH_WINDOW", "PT0.5S");
    return TinyscaleUp.startApp(env, home.resolve("worker.log"));
  }

  private static Connection connect(Properties engines) throws SQLException {
    return DriverManager.getConnection(
        engines.getProperty("TINYSCALE_DB_URL"),
        engines.getProperty("TINYSCALE_DB_USER"),
        engines.getProperty("TINYSCALE_DB_PASSWORD", ""));
  }

  static long urlId(Connection db, String code) throws SQLException {
    try (var s = db.prepareStatement("select id from urls where short_code = ?")) {
      s.setString(1, code);
      try (var r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  static long clicks(Connection db, long urlId) {
    return Db.count(db, "select count(*) from clicks where url_id = ?", urlId);
  }
}
