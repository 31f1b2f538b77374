package io.tinyscale.app;

import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.CONSUMER_OFFSETS;
import static io.tinyscale.storage.jooq.Tables.URLS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.UuidV7;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ClickTopics;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.devstack.Engine;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Waits;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The click pipeline against a real broker, Postgres and Redis. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class PipelineTest {
  static final String CHROME =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

  @TestHTTPResource("/")
  URL root;

  @Inject io.tinyscale.app.platform.OpenSearch openSearch;

  @Inject DSLContext dsl;

  @Inject Settings settings;

  Api api;

  @BeforeEach
  void client() {
    api = new Api(root.toString());
  }

  @Test
  void everyRedirectIsStoredAndCountedExactlyOnce() {
    User user = api.register();
    String code = api.shorten(user, "https://example.com/counted");
    long urlId = urlId(code);
    int n = 300;
    for (int i = 0; i < n; i++) {
      assertThat(api.get("/" + code, "User-Agent", i % 3 == 0 ? "curl/8.5.0" : CHROME).status())
          .isEqualTo(302);
    }
    Waits.untilEquals(n, () -> dsl.fetchCount(CLICKS, CLICKS.URL_ID.eq(urlId)));
    Waits.untilEquals(n, () -> hourlyTotal(urlId));
    JsonNode stats = api.get("/api/stats/" + code, user.auth()).json();
    assertThat(stats.get("totalClicks").asLong()).isEqualTo(n);
    assertThat(stats.get("botClicks").asLong()).isEqualTo(n / 3);
    assertThat(stats.get("humanClicks").asLong()).isEqualTo(n - n / 3);
    assertThat(stats.get("last24h")).hasSize(24);
    // the humans, in the current hour or, when the run crossed an hour, in the last two
    long humansByHour = 0;
    for (JsonNode hour : stats.get("last24h")) {
      humansByHour += hour.get("count").asLong();
    }
    assertThat(humansByHour).isEqualTo(n - n / 3);
    assertThat(stats.get("lastClickAt").isNull()).isFalse();
    // the batches that wrote them, as histograms (buckets up to the 1000-event batch)
    assertThat(api.get("/metrics").body())
        .containsPattern(
            "tinyscale_batch_size_bucket\\{group=\""
                + ConsumerGroup.RAW_WRITER.groupId()
                + "\",le=\"1000.0\"} [1-9]")
        .containsPattern(
            "tinyscale_batch_seconds_bucket\\{group=\""
                + ConsumerGroup.AGGREGATOR.groupId()
                + "\",le=\"\\+Inf\"} [1-9]");
  }

  @Test
  void clicksAreEnrichedAndTheirIpsTruncated() {
    User user = api.register();
    String code = api.shorten(user, "https://example.com/enriched");
    long urlId = urlId(code);
    api.get(
        "/" + code,
        "User-Agent",
        CHROME,
        "X-Forwarded-For",
        "8.8.8.8",
        "Referer",
        "https://News.Example.org/story?id=1");
    api.get("/" + code, "User-Agent", "curl/8.5.0", "X-Forwarded-For", "81.2.69.142");
    Waits.untilEquals(2, () -> dsl.fetchCount(CLICKS, CLICKS.URL_ID.eq(urlId)));
    var human =
        dsl.selectFrom(CLICKS)
            .where(CLICKS.URL_ID.eq(urlId).and(CLICKS.IS_BOT.isFalse()))
            .fetchOne();
    assertThat(human.getBrowser()).isEqualTo("Chrome");
    assertThat(human.getCountry()).isEqualTo("US");
    assertThat(human.getIpAddress()).as("stored as its /24").isEqualTo("8.8.8.0");
    assertThat(human.getReferrer()).isEqualTo("news.example.org");
    var bot =
        dsl.selectFrom(CLICKS)
            .where(CLICKS.URL_ID.eq(urlId).and(CLICKS.IS_BOT.isTrue()))
            .fetchOne();
    assertThat(bot.getCountry()).isEqualTo("GB");
    assertThat(bot.getIpAddress()).isEqualTo("81.2.69.0");
  }

  @Test
  void poisonGoesToTheDeadLetterTopicWithItsStoryAndCanBeReplayed() throws Exception {
    User admin = DevStackTestResource.newAdmin(api);
    User user = api.register();
    assertThat(api.get("/api/admin/dlt", user.auth()).status()).as("admins only").isEqualTo(403);
    String code = api.shorten(user, "https://example.com/replayed");
    long urlId = urlId(code);
    long before = dltTotal(admin);

    String garbage = "not an event " + UuidV7.next();
    ClickEvent orphan =
        new ClickEvent(UuidV7.next(), "orphan", Long.MAX_VALUE, Instant.now(), null, CHROME, null);
    ClickEvent good =
        new ClickEvent(UuidV7.next(), code, urlId, Instant.now(), "203.0.113.0", CHROME, null);
    ClickEvent stale =
        new ClickEvent(
            UuidV7.next(),
            code,
            urlId,
            Instant.now().minus(java.time.Duration.ofDays(8)),
            "203.0.113.0",
            CHROME,
            null);
    var config =
        KafkaClients.reliableProducer(settings.kafka().bootstrap(), Duration.ofSeconds(30));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(Topics.CLICKS, "x", garbage.getBytes(StandardCharsets.UTF_8)))
          .get();
      producer
          .send(new ProducerRecord<>(Topics.CLICKS, "orphan", ClickEventJson.encode(orphan)))
          .get();
      // a click that was dead-lettered earlier and whose cause is gone: replay must count it
      producer
          .send(new ProducerRecord<>(Topics.DEAD_LETTERS, code, ClickEventJson.encode(good)))
          .get();
      // dead-lettered 8 days ago: the aggregator no longer knows whether it counted it
      producer
          .send(
              new ProducerRecord<>(
                  Topics.DEAD_LETTERS,
                  null,
                  Instant.now().minus(java.time.Duration.ofDays(8)).toEpochMilli(),
                  code,
                  ClickEventJson.encode(stale)))
          .get();
    }
    // garbage once per consumer group; the orphan after bounded retries, per group (compared as
    // the letters themselves: other tests' letters may arrive meanwhile)
    String orphanId = orphan.eventId().toString();
    int groups = ConsumerGroup.values().length;
    Waits.until(
        "the garbage and the orphan dead-lettered by every group",
        () -> lettersWith(admin, garbage) == groups && lettersWith(admin, orphanId) == groups);
    assertThat(dltTotal(admin)).isGreaterThanOrEqualTo(before + 2L * groups);
    JsonNode items = api.get("/api/admin/dlt?limit=1000", admin.auth()).json().get("items");
    JsonNode poison = null;
    for (JsonNode item : items) {
      if (garbage.equals(item.get("value").asText())) {
        poison = item;
      }
    }
    assertThat(poison).as("the unparseable record, unchanged").isNotNull();
    assertThat(poison.get("headers").get("x-error-class").asText()).contains("InvalidClickEvent");
    assertThat(poison.get("headers").get("x-source-topic").asText()).isEqualTo(Topics.CLICKS);
    assertThat(poison.get("headers").has("x-source-partition")).isTrue();
    assertThat(poison.get("headers").has("x-source-offset")).isTrue();
    assertThat(poison.get("headers").has("x-first-failure")).isTrue();
    assertThat(poison.get("headers").get("x-attempts").asInt()).isEqualTo(1);
    boolean orphanRetried = false;
    for (JsonNode item : items) {
      orphanRetried |=
          item.get("value").asText().contains(orphan.eventId().toString())
              && item.get("headers").get("x-attempts").asInt() == settings.pipeline().maxAttempts();
    }
    assertThat(orphanRetried).as("the orphan was retried before it was dead-lettered").isTrue();
    // the list above counted what waits for a replay: these letters at least
    assertThat(api.metric("tinyscale_dead_letters_waiting")).isGreaterThanOrEqualTo(2.0 * groups);

    // a replay holds the replay position's row: another one meanwhile is refused, publishing
    // nothing
    String dltKey = ClickTopics.key(settings.kafka().bootstrap(), Topics.DEAD_LETTERS);
    dsl.insertInto(
            CONSUMER_OFFSETS,
            CONSUMER_OFFSETS.CONSUMER_GROUP,
            CONSUMER_OFFSETS.TOPIC,
            CONSUMER_OFFSETS.PARTITION_ID,
            CONSUMER_OFFSETS.NEXT_OFFSET)
        .values("tinyscale-dlt-replay", dltKey, 0, 0L)
        .onConflictDoNothing()
        .execute();
    dsl.transaction(
        tx -> {
          tx.dsl()
              .selectFrom(CONSUMER_OFFSETS)
              .where(CONSUMER_OFFSETS.TOPIC.eq(dltKey))
              .forUpdate()
              .fetch();
          Res refused = api.post("/api/admin/dlt/replay", null, admin.auth());
          assertThat(refused.status()).isEqualTo(409);
          assertThat(refused.json().get("type").asText())
              .isEqualTo("urn:tinyscale:problem:replay-in-progress");
        });
    Res replay = api.post("/api/admin/dlt/replay", null, admin.auth());
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().get("replayed").asLong()).isPositive();
    assertThat(replay.json().get("tooOld").asLong())
        .as("older than the aggregator's memory: left out")
        .isPositive();
    // what waits now is what the list shows as not replayed: letters that came after the replay
    // (the poison, replayed unfixed, fails again), not the replayed ones nor the stale one left
    // out; asked until no letter arrives between the list and the count
    Waits.until(
        "the letters waiting are the ones not replayed",
        () -> {
          long notReplayed = 0;
          for (JsonNode item :
              api.get("/api/admin/dlt?limit=1000", admin.auth()).json().get("items")) {
            notReplayed += item.get("replayed").asBoolean() ? 0 : 1;
          }
          return api.metric("tinyscale_dead_letters_waiting") == notReplayed;
        });
    Res again = api.post("/api/admin/dlt/replay", null, admin.auth());
    assertThat(again.json().get("from").asLong())
        .as("a replay starts where the last one ended")
        .isEqualTo(replay.json().get("to").asLong());
    Waits.untilEquals(1, () -> dsl.fetchCount(CLICKS, CLICKS.EVENT_ID.eq(good.eventId())));
    assertThat(dsl.fetchCount(CLICKS, CLICKS.EVENT_ID.eq(stale.eventId())))
        .as("the stale letter was not replayed")
        .isZero();
    Waits.untilEquals(1, () -> hourlyTotal(urlId));
    assertThat(api.get("/metrics").body()).containsPattern("tinyscale_dlt_events_total [1-9]");
  }

  @Test
  void aClickOpenSearchRefusesIsDeadLetteredByTheIndexerAlone() throws Exception {
    // a month whose index was made by hand with a mapping that does not fit the clicks
    String month = "tinyscale-clicks-2099.01";
    if (!openSearch.call(c -> c.indices().exists(e -> e.index(month))).value()) {
      openSearch.call(
          c ->
              c.indices()
                  .create(
                      i ->
                          i.index(month)
                              .mappings(m -> m.properties("is_bot", p -> p.date(d -> d)))));
    }
    User admin = DevStackTestResource.newAdmin(api);
    String code = api.shorten(api.register(), "https://example.com/refused-by-opensearch");
    ClickEvent refused =
        new ClickEvent(
            UuidV7.next(),
            code,
            urlId(code),
            Instant.parse("2099-01-15T12:00:00Z"),
            null,
            CHROME,
            null);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(settings.kafka().bootstrap(), Duration.ofSeconds(30)),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(Topics.CLICKS, code, ClickEventJson.encode(refused)))
          .get();
    }
    String id = refused.eventId().toString();
    Waits.untilEquals("letters of the refused click", 1, () -> lettersWith(admin, id));
    JsonNode letter = null;
    for (JsonNode item : api.get("/api/admin/dlt?limit=1000", admin.auth()).json().get("items")) {
      letter = item.get("value").asText().contains(id) ? item : letter;
    }
    assertThat(letter.get("headers").get("x-consumer-group").asText())
        .isEqualTo(ConsumerGroup.INDEXER.groupId());
    assertThat(letter.get("headers").get("x-error-message").asText()).contains("is_bot");
    assertThat(letter.get("headers").get("x-attempts").asInt())
        .isEqualTo(settings.pipeline().maxAttempts());
    // the other groups stored and counted it as any click
    Waits.untilEquals(1, () -> dsl.fetchCount(CLICKS, CLICKS.EVENT_ID.eq(refused.eventId())));
  }

  @Test
  void aBrokerOutageFailsNoRedirectAndLosesNoClick() {
    Engine kafka = DevStackTestResource.engines.kafka();
    assumeTrue(
        kafka.restartable(),
        "the broker is not one devstack started, so it cannot be stopped here");
    User user = api.register();
    User admin = DevStackTestResource.newAdmin(api);
    String code = api.shorten(user, "https://example.com/outage");
    long urlId = urlId(code);
    double sendErrorsBefore = api.metric("tinyscale_clicks_send_errors_total");
    double droppedBefore = api.metric("tinyscale_clicks_dropped_total");
    int n = 400;
    int failed = 0;
    for (int i = 0; i < n; i++) {
      if (i == 100) {
        kafka.stop();
      }
      if (i == 300) {
        try {
          // past the delivery timeout the shipper's sends fail; the clicks wait in the journal
          Waits.until(
              "clicks waiting in the journal, Kafka reported degraded",
              () -> {
                JsonNode kafkaCheck = api.check("kafka", admin).get("data");
                return kafkaCheck.get("spoolBytes").asLong() > 0
                    && kafkaCheck.get("degraded").asBoolean();
              });
          assertThat(api.get("/health/ready").body())
              .as("anonymous callers see states, not details")
              .doesNotContain("spoolBytes")
              .contains("\"degraded\": true");
          // every consumer that cannot reach the broker for longer than the grace (1 s here) is
          // reported; each group's consumers notice on their own lag checks, seconds apart
          String rawWriterUp =
              "tinyscale_consumer_up{group=\"" + ConsumerGroup.RAW_WRITER.groupId() + "\"}";
          String aggregatorUp =
              "tinyscale_consumer_up{group=\"" + ConsumerGroup.AGGREGATOR.groupId() + "\"}";
          Waits.until(
              "the consumers of both groups reported down",
              () ->
                  api.check("consumers", admin).get("data").get("down").asInt() > 0
                      && api.metric(rawWriterUp) == 0
                      && api.metric(aggregatorUp) == 0,
              () -> api.check("consumers", admin).toString());
          assertThat(api.check("consumers").get("data").get("degraded").asBoolean())
              .as("in role all the process stays ready: its redirects still work")
              .isTrue();
        } finally {
          kafka.start(); // also when an assertion failed: the other tests need the broker
        }
      }
      if (api.get("/" + code, "User-Agent", CHROME).status() != 302) {
        failed++;
      }
    }
    assertThat(failed).as("redirects never wait for Kafka").isZero();
    Waits.untilEquals(n, () -> dsl.fetchCount(CLICKS, CLICKS.URL_ID.eq(urlId)));
    Waits.untilEquals(n, () -> hourlyTotal(urlId));
    Waits.until(
        "every consumer back",
        () ->
            api.check("consumers", admin).get("data").get("down").asInt() == 0
                && api.metric(
                        "tinyscale_consumer_up{group=\""
                            + ConsumerGroup.RAW_WRITER.groupId()
                            + "\"}")
                    == 1
                && api.metric(
                        "tinyscale_consumer_up{group=\""
                            + ConsumerGroup.AGGREGATOR.groupId()
                            + "\"}")
                    == 1);
    assertThat(api.metric("tinyscale_clicks_send_errors_total")).isGreaterThan(sendErrorsBefore);
    assertThat(api.metric("tinyscale_clicks_dropped_total")).isEqualTo(droppedBefore);
    Waits.until("the journal's backlog sent", () -> api.metric("tinyscale_spool_bytes") == 0);
  }

  @Test
  void pipelineHealthAndMetricsAreExposed() {
    Res ready = api.get("/health/ready");
    assertThat(ready.json().findValuesAsText("name")).contains("kafka");
    String metrics = api.get("/metrics").body();
    assertThat(metrics)
        .contains("tinyscale_clicks_produced_total")
        .contains("tinyscale_clicks_dropped_total")
        .contains("tinyscale_clicks_send_errors_total")
        .contains("tinyscale_spool_bytes")
        .containsPattern("tinyscale_spool_max_bytes [1-9]")
        .contains("tinyscale_clicks_journaled_total")
        // counters a dashboard's rate reads as 0 before their first event
        .contains("tinyscale_dlt_events_total")
        .contains("tinyscale_indexed_total")
        .contains("tinyscale_consumer_lag{group=\"" + ConsumerGroup.AGGREGATOR.groupId() + "\"}")
        .contains("tinyscale_consumer_lag{group=\"" + ConsumerGroup.RAW_WRITER.groupId() + "\"}")
        .contains("tinyscale_consumer_lag{group=\"" + ConsumerGroup.INDEXER.groupId() + "\"}");
  }

  /** Dead letters (of the last 1000) whose value contains {@code text}. */
  private long lettersWith(User admin, String text) {
    long n = 0;
    for (JsonNode item : api.get("/api/admin/dlt?limit=1000", admin.auth()).json().get("items")) {
      n += item.get("value").asText().contains(text) ? 1 : 0;
    }
    return n;
  }

  private long dltTotal(User admin) {
    return api.get("/api/admin/dlt?limit=1", admin.auth()).json().get("total").asLong();
  }

  private long urlId(String code) {
    return dsl.select(URLS.ID).from(URLS).where(URLS.SHORT_CODE.eq(code)).fetchOne(URLS.ID);
  }

  private long hourlyTotal(long urlId) {
    BigDecimal sum =
        dsl.select(DSL.sum(URL_STATS_HOURLY.COUNT))
            .from(URL_STATS_HOURLY)
            .where(URL_STATS_HOURLY.URL_ID.eq(urlId))
            .fetchOne(0, BigDecimal.class);
    return sum == null ? 0 : sum.longValue();
  }
}
