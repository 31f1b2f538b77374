package io.tinyscale.bench;

import static io.tinyscale.bench.Bench.fail;
import static io.tinyscale.bench.Bench.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How soon a click shows: redirects of a fresh link, one at a time, each timed from the redirect's
 * answer until the link's histogram counts it (polled every 50 ms through the analytics API), and
 * until its event arrives on the link's live stream ({@code GET /api/stream/{code}}, SSE), matched
 * by the event id the redirect names in {@code X-TinyScale-Event-Id} (the app runs with
 * TINYSCALE_EXPOSE_EVENT_ID=true). Each redirect waits for the previous one to be counted, so every
 * click is alone in its batch: the indexer's batch window runs its full length for it, as it does
 * for a link clicked now and then. Then a random 100–1,100 ms more: the previous click became
 * visible at one of OpenSearch's refreshes, once a second, and a wait shorter than that second
 * would tie every redirect to the same point of the refresh cycle, and the latencies to a few
 * values.
 */
final class Freshness {
  private static final String BROWSER =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
          + " Safari/537.36";
  private static final String EVENT_ID = "X-TinyScale-Event-Id";
  private static final long POLL_MILLIS = 50;
  private static final Pattern BATCH_SECONDS =
      Pattern.compile(
          "^tinyscale_batch_seconds_(sum|count)\\{[^}]*group=\"tinyscale-indexer\"[^}]*} (\\S+)$",
          Pattern.MULTILINE);

  private final JsonHttp api;
  private final String code;
  private final String histogram;
  private final Duration timeout;
  private long visible;

  private Freshness(JsonHttp api, String code, Duration timeout) {
    this.api = api;
    this.code = code;
    this.timeout = timeout;
    Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
    this.histogram =
        "/api/analytics/"
            + code
            + "?interval=hour&from="
            + now.minus(Duration.ofHours(1))
            + "&to="
            + now.plus(Duration.ofHours(4));
  }

  static void run(Bench.Args args, String apiKey) throws Exception {
    String label = args.get("label");
    int redirects = args.getInt("redirects", 100);
    int warmup = args.getInt("warmup", 2);
    JsonHttp api = new JsonHttp(args.get("app"), apiKey);
    String url = "https://example.com/fresh/" + label + "/" + System.currentTimeMillis();
    String code =
        JsonHttp.expect(api.post("/api/shorten", Map.of("url", url)), "POST /api/shorten", 201)
            .get("code")
            .asText();
    Freshness fresh = new Freshness(api, code, Duration.ofSeconds(args.getInt("timeout", 60)));

    // the consumers may still be joining their group: the first clicks wait for that
    log("freshness %s: link /%s; %d warm-up redirects", label, code, warmup);
    for (int i = 0; i < warmup; i++) {
      fresh.redirect();
      fresh.awaitCounted(Duration.ofSeconds(180));
    }
    Sse sse = Sse.open(api, code);
    double[] batchBefore = fresh.batchSeconds();
    SplittableRandom random = new SplittableRandom(7);
    List<Double> analytics = new ArrayList<>();
    List<Double> live = new ArrayList<>();
    int missing = 0;
    log("freshness %s: %d redirects, one at a time", label, redirects);
    for (int i = 0; i < redirects; i++) {
      Thread.sleep(100 + random.nextInt(1000)); // over a whole refresh interval
      Redirect r = fresh.redirect();
      long counted = fresh.awaitCounted(fresh.timeout);
      analytics.add((counted - r.answeredAt()) / 1e6);
      if (sse.listening()) {
        Long arrived = sse.arrival(r.eventId(), Duration.ofSeconds(10));
        if (arrived == null) {
          missing++;
        } else {
          live.add((arrived - r.answeredAt()) / 1e6);
        }
      }
      if ((i + 1) % 10 == 0) {
        log(
            "freshness %s: %d of %d redirects; in the histogram after p50 %.0f ms%s",
            label,
            i + 1,
            redirects,
            Latencies.of(analytics).percentile(50),
            live.isEmpty()
                ? ""
                : String.format(
                    ", on the stream after p50 %.0f ms", Latencies.of(live).percentile(50)));
      }
    }
    double[] batchAfter = fresh.batchSeconds();
    double batches = batchAfter[1] - batchBefore[1];
    System.out.printf(
        Locale.ROOT,
        "RESULT name=analytics label=%s %s batches=%.0f batch_write_ms=%.1f%n",
        label,
        Latencies.of(analytics).fields(),
        batches,
        batches > 0 ? 1000 * (batchAfter[0] - batchBefore[0]) / batches : Double.NaN);
    if (sse.listening()) {
      System.out.printf(
          "RESULT name=sse label=%s %s missing=%d%n", label, Latencies.of(live).fields(), missing);
    } else {
      System.out.printf("RESULT name=sse label=%s absent=%s%n", label, sse.absent());
    }
  }

  private record Redirect(long answeredAt, String eventId) {}

