package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.app.Api.User;
import io.tinyscale.testkit.TinyscaleUp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

      Process worker = startWorker(engines, TinyscaleUp.freePort());
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
        while (count(db, "select count(*) from clicks where url_id = ?", urlId) < 500) {
          TinyscaleUp.sleep(20);
        }
        worker.destroyForcibly().waitFor();
        for (Future<?> f : sent) {
          f.get();
        }
        clients.shutdown();
        assertThat(failed).as("redirects never depend on the worker").hasValue(0);
        long storedWhileDown = count(db, "select count(*) from clicks where url_id = ?", urlId);
        assertThat(storedWhileDown).as("the worker died before it had everything").isLessThan(n);

        int workerPort = TinyscaleUp.freePort();
        worker = startWorker(engines, workerPort);
        try {
          PipelineTest.awaitEquals(
              n, () -> count(db, "select count(*) from clicks where url_id = ?", urlId));
          // a worker answers health and metrics, and nothing else
          Api workerApi = new Api("http://127.0.0.1:" + workerPort);
          Api.await("the worker is ready", () -> workerApi.get("/health/ready").status() == 200);
          assertThat(workerApi.get("/metrics").status()).isEqualTo(200);
          assertThat(workerApi.get("/api/links", user.auth()).status()).isEqualTo(404);
          assertThat(workerApi.get("/" + code).status()).as("no redirects").isEqualTo(404);
          PipelineTest.awaitEquals(
              n,
              () ->
                  count(
                      db,
                      "select coalesce(sum(count), 0) from url_stats_hourly where url_id = ?",
                      urlId));
        } finally {
          worker.destroy();
          worker.waitFor();
        }
      }
      assertThat(server.stop()).isEmpty();
    }
  }

  private static Process startWorker(Properties engines, int port) throws IOException {
    Path home = WORK.resolve("fault-worker");
    Files.createDirectories(home);
    Map<String, String> env = new java.util.HashMap<>();
    engines.forEach((k, v) -> env.put((String) k, (String) v));
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

  static long count(Connection db, String sql, long urlId) {
    try (var s = db.prepareStatement(sql)) {
      s.setLong(1, urlId);
      try (var r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
