package io.tinyscale.bench;

import static io.tinyscale.bench.Bench.admin;
import static io.tinyscale.bench.Bench.connect;
import static io.tinyscale.bench.Bench.env;
import static io.tinyscale.bench.Bench.fail;
import static io.tinyscale.bench.Bench.log;
import static io.tinyscale.bench.ClickBacklog.TOPIC;
import static io.tinyscale.storage.jooq.Tables.URLS;
import static io.tinyscale.storage.jooq.Tables.USERS;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyscale.core.clickstream.ConsumerGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The Java half of {@code bench/analytics.sh} ({@code ./tinyscale bench analytics}): the steps a
 * shell cannot do. Each command is one step; the script runs them in order and starts and stops the
 * app in between.
 *
 * <pre>
 * prepare   --partitions P            schema, topic clicks anew, the indexer's group deleted, the
 *                                     click tables emptied, the bench's OpenSearch indices deleted,
 *                                     the bench's user (its links and keys) deleted
 * links     --app URL --links L --key-file F
 *                                     registers the bench's user through the app's API (its API key
 *                                     into F) and writes L links it owns
 * produce   --events N --links L --seed S --days D
 *                                     N synthetic click events on topic clicks, over the D days
 *                                     before the current hour; RESULT from=… to=…
 * watch     --pid PID [--broker-pid B] [--search-pid S] [--stall-seconds T]
 *                                     times the search indexer from its first commit until it has
 *                                     caught up with the topic, then checks the index's count
 * queries   --app URL --key-file F --from T --to T --events N --links L [--requests R] [--warmup W]
 *                                     p50/p95 of a link's histogram and top countries and of the
 *                                     account's overview, through the app's API
 * freshness --app URL --key-file F --label L [--redirects R] [--warmup W]
 *                                     redirect → visible in the histogram, and in the SSE stream
 * </pre>
 *
 * Connections come from the app's variables: {@code TINYSCALE_DB_*}, {@code
 * TINYSCALE_KAFKA_BOOTSTRAP}, {@code TINYSCALE_OPENSEARCH_URL}. Progress goes to stderr; measuring
 * commands print {@code RESULT name=… key=value …} lines on stdout. Exit status 1, with a sentence,
 * when a step fails or a check does not hold.
 */
public final class AnalyticsBench {
  static final String INDEXER_GROUP = ConsumerGroup.INDEXER.groupId();
  static final String USER_EMAIL = "analytics-bench@example.com";
  static final String PASSWORD = "analytics-bench-password";
  static final String CODE_PREFIX = "an";

  /** The index the analytics API reads (the app's ClickIndex.ALIAS) and the app's indices. */
  static final String CLICKS = "tinyscale-clicks";

  private static final String INDICES = "tinyscale-clicks-*,tinyscale-links*";

  private final Bench.Args args;

  private AnalyticsBench(Bench.Args args) {
    this.args = args;
  }

  public static void main(String[] argv) {
    Bench.Args args =
        Bench.Args.parse(
            argv,
            "AnalyticsBench prepare|links|produce|watch|queries|freshness [--option value ...]");
    AnalyticsBench bench = new AnalyticsBench(args);
    Map<String, Bench.Step> steps = new LinkedHashMap<>();
    steps.put("prepare", bench::prepare);
    steps.put("links", bench::links);
    steps.put("produce", bench::produce);
    steps.put("watch", bench::watch);
    steps.put("queries", bench::queries);
    steps.put("freshness", () -> Freshness.run(args, bench.apiKey()));
    Bench.run(args, steps);
  }

  // ---------------------------------------------------------------------------------------------

  private void prepare() throws Exception {
    Bench.migrate();
    ClickBacklog.recreateTopics(args.getInt("partitions", 6), List.of(INDEXER_GROUP));
    try (Connection connection = connect()) {
      DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
      ClickBacklog.emptyClickTables(db);
      Long user =
          db.select(USERS.ID).from(USERS).where(USERS.EMAIL.eq(USER_EMAIL)).fetchOne(USERS.ID);
      int links = 0;
      if (user != null) {
        links = db.deleteFrom(URLS).where(URLS.USER_ID.eq(user)).execute();
        db.deleteFrom(USERS).where(USERS.ID.eq(user)).execute(); // and its API keys (cascade)
      }
      log(
          "database: clicks, url_stats_hourly, aggregated_events and consumer_offsets emptied; %s",
          user == null
              ? "no user " + USER_EMAIL
              : "user " + USER_EMAIL + " and its " + links + " links deleted");
    }
    JsonHttp search = openSearch();
    List<String> deleted = new ArrayList<>();
    JsonNode indices =
        JsonHttp.expect(
            search.get("/_cat/indices/" + INDICES + "?format=json&h=index&expand_wildcards=all"),
            "GET /_cat/indices of the OpenSearch node",
            200);
    for (JsonNode index : indices) {
      String name = index.get("index").asText();
      JsonHttp.expect(search.delete("/" + name), "DELETE /" + name, 200);
      deleted.add(name);
    }
    log(
        "opensearch %s: %s",
        env("TINYSCALE_OPENSEARCH_URL"),
        deleted.isEmpty() ? "no TinyScale indices" : "deleted " + String.join(", ", deleted));
  }

