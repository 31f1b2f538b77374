package io.tinyscale.app;

import static io.tinyscale.testkit.Waits.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyscale.core.UuidV7;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.devstack.DevStack;
import io.tinyscale.devstack.Engine;
import io.tinyscale.devstack.Engines;
import io.tinyscale.devstack.Options;
import io.tinyscale.testkit.Api;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Postgres stopped under the worker in the middle of a stream of redirects, then started again: a
 * cached link keeps redirecting; the worker pauses, retries with backoff and neither commits nor
 * dead-letters anything while Postgres is away; once it is back, every click is in both sinks
 * exactly once. Meanwhile readiness stays UP, reporting Postgres as degraded, and the API answers
 * 503 with Retry-After. Then the same with a frozen Postgres (its processes suspended, connections
 * silent): the socket timeout turns the hang into the same outage. The first outage begins while
 * each consumer group is also isolating poison events (clicks of a link that does not exist) one by
 * one, which must be resumed, not abandoned.
 *
 * <p>The Postgres stopped is devstack's embedded one on a free port, never the machine's; the app
 * is the packaged one in role {@code all}, started by {@code ./tinyscale up} with the engines given
 * by their variables.
 */
class PostgresOutageIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");
  private static final String TOPIC = Topics.CLICKS;
  private static final String DEAD_LETTERS = Topics.DEAD_LETTERS;
  private static final List<String> GROUPS =
      Arrays.stream(ConsumerGroup.values()).map(ConsumerGroup::groupId).toList();

  /**
   * The groups that write to Postgres and so wait for it. The search indexer writes to OpenSearch
   * and reads only links' URLs, which it keeps in memory: it goes on indexing the cached link's
   * clicks meanwhile, unless poison (a click of no link, whose URL it must look up) is still in its
   * batch.
   */
  private static final List<String> POSTGRES_GROUPS =
      List.of(ConsumerGroup.RAW_WRITER.groupId(), ConsumerGroup.AGGREGATOR.groupId());

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Each takes a consumer {@code max-attempts} writes and 0.3 s of pauses to give up on. */
  private static final int POISON = 30;

  private static final int CONSUMERS_PER_GROUP = 2;

  @Test
  void theWorkerWaitsForPostgresAndSkipsNothingWhileCachedLinksKeepRedirecting() throws Exception {
    // Engines of the test's own, devstack-started on free ports: a Postgres it may stop, and a
    // broker
    // whose consumer groups no other worker joins.
    Map<String, String> ports = new HashMap<>();
    for (String engine : List.of("PG", "REDIS", "KAFKA", "OPENSEARCH")) {
      ports.put("TINYSCALE_DEVSTACK_" + engine + "_PORT", Integer.toString(Ports.free()));
      ports.put("TINYSCALE_DEVSTACK_EMBEDDED_" + engine + "_PORT", Integer.toString(Ports.free()));
    }
    // A fresh home: a backlog that a failed run left in Kafka would otherwise be consumed here.
    // Kept
    // after the run, for the engines' logs.
    Path home = WORK.resolve("pg-outage-engines");
    deleteTree(home);
    try (Engines engines = DevStack.start(Options.of(home, "tinyscale", ports))) {
      Engine postgres = engines.postgres();
      assertThat(postgres.restartable()).as("devstack started this Postgres").isTrue();
      Map<String, String> env = new HashMap<>(engines.env());
      env.put("TINYSCALE_BATCH_SIZE", "200");
      env.put("TINYSCALE_BATCH_WINDOW", "PT0.5S");
      env.put("TINYSCALE_CONSUMERS_PER_GROUP", Integer.toString(CONSUMERS_PER_GROUP));
      env.put("TINYSCALE_DB_SOCKET_TIMEOUT", "3");
      try (TinyscaleUp app = new TinyscaleUp(WORK.resolve("pg-outage"), env);
          Admin kafka = Admin.create(KafkaClients.admin(engines.kafkaBootstrap()))) {
        Api api = new Api(app.url);
        String[] owner = api.register().auth();
        Api.User admin = api.register();
        TinyscaleUp.Command granted = app.tinyscale("admin", "grant", admin.email());
        assertThat(granted.exit()).as(granted.output()).isZero();
        // an admin watching: a key used in the last minutes keeps working while Postgres is away
        Waits.until(
            "the grant applies", () -> api.get("/api/admin/health", admin.auth()).status() == 200);
        String code =
            api.post("/api/shorten", Api.json("url", "https://example.com/pg-outage"), owner)
                .json()
                .get("code")
                .asText();
        long urlId;
        try (Connection db = connect(engines)) {
          urlId = PipelineFaultIT.urlId(db, code);
        }

        // The first redirects load the link into the server's memory; the outage starts once the
        // worker is busy writing clicks and isolating poison.
        Redirects redirects = new Redirects(api, "/" + code);
        String orphans = "orphan-" + UuidV7.next();
        try (redirects) {
          try (Connection db = connect(engines)) {
            until("the worker writes clicks", () -> clicks(db, urlId) >= 200);
          }
          until("both groups have settled their members", () -> stable(kafka));
          poison(engines.kafkaBootstrap(), orphans);
          for (String group : GROUPS) {
            Pattern deadLettered =
                Pattern.compile("Consumer " + group + ": clicks-\\d+@\\d+ dead-lettered");
            until(group + " isolates the poison", () -> deadLettered.matcher(app.log()).find());
          }
          postgres.stop();

          until("readiness reports Postgres degraded", () -> isDegraded(api.check("postgres")));
          // still ready: the replica keeps serving what it can rather than leave rotation
          assertThat(api.get("/health/ready").status()).isEqualTo(200);
          assertThat(api.check("postgres").get("status").asText()).isEqualTo("UP");
          assertThat(api.check("postgres", admin).path("data").path("error").asText())
              .as("the details, for admins, through the outage")
              .isNotBlank();
          assertThat(api.check("postgres").path("data").has("error"))
              .as("not for anyone")
              .isFalse();
          Api.Res refused =
              api.post("/api/shorten", Api.json("url", "https://example.com/while-away"), owner);
          assertThat(refused.status()).isEqualTo(503);
          assertThat(refused.json().get("type").asText())
              .isEqualTo("urn:tinyscale:problem:dependency-unavailable");
          assertThat(refused.header("Retry-After")).isEqualTo("5");
          for (String group : POSTGRES_GROUPS) {
            until(
                group + " logs that it waits for Postgres",
                () -> app.log().contains("Consumer " + group + ": sink unavailable"));
          }
          // From here on only a durable write could let a Postgres group commit, and none can.
          Map<String, Long> committed = committed(kafka);
          long poisonDeadLettered = deadLetters(engines.kafkaBootstrap(), orphans);
          long producedAtPause = produced(kafka);
          Map<String, Double> lagAtPause = lag(api);
          until(
              "clicks keep arriving in Kafka and the lag metric grows with them",
              () -> {
                Map<String, Double> lag = lag(api);
                return produced(kafka) >= producedAtPause + 300
                    && POSTGRES_GROUPS.stream()
                        .allMatch(g -> lag.get(g) >= lagAtPause.get(g) + 300);
              },
              () ->
                  "records in Kafka "
                      + producedAtPause
                      + " -> "
                      + produced(kafka)
                      + ", lag "
                      + lagAtPause
                      + " -> "
                      + lag(api));
          Map<String, Long> committedNow = committed(kafka);
          for (String group : POSTGRES_GROUPS) {
            assertThat(committedNow.get(group))
                .as(group + " committed nothing while Postgres was away")
                .isEqualTo(committed.get(group));
          }
          assertThat(deadLetters(engines.kafkaBootstrap(), code))
              .as("no click dead-lettered")
              .isZero();
          assertThat(deadLetters(engines.kafkaBootstrap(), orphans))
              .as("poison isolation paused too")
              .isEqualTo(poisonDeadLettered)
              .isLessThan(POISON * GROUPS.size());
          assertThat(app.log()).doesNotContainPattern("Consumer \\S+ stopped");

          postgres.start();
          redirects.awaitMore("redirects go on after the restart", 100);
        }
        assertThat(redirects.failures)
            .as("a cached link redirects whether Postgres is there or not")
            .isEmpty();
        long n = redirects.served.get();

        awaitCountedOnce(engines, code, urlId, n);
        Waits.untilEquals(
            POISON * GROUPS.size(), () -> deadLetters(engines.kafkaBootstrap(), orphans));
        assertThat(deadLetters(engines.kafkaBootstrap(), code))
            .as("no click dead-lettered")
            .isZero();
        long produced = produced(kafka);
        until(
            "every group committed everything",
            () -> committed(kafka).values().stream().allMatch(c -> c == produced));
        assertThat(isDegraded(api.check("postgres"))).as("Postgres no longer degraded").isFalse();
        assertThat(app.log())
            .contains("sink is back after")
            .doesNotContainPattern("Consumer \\S+ stopped");

        // Frozen rather than stopped (SIGSTOP: connections stay open and go silent, as with a hung
        // host
        // or a failover that left them dangling). With TINYSCALE_DB_SOCKET_TIMEOUT=3 nothing waits
        // on it
        // for ever: the API answers 503, the worker gives up on its statement and retries, and once
        // Postgres thaws every click is counted once.
        long unavailableBefore = occurrences(app.log(), "sink unavailable");
        Redirects more = new Redirects(api, "/" + code);
        try (more) {
          more.awaitMore("redirects before the freeze", 50);
          postgres.freeze();
          try {
            Api.Res refused =
                api.post(
                    "/api/shorten", Api.json("url", "https://example.com/while-frozen"), owner);
            assertThat(refused.status())
                .as("an API call on a frozen database fails instead of hanging")
                .isEqualTo(503);
            until(
                "the worker gives up on the frozen database and waits",
                () -> occurrences(app.log(), "sink unavailable") > unavailableBefore);
            // the probe answers before the socket timeout would (2 s against 3)
            until(
                "readiness reports the frozen Postgres",
                () ->
                    api.check("postgres", admin)
                        .path("data")
                        .path("error")
                        .asText()
                        .equals("no answer within 2 s"));
            assertThat(api.get("/health/ready").status()).isEqualTo(200);
          } finally {
            postgres.thaw();
          }
          more.awaitMore("redirects go on after the thaw", 100);
        }
        assertThat(more.failures).as("a cached link redirects while Postgres is frozen").isEmpty();
        long total = n + more.served.get();
        awaitCountedOnce(engines, code, urlId, total);
        assertThat(app.log()).doesNotContainPattern("Consumer \\S+ stopped");
        assertThat(app.stop()).isEmpty();
      }
    }
  }

  /**
   * Publishes {@link #POISON} clicks of a link that does not exist, keyed {@code key}: each
   * consumer group's sink rejects them (no such url id), so it writes their batch event by event
   * and dead-letters them.
   */
  private static void poison(String bootstrap, String key) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(bootstrap, Duration.ofSeconds(30)),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < POISON; i++) {
        ClickEvent orphan =
            new ClickEvent(
                UuidV7.next(), key, Long.MAX_VALUE, Instant.now(), null, PipelineTest.CHROME, null);
        producer.send(new ProducerRecord<>(TOPIC, key, ClickEventJson.encode(orphan)));
      }
      producer.flush();
    }
  }

  /**
   * Whether every consumer group is stable with all its consumers as members (no rebalance under
   * way).
   */
  private static boolean stable(Admin kafka) {
    return get(kafka.describeConsumerGroups(GROUPS).all()).values().stream()
        .allMatch(
            g -> g.groupState() == GroupState.STABLE && g.members().size() == CONSUMERS_PER_GROUP);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static Connection connect(Engines engines) throws SQLException {
    return DriverManager.getConnection(engines.dbUrl(), engines.dbUser(), engines.dbPassword());
  }

  /**
   * Waits until the link's {@code redirects} clicks are each in Kafka, in {@code clicks} and in the
   * aggregator's ledger, the same event ids everywhere, and counted once in the hourly sums.
   */
  private static void awaitCountedOnce(Engines engines, String code, long urlId, long redirects)
      throws SQLException {
    try (Connection db = connect(engines)) {
      EventIds.awaitCountedOnce(engines.kafkaBootstrap(), db, code, urlId, redirects);
    }
  }

  private static long clicks(Connection db, long urlId) {
    return PipelineFaultIT.clicks(db, urlId);
  }

  private static boolean isDegraded(JsonNode check) {
    return check.path("data").path("degraded").asBoolean(false);
  }

  private static long occurrences(String text, String part) {
    return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
  }

  /** {@code tinyscale_consumer_lag} per group. */
  private static Map<String, Double> lag(Api api) {
    return GROUPS.stream()
        .collect(
            Collectors.toMap(
                g -> g, g -> api.metric("tinyscale_consumer_lag{group=\"" + g + "\"}")));
  }

  /** Each group's committed offsets on {@code clicks}, summed over the partitions. */
  private static Map<String, Long> committed(Admin kafka) {
    Map<String, Long> committed = new HashMap<>();
    for (String group : GROUPS) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          get(kafka.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
      committed.put(
          group,
          offsets.entrySet().stream()
              .filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
              .mapToLong(e -> e.getValue().offset())
              .sum());
    }
    return committed;
  }

  /** Records in {@code clicks}: its end offsets, summed over the partitions. */
  private static long produced(Admin kafka) {
    Map<TopicPartition, OffsetSpec> latest =
        get(kafka.describeTopics(List.of(TOPIC)).allTopicNames()).get(TOPIC).partitions().stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(TOPIC, p.partition()), p -> OffsetSpec.latest()));
    return get(kafka.listOffsets(latest).all()).values().stream().mapToLong(o -> o.offset()).sum();
  }

  /** Records in {@code clicks.dlt} with this key (the code of the click they carry). */
  private static long deadLetters(String bootstrap, String key) {
    TopicPartition dlt = new TopicPartition(DEAD_LETTERS, 0);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClients.reader(bootstrap),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(dlt));
      consumer.seekToBeginning(List.of(dlt));
      long end = consumer.endOffsets(List.of(dlt)).get(dlt);
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      long count = 0;
      while (consumer.position(dlt) < end) {
        assertThat(System.nanoTime()).as("read clicks.dlt to its end").isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          count += key.equals(record.key()) ? 1 : 0;
        }
      }
      return count;
    }
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Redirects of one link, one after the other at a modest pace, from a thread of their own until
   * closed.
   */
  private static final class Redirects implements AutoCloseable {
    final AtomicLong served = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    Redirects(Api api, String path) {
      thread =
          Thread.ofPlatform()
              .name("redirects")
              .start(
                  () -> {
                    while (!closed) {
                      try {
                        int status = api.get(path).status();
                        if (status == 302) {
                          served.incrementAndGet();
                        } else {
                          failures.add("status " + status);
                        }
                      } catch (RuntimeException e) {
                        failures.add(e.toString());
                      }
                      TinyscaleUp.sleep(4);
                    }
                  });
    }

    /** Waits until {@code count} more redirects than now have been served. */
    void awaitMore(String what, long count) {
      long from = served.get();
      until(what, () -> served.get() >= from + count);
    }

    @Override
    public void close() throws InterruptedException {
      closed = true;
      thread.join();
    }
  }
}