  /** One click of the link, as a browser makes it (a person, not a bot: analytics count it). */
  private Redirect redirect() {
    JsonHttp.Answer answer =
        api.send(
            api.request("/" + code)
                .header("User-Agent", BROWSER)
                .header("Accept", "text/html")
                .GET()
                .build());
    long answeredAt = System.nanoTime();
    if (answer.status() != 302) {
      fail("GET /" + code + " answered " + answer.status() + ", expected 302");
    }
    return new Redirect(answeredAt, answer.headers().firstValue(EVENT_ID).orElse(null));
  }

  /** Polls the histogram until it counts one click more; when the answer that did arrived. */
  private long awaitCounted(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      JsonNode answer = JsonHttp.expect(api.get(histogram), "GET " + histogram, 200);
      long seen = System.nanoTime();
      if (!"opensearch".equals(answer.get("source").asText())) {
        fail("the histogram came from " + answer.get("source") + ": OpenSearch is unreachable");
      }
      long count = 0;
      for (JsonNode bucket : answer.get("buckets")) {
        count += bucket.get("count").asLong();
      }
      if (count > visible + 1) {
        fail("/" + code + " counts " + count + " clicks, expected " + (visible + 1));
      }
      if (count == visible + 1) {
        visible = count;
        return seen;
      }
      if (seen > deadline) {
        fail(
            "click "
                + (visible + 1)
                + " of /"
                + code
                + " was not in the histogram after "
                + limit.toSeconds()
                + " s: is the search indexer running (see the app's log)?");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * The indexer's {@code tinyscale_batch_seconds} sum and count from the app's metrics: how long
   * its writes took (bulk request and commit), NaN where the app does not say.
   */
  private double[] batchSeconds() {
    String metrics = api.get("/metrics").body();
    double[] sumAndCount = {Double.NaN, Double.NaN};
    Matcher m = BATCH_SECONDS.matcher(metrics);
    while (m.find()) {
      sumAndCount[m.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(m.group(2));
    }
    return sumAndCount;
  }

  /**
   * The link's live stream, read on a thread of its own: when each click's event arrived. Absent
   * (with the reason) when the app has no such endpoint or the stream does not get ready.
   */
  private static final class Sse {
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile String absent;

    static Sse open(JsonHttp api, String code) throws InterruptedException {
      Sse sse = new Sse();
      String path = "/api/stream/" + code;
      HttpRequest request = api.request(path).header("Accept", "text/event-stream").GET().build();
      HttpResponse<Stream<String>> response;
      try {
        response = JsonHttp.CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
      } catch (java.io.IOException e) {
        sse.absent = "error";
        log("SSE: GET %s failed (%s): not measured", path, e);
        return sse;
      }
      if (response.statusCode() != 200) {
        response.body().close();
        sse.absent = "http-" + response.statusCode();
        log(
            "SSE: GET %s answered %d%s: not measured",
            path,
            response.statusCode(),
            response.statusCode() == 404 || response.statusCode() == 405
                ? " (this build of the app has no live stream)"
                : "");
        return sse;
      }
      Thread.ofPlatform().daemon().name("sse-reader").start(() -> sse.read(response.body()));
      if (!sse.ready.await(10, TimeUnit.SECONDS)) {
        sse.absent = "not-ready";
        log("SSE: GET %s sent no ': ready' within 10 s: not measured", path);
      } else {
        log("SSE: GET %s is ready", path);
      }
      return sse;
    }

    boolean listening() {
      return absent == null;
    }

    String absent() {
      return absent;
    }

    /** When the event {@code id} arrived (System.nanoTime), waiting for it up to {@code limit}. */
    Long arrival(String id, Duration limit) throws InterruptedException {
      if (id == null) {
        fail("the redirect named no event id: run the app with TINYSCALE_EXPOSE_EVENT_ID=true");
      }
      long deadline = System.nanoTime() + limit.toNanos();
      while (!arrivals.containsKey(id) && System.nanoTime() < deadline && listening()) {
        Thread.sleep(5);
      }
      return arrivals.get(id);
    }

    /**
     * The SSE format of DESIGN.md: comments, {@code event:}, {@code id:}, a blank line ends one.
     */
    private void read(Stream<String> lines) {
      String[] event = {null, null}; // type, id
      try {
        lines.forEach(
            line -> {
              long now = System.nanoTime();
              if (line.isEmpty()) {
                if ("click".equals(event[0]) && event[1] != null) {
                  arrivals.putIfAbsent(event[1], now);
                } else if (event[0] != null && !"click".equals(event[0])) {
                  log("SSE: event %s", event[0]);
                }
                event[0] = null;
                event[1] = null;
              } else if (line.startsWith(":")) {
                if (line.substring(1).strip().equals("ready")) {
                  ready.countDown();
                }
              } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                if (field.equals("event")) {
                  event[0] = value;
                } else if (field.equals("id")) {
                  event[1] = value;
                }
              }
            });
        log("SSE: the stream ended");
      } catch (RuntimeException e) {
        log("SSE: reading the stream failed: %s", e);
      }
      if (absent == null) {
        absent = "closed";
      }
    }
  }
}