  /**
   * The bench's user, registered through the API as a person would (so that it has an API key), and
   * its links, written directly: 10,000 through POST /api/shorten would measure the API.
   */
  private void links() throws Exception {
    int links = args.getInt("links", 10_000);
    Path keyFile = Path.of(args.get("key-file"));
    JsonHttp api = new JsonHttp(args.get("app"), null);
    JsonNode account =
        JsonHttp.expect(
            api.post("/api/auth/register", Map.of("email", USER_EMAIL, "password", PASSWORD)),
            "POST /api/auth/register",
            201);
    long user = account.get("id").asLong();
    Files.deleteIfExists(keyFile);
    Files.createFile(
        keyFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, account.get("apiKey").asText());
    try (Connection connection = connect()) {
      DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
      int added =
          ClickBacklog.insertLinks(db, CODE_PREFIX, "https://example.com/analytics/", links, user);
      if (added != links) {
        fail("wrote " + added + " of " + links + " links: codes " + CODE_PREFIX + "… are taken");
      }
    }
    log(
        "data: user %s registered through the API (id %d, API key in %s); %,d links %s00001..%s%05d",
        USER_EMAIL, user, keyFile, links, CODE_PREFIX, CODE_PREFIX, links);
  }

  /**
   * Events over the {@code days} days before the current hour, so that an hourly histogram of that
   * range has whole buckets, every one with clicks. Their times end 2 s before the hour: the
   * generator adds up to 2 s of jitter.
   */
  private void produce() throws Exception {
    int links = args.getInt("links", 10_000);
    Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant from = to.minus(Duration.ofDays(args.getInt("days", 30)));
    List<SyntheticClicks.Link> clicked;
    try (Connection connection = connect()) {
      clicked = ClickBacklog.links(DSL.using(connection, SQLDialect.POSTGRES), CODE_PREFIX, links);
    }
    ClickBacklog.produce(
        clicked,
        args.getLong("seed", 42),
        from,
        to.minusSeconds(2),
        args.getLong("events", 1_000_000));
    System.out.printf("RESULT name=produce from=%s to=%s%n", from, to);
  }

  private void watch() throws Exception {
    long pid = args.getLong("pid", 0);
    Machine.Watched watched =
        new Machine.Watched(
            pid, args.getLong("broker-pid", 0), Bench.database(), args.getLong("search-pid", 0));
    try (Admin admin = admin()) {
      long total = ClickBacklog.endOffsets(admin, TOPIC);
      ClickBacklog.Timed timed =
          ClickBacklog.watch(
              "indexer",
              () -> ClickBacklog.committedOffsets(admin, INDEXER_GROUP),
              total,
              pid,
              watched,
              args.getInt("stall-seconds", 120),
              null);
      ClickBacklog.requireNoDeadLetters(admin);
      JsonHttp search = openSearch();
      JsonHttp.expect(search.post("/" + CLICKS + "/_refresh", ""), "POST _refresh", 200);
      long documents =
          JsonHttp.expect(search.get("/" + CLICKS + "/_count"), "GET _count", 200)
              .get("count")
              .asLong();
      if (documents != total) {
        fail(CLICKS + " holds " + documents + " documents, expected " + total);
      }
      Map<String, Long> months = new LinkedHashMap<>();
      for (JsonNode index :
          JsonHttp.expect(
              search.get("/_cat/indices/" + CLICKS + "-*?format=json&h=index,docs.count&s=index"),
              "GET /_cat/indices",
              200)) {
        months.put(index.get("index").asText(), index.get("docs.count").asLong());
      }
      log(
          "check: %s holds %,d documents = events on the topic (%s)",
          CLICKS, documents, months.toString().replaceAll("[{}]", ""));
      timed.print();
    }
  }

  /** One of the timed API requests. */
  private record Query(String name, String path) {}

