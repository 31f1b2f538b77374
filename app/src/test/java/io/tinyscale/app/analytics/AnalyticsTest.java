package io.tinyscale.app.analytics;

import static io.tinyscale.storage.jooq.Tables.URLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.app.DevStackTestResource;
import io.tinyscale.app.platform.OpenSearch;
import io.tinyscale.devstack.Engine;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Waits;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.FieldValue;

/**
 * The analytics API over clicks the real pipeline indexed in a real OpenSearch node: redirects with
 * chosen user agents, referrers and client addresses (through the trusted proxy header), then the
 * histogram and the breakdowns count exactly those.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class AnalyticsTest {
  static final String FIREFOX =
      "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
  static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
  static final String CHROME =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0.0.0 Safari/537.36";
  static final String CURL = "curl/8.5.0";

  /** A visitor: user agent, client address (its country), referrer (null: direct). */
  record Visit(String userAgent, String ip, String referrer) {}

  /** 6 people (3 Firefox/US/HN, 2 iPhone/GB/t.co, 1 Chrome/NL/direct) and 2 bots. */
  static final List<Visit> VISITS =
      List.of(
          new Visit(FIREFOX, "8.8.8.8", "https://news.ycombinator.com/item?id=1"),
          new Visit(FIREFOX, "8.8.8.8", "https://news.ycombinator.com/item?id=2"),
          new Visit(FIREFOX, "8.8.4.4", "https://news.ycombinator.com/"),
          new Visit(IPHONE, "81.2.69.142", "https://t.co/abc"),
          new Visit(IPHONE, "81.2.69.142", "https://t.co/def"),
          new Visit(CHROME, "193.0.6.139", null),
          new Visit(CURL, "8.8.8.8", null),
          new Visit(CURL, "193.0.6.139", "https://t.co/bot"));

  static final int HUMANS = 6;
  static final int BOTS = 2;

  @TestHTTPResource("/")
  URL root;

  @Inject OpenSearch openSearch;

  @Inject DSLContext dsl;

  private Api api;
  private User user;

  @BeforeEach
  void aUser() {
    api = new Api(root.toString());
    user = api.register();
  }

  private void visit(String code) {
    for (Visit v : VISITS) {
      List<String> headers = new java.util.ArrayList<>(List.of("User-Agent", v.userAgent()));
      headers.addAll(List.of("X-Forwarded-For", v.ip()));
      if (v.referrer() != null) {
        headers.addAll(List.of("Referer", v.referrer()));
      }
      assertThat(api.get("/" + code, headers.toArray(String[]::new)).status()).isEqualTo(302);
    }
  }

  private JsonNode get(String path) {
    Api.Res res = api.get(path, user.auth());
    assertThat(res.status()).as(path + " → " + res.body()).isEqualTo(200);
    return res.json();
  }

  private static long sum(JsonNode histogram) {
    long n = 0;
    for (JsonNode b : histogram.get("buckets")) {
      n += b.get("count").asLong();
    }
    return n;
  }

  private static Map<String, Long> items(JsonNode breakdown) {
    Map<String, Long> items = new LinkedHashMap<>();
    breakdown.get("items").forEach(i -> items.put(i.get("key").asText(), i.get("count").asLong()));
    return items;
  }

  @Test
  void histogramsAndBreakdownsCountExactlyTheClicksSent() {
    String code = api.shorten(user, "https://example.com/analytics/" + UUID.randomUUID());
    visit(code);
    String base = "/api/analytics/" + code;
    Waits.untilEquals(
        "people in the hourly histogram", HUMANS, () -> sum(get(base + "?interval=hour")));

    JsonNode hourly = get(base + "?interval=hour");
    assertThat(hourly.get("source").asText()).isEqualTo("opensearch");
    assertThat(hourly.get("interval").asText()).isEqualTo("hour");
    // the last 24 hours: 24 whole hours, or 25 when the range starts within an hour
    assertThat(hourly.get("buckets").size()).isBetween(24, 25);
    assertThat(sum(get(base + "?interval=hour&includeBots=true"))).isEqualTo(HUMANS + BOTS);
    assertThat(sum(get(base + "?interval=minute"))).isEqualTo(HUMANS);

    assertThat(items(get(base + "/countries")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("US", 3L, "GB", 2L, "NL", 1L));
    assertThat(items(get(base + "/referrers")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("news.ycombinator.com", 3L, "t.co", 2L, "direct", 1L));
    assertThat(items(get(base + "/browsers")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("Firefox", 3L, "Safari", 2L, "Chrome", 1L));
    assertThat(items(get(base + "/os")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("Ubuntu", 3L, "iOS", 2L, "Windows NT", 1L));
    assertThat(items(get(base + "/devices")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("Desktop", 4L, "Phone", 2L));
    assertThat(items(get(base + "/devices?includeBots=true")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("Desktop", 4L, "Phone", 2L, "Robot", 2L));

    JsonNode top = get(base + "/countries?limit=1");
    assertThat(items(top)).containsExactly(Map.entry("US", 3L));
    assertThat(top.get("other").asLong()).isEqualTo(3);

    assertThat(api.metric("tinyscale_indexed_total")).isGreaterThanOrEqualTo(VISITS.size());

    JsonNode overview = get("/api/analytics");
    assertThat(overview.get("humanClicks").asLong()).isEqualTo(HUMANS);
    assertThat(overview.get("botClicks").asLong()).isEqualTo(BOTS);
    assertThat(overview.get("links").asInt()).isEqualTo(1);
    assertThat(overview.get("topLinks").get(0).get("code").asText()).isEqualTo(code);
    assertThat(overview.get("topLinks").get(0).get("clicks").asLong()).isEqualTo(HUMANS);
  }

  @Test
  void anOpenSearchOutageDegradesAnalyticsAndLosesNoDocument() {
    Engine node = DevStackTestResource.engines.opensearch();
    assumeTrue(node.restartable(), "OpenSearch is not one devstack started: it cannot be stopped");
    String code = api.shorten(user, "https://example.com/outage/" + UUID.randomUUID());
    String base = "/api/analytics/" + code;
    int before = 20;
    int during = 30;
    for (int i = 0; i < before; i++) {
      api.get("/" + code, "User-Agent", CHROME, "X-Forwarded-For", "8.8.8.8");
    }
    Waits.untilEquals("indexed before the outage", before, () -> sum(get(base)));
    node.stop();
    try {
      for (int i = 0; i < during; i++) {
        assertThat(api.get("/" + code, "User-Agent", CHROME).status()).isEqualTo(302);
      }
      // whole hours come from the hourly rollups, which keep counting
      Waits.untilEquals(
          "hours counted from Postgres", before + during, () -> sum(get(base + "?interval=hour")));
      assertThat(get(base + "?interval=day&tz=Europe/Paris").get("source").asText())
          .isEqualTo("postgres");
      assertThat(get("/api/analytics").get("source").asText()).isEqualTo("postgres");
      assertThat(get("/api/analytics").get("humanClicks").asLong()).isEqualTo(before + during);
      for (String path :
          List.of(
              base + "?interval=minute",
              base + "?interval=day&tz=Asia/Kolkata",
              base + "/countries",
              "/api/search?q=outage")) {
        Api.Res res = api.get(path, user.auth());
        assertThat(res.status()).as(path).isEqualTo(503);
        assertThat(res.header("Retry-After")).as(path).isNotNull();
        assertThat(res.json().get("type").asText())
            .isEqualTo("urn:tinyscale:problem:dependency-unavailable");
      }
      assertThat(api.get("/health/ready").body())
          .containsPattern("\"name\"\\s*:\\s*\"opensearch\"");
    } finally {
      node.start();
    }
    // back: the indexer catches up from Kafka, each click once
    Waits.untilEquals(
        "indexed after the outage",
        before + during,
        () -> {
          JsonNode h = get(base);
          return "opensearch".equals(h.get("source").asText()) ? sum(h) : -1;
        });
    long urlId = dsl.select(URLS.ID).from(URLS).where(URLS.SHORT_CODE.eq(code)).fetchOne(URLS.ID);
    Waits.untilEquals(
        "documents of the link",
        before + during,
        () ->
            openSearch
                .call(
                    c ->
                        c.count(
                            r ->
                                r.index(ClickIndex.ALIAS)
                                    .query(
                                        q ->
                                            q.term(
                                                t ->
                                                    t.field("url_id")
                                                        .value(FieldValue.of(urlId))))))
                .count());
  }

  @Test
  void aDayHistogramInNewYorkStartsAtLocalMidnight() {
    String code = api.shorten(user, "https://example.com/tz");
    Instant to = Instant.now();
    String range = "&from=" + to.minus(7, ChronoUnit.DAYS) + "&to=" + to + "&tz=America/New_York";
    JsonNode days = get("/api/analytics/" + code + "?interval=day" + range);
    assertThat(days.get("timeZone").asText()).isEqualTo("America/New_York");
    assertThat(days.get("buckets").size()).isEqualTo(8); // 7 days reach into an eighth
    for (JsonNode b : days.get("buckets")) {
      assertThat(b.get("start").asText()).matches("\\d{4}-\\d\\d-\\d\\dT00:00(:00)?-0[45]:00");
      assertThat(b.get("count").asLong()).isZero();
    }
    JsonNode weeks = get("/api/analytics/" + code + "?interval=week" + range);
    for (JsonNode b : weeks.get("buckets")) {
      assertThat(java.time.OffsetDateTime.parse(b.get("start").asText()).getDayOfWeek())
          .isEqualTo(java.time.DayOfWeek.MONDAY);
    }
  }

  @Test
  void badParametersAndOtherAccountsLinksAreRefused() {
    String code = api.shorten(user, "https://example.com/refused");
    String base = "/api/analytics/" + code;
    Instant now = Instant.now();
    String thirtyDays = "&from=" + now.minus(30, ChronoUnit.DAYS) + "&to=" + now;
    Api.Res tooMany = api.get(base + "?interval=minute" + thirtyDays, user.auth());
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.body()).contains("2000 buckets");
    assertThat(api.get(base + "?tz=Mars/Olympus", user.auth()).status()).isEqualTo(400);
    assertThat(api.get(base + "?interval=fortnight", user.auth()).status()).isEqualTo(400);
    assertThat(api.get(base + "?from=yesterday", user.auth()).status()).isEqualTo(400);
    assertThat(api.get(base + "?from=" + now + "&to=" + now, user.auth()).status()).isEqualTo(400);
    assertThat(api.get(base + "/planets", user.auth()).status()).isEqualTo(404);
    User other = api.register();
    assertThat(api.get(base, other.auth()).status()).isEqualTo(404);
    assertThat(api.get(base + "/countries", other.auth()).status()).isEqualTo(404);
  }

  @Test
  void searchFindsALinkByAWordOfItsUrlAndNotAnotherUsersLink() {
    String word = "zebra" + UUID.randomUUID().toString().substring(0, 8);
    String mine = api.shorten(user, "https://docs.example.org/guides/" + word + "-handbook");
    User other = api.register();
    String theirs = api.shorten(other, "https://docs.example.org/" + word);
    String q = URLEncoder.encode(word, StandardCharsets.UTF_8);
    Waits.untilEquals("search hits", 1, () -> get("/api/search?q=" + q).get("total").asLong());
    JsonNode found = get("/api/search?q=" + q);
    assertThat(found.get("items").size()).isEqualTo(1);
    JsonNode hit = found.get("items").get(0);
    assertThat(hit.get("code").asText()).isEqualTo(mine).isNotEqualTo(theirs);
    assertThat(hit.get("status").asText()).isEqualTo("active");
    assertThat(hit.get("clicks").asLong()).isZero();
    // as the user types: the start of a word, and the code itself
    String prefix = URLEncoder.encode(word.substring(0, 7), StandardCharsets.UTF_8);
    assertThat(get("/api/search?q=" + prefix).get("items").findValuesAsText("code")).contains(mine);
    assertThat(get("/api/search?q=" + mine).get("items").get(0).get("code").asText())
        .isEqualTo(mine);
    // a deleted link leaves the results
    assertThat(api.delete("/api/links/" + mine, user.auth()).status()).isEqualTo(204);
    Waits.untilEquals(
        "search hits after the delete", 0, () -> get("/api/search?q=" + q).get("total").asLong());
    assertThat(api.get("/api/search?q=", user.auth()).status()).isEqualTo(400);
  }
}
