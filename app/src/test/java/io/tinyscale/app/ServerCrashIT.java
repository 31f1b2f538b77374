package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Db;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged server killed with SIGKILL in the middle of a stream of redirects, then started
 * again on the same home: every click a client was answered a redirect for is counted, once. The
 * server names each click's event id in a header (TINYSCALE_EXPOSE_EVENT_ID, for tests only), so
 * the ids the clients saw are compared with the ids stored.
 */
class ServerCrashIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");
  private static final int CLIENTS = 8;

  private static TinyscaleUp engines; // Postgres, Redis, Kafka and a worker
  private static Connection db;

  @BeforeAll
  static void start() throws SQLException {
    engines =
        new TinyscaleUp(
            WORK.resolve("crash-engines"),
            TinyscaleUp.env("TINYSCALE_DB_NAME", "tinyscale_e2e", "TINYSCALE_ROLE", "worker"));
    Properties env = engines.engines();
    db =
        DriverManager.getConnection(
            env.getProperty("TINYSCALE_DB_URL"),
            env.getProperty("TINYSCALE_DB_USER"),
            env.getProperty("TINYSCALE_DB_PASSWORD", ""));
  }

  @AfterAll
  static void stop() throws SQLException {
    db.close();
    engines.close();
  }

  @Test
  void aKilledServerLosesNoClickItAnswered() throws Exception {
    Path home = WORK.resolve("crash-server-1");
    crashAndRecover(home, serverEnv(home, null), journal -> {}, 0);
  }

  @Test
  void aKilledServerWithTheBrokerAwayLosesNoClickItAnswered() throws Exception {
    // the broker is unreachable for the first server: every click is still in its journal
    Path home = WORK.resolve("crash-server-2");
    String nobody = "127.0.0.1:" + Ports.free();
    crashAndRecover(home, serverEnv(home, nobody), journal -> {}, 0);
  }

  @Test
  void aKilledServerForcingEachClickToDiskLosesNoClickItAnswered() throws Exception {
    // TINYSCALE_JOURNAL_FSYNC=always: each answer waits for a group commit covering its click
    Path home = WORK.resolve("crash-server-4");
    Map<String, String> env = serverEnv(home, null);
    env.put("TINYSCALE_JOURNAL_FSYNC", "always");
    crashAndRecover(home, env, journal -> {}, 0);
  }

  @Test
  void aTornLastRecordIsSkippedAndTheRestCounted() throws Exception {
    Path home = WORK.resolve("crash-server-3");
    crashAndRecover(home, serverEnv(home, null), ServerCrashIT::tearAfterLastRecord, 1);
  }

  private interface Damage {
    void to(Path journal) throws IOException;
  }

  private Map<String, String> serverEnv(Path home, String bootstrap) {
    Map<String, String> env = engines.engineEnv();
    env.put("TINYSCALE_ROLE", "server");
    env.put("TINYSCALE_HOME", home.toString());
    env.put("TINYSCALE_INSTANCE_ID", "crash-test");
    env.put("TINYSCALE_EXPOSE_EVENT_ID", "true");
    env.put("TINYSCALE_HTTP_PORT", Integer.toString(Ports.free()));
    if (bootstrap != null) {
      env.put("TINYSCALE_KAFKA_BOOTSTRAP", bootstrap);
    }
    return env;
  }

  /** {@code corrupt}: how many records the damage makes unreadable (dropped, and counted). */
  private void crashAndRecover(Path home, Map<String, String> env, Damage damage, int corrupt)
      throws Exception {
    Files.createDirectories(home);
    String url = "http://127.0.0.1:" + env.get("TINYSCALE_HTTP_PORT");
    Process server = TinyscaleUp.startApp(env, home.resolve("server.log"));
    Set<UUID> answered = ConcurrentHashMap.newKeySet();
    Api api = new Api(url);
    long link;
    try {
      Waits.await("the server is ready")
          .ignoreExceptions()
          .until(() -> api.get("/health/live").status() == 200);
      User user = api.register();
      String code =
          api.post("/api/shorten", Api.json("url", "https://example.com/crash"), user.auth())
              .json()
              .get("code")
              .asText();
      link = PipelineFaultIT.urlId(db, code);

      // clients redirect as fast as they can; each keeps the event ids of the 302s it received
      AtomicBoolean killed = new AtomicBoolean();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        running.add(
            clients.submit(
                () -> {
                  while (!killed.get()) {
                    redirect(api, "/" + code).ifPresent(answered::add);
                  }
                }));
      }
      Waits.until("5,000 redirects answered", () -> answered.size() >= 5_000);
      server.destroyForcibly().waitFor(1, TimeUnit.MINUTES); // SIGKILL
      killed.set(true);
      for (Future<?> f : running) {
        f.get(1, TimeUnit.MINUTES);
      }
      clients.shutdown();
      damage.to(home.resolve("journal").resolve("crash-test"));
    } finally {
      server.destroyForcibly().waitFor(1, TimeUnit.MINUTES); // SIGKILL, when it is not yet dead
    }

    long urlId = link;
    // the same home again, with a broker it can reach
    Map<String, String> again = serverEnv(home, null);
    again.put("TINYSCALE_HTTP_PORT", env.get("TINYSCALE_HTTP_PORT"));
    server = TinyscaleUp.startApp(again, home.resolve("server.log"));
    try {
      Waits.await("the restarted server is ready")
          .ignoreExceptions()
          .until(() -> api.get("/health/live").status() == 200);
      Waits.until(
          "every answered click stored",
          () -> EventIds.inClicks(db, urlId).containsAll(answered),
          () -> "(" + missing(answered, EventIds.inClicks(db, urlId)) + " missing)");
      Set<UUID> stored = EventIds.inClicks(db, urlId);
      System.out.printf(
          "%s: %d redirects answered before the kill, %d clicks stored%n",
          home.getFileName(), answered.size(), stored.size());
      // clicks journaled whose answer the kill cut off are counted too: one per open connection
      assertThat(stored.size() - answered.size()).isBetween(0, CLIENTS);
      Waits.untilEquals(
          "the link's hourly count: each stored click once",
          stored.size(),
          () ->
              Db.count(
                  db,
                  "select coalesce(sum(count), 0) from url_stats_hourly where url_id = ?",
                  urlId));
      assertThat(EventIds.inLedger(db, stored)).isEqualTo(stored);
      assertThat(api.metric("tinyscale_clicks_dropped_total")).isEqualTo(corrupt);
    } finally {
      server.destroy();
      server.waitFor(1, TimeUnit.MINUTES);
    }
  }

  /** The event id of a 302, empty for any other outcome (the server killed mid-answer). */
  private static Optional<UUID> redirect(Api api, String path) {
    try {
      Api.Res res = api.get(path);
      return res.status() == 302
          ? Optional.ofNullable(res.header("X-TinyScale-Event-Id")).map(UUID::fromString)
          : Optional.empty();
    } catch (UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private static long missing(Set<UUID> expected, Set<UUID> actual) {
    Set<UUID> missing = new HashSet<>(expected);
    missing.removeAll(actual);
    return missing.size();
  }

  /**
   * A crash in the middle of an append: a length written after the journal's last record, with no
   * payload or checksum behind it.
   */
  private static void tearAfterLastRecord(Path journal) throws IOException {
    Path last;
    try (Stream<Path> files = Files.list(journal)) {
      last =
          files
              .filter(f -> f.toString().endsWith(".journal"))
              .filter(ServerCrashIT::hasRecords)
              .sorted()
              .reduce((a, b) -> b)
              .orElseThrow();
    }
    try (FileChannel channel =
        FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      long at = 16; // the segment's header
      while (true) {
        length.clear();
        channel.read(length, at);
        int n = length.flip().getInt();
        if (n == 0) {
          break;
        }
        at += 8 + ((n + 3) & ~3);
      }
      channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 200), at);
    }
  }

  private static boolean hasRecords(Path segment) {
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
      ByteBuffer first = ByteBuffer.allocate(4);
      channel.read(first, 16);
      return first.getInt(0) != 0;
    } catch (IOException e) {
      return false;
    }
  }
}
