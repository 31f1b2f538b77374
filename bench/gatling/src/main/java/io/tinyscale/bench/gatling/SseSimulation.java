package io.tinyscale.bench.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario (d): live clients. Virtual users open {@code GET /api/stream/{code}} on one of a few
 * links of one account, ramping up to {@code load.sse.clients}, and each waits for clicks for
 * {@code load.sse.hold}: request "sse click" is the wait for the next {@code event: click}, a KO
 * when none came within {@code load.sse.eventTimeout} or another event (overflow, shutdown) did.
 * Meanwhile redirects of those links run at a constant rate, so every click fans out to the clients
 * watching its link. bench/load.sh reads how many streams the server holds from its {@code
 * tinyscale_sse_clients} gauge.
 */
public class SseSimulation extends Simulation {
  private final int clients = LoadSettings.integer("load.sse.clients", 2000);
  private final Duration ramp = LoadSettings.seconds("load.sse.ramp", 30);
  private final Duration hold = LoadSettings.seconds("load.sse.hold", 20);
  private final Duration eventTimeout = LoadSettings.seconds("load.sse.eventTimeout", 10);
  private final int watchedLinks = LoadSettings.integer("load.sse.links", 50);
  private final double redirectRate = LoadSettings.decimal("load.sse.redirectRate", 200);

  // filled by before(): the account's API keys and the links its streams watch. Opening a stream
  // is an API request, limited per key (TINYSCALE_API_RATE_LIMIT, 600 a minute): the streams take
  // the account's keys in turn, as many as it may have (TINYSCALE_MAX_KEYS, 20)
  private final List<String> apiKeys = new ArrayList<>();
  private final List<String> codes = new ArrayList<>();
  private final int keys = LoadSettings.integer("load.sse.keys", 20);
  private final AtomicInteger streams = new AtomicInteger();

  private final HttpProtocolBuilder protocol =
      Protocols.base()
          .userAgentHeader(
              "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");

  private String randomWatched() {
    return codes.get(ThreadLocalRandom.current().nextInt(codes.size()));
  }

  private final ScenarioBuilder watchers =
      scenario("sse clients")
          .exec(
              session ->
                  session
                      .set("code", randomWatched())
                      .set("apiKey", apiKeys.get(streams.getAndIncrement() % apiKeys.size())))
          .exec(
              sse("sse connect")
                  .get("/api/stream/#{code}")
                  .header("Authorization", "Bearer #{apiKey}")
                  .header("Accept", "text/event-stream")
                  .header("X-Forwarded-For", session -> LoadSettings.randomAddress()))
          // a stream that was refused is one KO, not a loop of failed waits
          .exitHereIfFailed()
          .during(hold)
          .on(
              exec(
                  sse("sse click")
                      .setCheck()
                      .await(eventTimeout)
                      .on(sse.checkMessage("sse click").check(jsonPath("$.event").is("click")))))
          .exec(sse("sse close").close());

  private final ScenarioBuilder clicks =
      scenario("redirects")
          .exec(
              http("redirect")
                  .get(session -> "/" + randomWatched())
                  .header("X-Forwarded-For", session -> LoadSettings.randomAddress())
                  .check(status().is(302)));

  public SseSimulation() {
    Duration total = ramp.plus(hold).plus(eventTimeout);
    setUp(
            watchers.injectOpen(rampUsers(clients).during(ramp)),
            clicks.injectOpen(constantUsersPerSec(redirectRate).during(total)))
        .protocols(protocol)
        // a stream whose answer never comes holds its user forever: Gatling's request timeout
        // does not apply to a stream
        .maxDuration(total.plusSeconds(60));
  }

  /** One account and its links, through the API, before the clock starts. */
  @Override
  public void before() {
    HttpClient client = HttpClient.newHttpClient();
    String user = "load-sse-" + Long.toString(System.currentTimeMillis(), 36);
    String registered =
        post(
            client,
            "/api/auth/register",
            null,
            "{\"email\":\"" + user + "@example.com\",\"password\":\"load-password-" + user + "\"}");
    String apiKey = field(registered, "apiKey");
    apiKeys.add(apiKey);
    for (int i = 1; i < keys; i++) {
      apiKeys.add(
          field(post(client, "/api/keys", apiKey, "{\"name\":\"load-" + i + "\"}"), "apiKey"));
    }
    for (int i = 0; i < watchedLinks; i++) {
      codes.add(
          field(
              post(
                  client,
                  "/api/shorten",
                  apiKey,
                  "{\"url\":\"https://example.com/live/" + user + "/" + i + "\"}"),
              "code"));
    }
    warmLiveFeed(client);
    // ends the warm-up's stream too
    client.shutdownNow();
  }

  /**
   * One stream and redirects of its link until a click arrives on it: the server builds its user
   * agent analyzer (yauaa, tens of seconds on a busy machine) for the first stream, and the live
   * feed positions itself on the topic; neither belongs in the measured part.
   */
  private void warmLiveFeed(HttpClient client) {
    String code = codes.getFirst();
    HttpRequest stream =
        HttpRequest.newBuilder(URI.create(LoadSettings.url() + "/api/stream/" + code))
            .header("Authorization", "Bearer " + apiKeys.getFirst())
            .header("Accept", "text/event-stream")
            .build();
    CompletableFuture<Boolean> clicked =
        client
            .sendAsync(stream, HttpResponse.BodyHandlers.ofLines())
            .thenApply(response -> response.body().anyMatch(line -> line.equals("event: click")));
    HttpRequest redirect =
        HttpRequest.newBuilder(URI.create(LoadSettings.url() + "/" + code))
            .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Firefox/133.0")
            .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    try {
      while (!clicked.isDone() && System.nanoTime() < deadline) {
        client.send(redirect, HttpResponse.BodyHandlers.discarding());
        Thread.sleep(500);
      }
      if (!clicked.isDone()) {
        throw new IllegalStateException("no click arrived on a live stream within 180 s");
      }
      System.out.println("the live feed delivered its first click; starting the clients");
    } catch (IOException e) {
      throw new IllegalStateException("warming the live feed failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      clicked.cancel(true);
    }
  }

  private static String post(HttpClient client, String path, String key, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(LoadSettings.url() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IllegalStateException(
            "POST " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("POST " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // the two answers' fields are plain strings; Gatling's classpath has Jackson, but a regex keeps
  // this class free of a library Gatling may drop
  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }
}