  /**
   * The three analytics queries, each timed twice per round: first after the OpenSearch request
   * cache was cleared (the aggregation computed: a range not asked before, or an index that changed
   * since, as a live index does every second), then the same request again (served by that cache
   * while nothing was indexed meanwhile). One client, one request at a time.
   */
  private void queries() throws Exception {
    JsonHttp api = new JsonHttp(args.get("app"), apiKey());
    JsonHttp search = openSearch();
    String range = "from=" + args.get("from") + "&to=" + args.get("to");
    long events = args.getLong("events", 1_000_000);
    int links = args.getInt("links", 10_000);
    int requests = args.getInt("requests", 200);
    int warmup = args.getInt("warmup", 20);
    String code = CODE_PREFIX + "00001"; // the most clicked link
    List<Query> queries =
        List.of(
            new Query("histogram", "/api/analytics/" + code + "?interval=hour&" + range),
            new Query("countries", "/api/analytics/" + code + "/countries?" + range),
            new Query("overview", "/api/analytics?" + range));

    // what they answer: the data the figures are about
    JsonNode histogram = answer(api, queries.get(0));
    long buckets = histogram.get("buckets").size();
    long withData = 0;
    long linkClicks = 0;
    for (JsonNode bucket : histogram.get("buckets")) {
      linkClicks += bucket.get("count").asLong();
      withData += bucket.get("count").asLong() > 0 ? 1 : 0;
    }
    JsonNode countries = answer(api, queries.get(1));
    JsonNode overview = answer(api, queries.get(2));
    if (!"opensearch".equals(histogram.get("source").asText())
        || !"opensearch".equals(overview.get("source").asText())) {
      fail("the app answered from Postgres, not OpenSearch: is the node reachable from the app?");
    }
    if (overview.get("links").asInt() != links) {
      fail("the overview counts " + overview.get("links") + " links, expected " + links);
    }
    // what the overview should say, counted by OpenSearch itself (all clicks are in the range)
    long bots =
        JsonHttp.expect(
                search.get("/" + CLICKS + "/_count?q=is_bot:true"), "GET _count?q=is_bot:true", 200)
            .get("count")
            .asLong();
    long humans = overview.get("humanClicks").asLong();
    long total = overview.get("totalClicks").asLong();
    String data =
        "code=%s link_clicks=%d buckets=%d buckets_with_data=%d account_links=%d account_clicks=%d"
                .formatted(code, linkClicks, buckets, withData, links, total)
            + " account_humans=%d expected_clicks=%d expected_humans=%d"
                .formatted(humans, events, events - bots);
    log(
        "queries: what they answer: %s, top country %s",
        data, countries.get("items").path(0).path("key").asText("none"));
    if (total != events || humans != events - bots) {
      log(
          "queries: warning: the overview's totals are wrong (%,d clicks, %,d by people; OpenSearch"
              + " holds %,d clicks of the account, %,d by people)",
          total, humans, events, events - bots);
    }
    System.out.println("RESULT name=data " + data);

    log("queries: %d warm-up requests of each", warmup);
    for (int i = 0; i < warmup; i++) {
      for (Query q : queries) {
        answer(api, q);
      }
    }
    JsonNode cacheBefore = requestCache(search);
    Map<String, List<Double>> cleared = new LinkedHashMap<>();
    Map<String, List<Double>> repeated = new LinkedHashMap<>();
    long reported = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      for (Query q : queries) {
        JsonHttp.expect(
            search.post("/" + CLICKS + "/_cache/clear?request=true", ""), "POST _cache/clear", 200);
        cleared.computeIfAbsent(q.name(), n -> new ArrayList<>()).add(timed(api, q));
        repeated.computeIfAbsent(q.name(), n -> new ArrayList<>()).add(timed(api, q));
      }
      if (System.nanoTime() - reported > 10_000_000_000L) {
        reported = System.nanoTime();
        log("queries: %d of %d rounds", i + 1, requests);
      }
    }
    JsonNode cacheAfter = requestCache(search);
    log(
        "queries: OpenSearch request cache over the timed rounds: %d hits, %d misses",
        cacheAfter.get("hit_count").asLong() - cacheBefore.get("hit_count").asLong(),
        cacheAfter.get("miss_count").asLong() - cacheBefore.get("miss_count").asLong());
    for (Query q : queries) {
      System.out.printf(
          "RESULT name=%s cache=cleared %s%n",
          q.name(), Latencies.of(cleared.get(q.name())).fields());
      System.out.printf(
          "RESULT name=%s cache=repeated %s%n",
          q.name(), Latencies.of(repeated.get(q.name())).fields());
    }
  }

  private static JsonNode answer(JsonHttp api, Query q) {
    return JsonHttp.expect(api.get(q.path()), "GET " + q.path(), 200);
  }

  private static double timed(JsonHttp api, Query q) {
    JsonHttp.Answer answer = api.get(q.path());
    JsonHttp.expect(answer, "GET " + q.path(), 200);
    return answer.millis();
  }

  private static JsonNode requestCache(JsonHttp search) {
    return JsonHttp.expect(
            search.get("/" + CLICKS + "/_stats/request_cache"), "GET _stats/request_cache", 200)
        .at("/_all/total/request_cache");
  }

  // ---------------------------------------------------------------------------------------------

  private String apiKey() throws Exception {
    Path file = Path.of(args.get("key-file"));
    if (!Files.isReadable(file)) {
      fail("no API key in " + file + ": run the links step first");
    }
    return Files.readString(file).strip();
  }

  private static JsonHttp openSearch() {
    return new JsonHttp(env("TINYSCALE_OPENSEARCH_URL"), null);
  }
}
