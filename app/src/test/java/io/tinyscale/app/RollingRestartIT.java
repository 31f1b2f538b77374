package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Nginx;
import io.tinyscale.testkit.Replicas;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Traffic;
import io.tinyscale.testkit.Waits;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rolling updates behind the edge proxy, under traffic: client threads follow a link, read its
 * stats and (with a surge) shorten new links through Debian's nginx with deploy/nginx's
 * configuration while every server replica is replaced ({@code ./tinyscale up} provides the engines
 * and runs the consumers). No request fails, and once the pipeline has caught up the link's count
 * is exactly the number of redirects answered. Two ways to replace a replica:
 *
 * <ul>
 *   <li>In place, as on one VM ({@link Replicas#restart}): SIGTERM, drain, exit, a new process on
 *       the same port. Open-source nginx has no active health checks and does not read
 *       /health/ready, so the drain delay does not by itself take a replica out of rotation. nginx
 *       goes on sending to the replica until it answers 503 (after its drain delay) or refuses
 *       connections (stopped, restarting); {@code proxy_next_upstream error timeout http_502
 *       http_503} sends each of those requests to another replica, and {@code max_fails=1
 *       fail_timeout=5s} keeps the failed one out for a while. The test checks in nginx's log that
 *       such retries happened: without them, those requests would have been the failures. nginx
 *       resends no POST that reached a replica, so this way is tested with reads only.
 *   <li>With a surge, as deploy/k8s's Deployment does it ({@code maxSurge: 1, maxUnavailable: 0},
 *       {@link Replicas#replace}): three replicas; a new one starts on a new port and becomes
 *       ready, the proxy's upstreams are switched to it (the Service's endpoints dropping the
 *       terminating pod), then the old one drains and exits. Its drain delay (the pod's preStop
 *       sleep) covers the proxy's reload, so no request ever reaches a stopping replica: nginx
 *       never retries.
 * </ul>
 */
class RollingRestartIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");
  private static final Map<String, String> REPLICA_ENV =
      TinyscaleUp.env(
          "TINYSCALE_TRUSTED_PROXIES",
          "127.0.0.1/32",
          "TINYSCALE_DRAIN_DELAY",
          "PT3S",
          // each 302 names its click, so the clicks stored can be compared with those answered
          "TINYSCALE_EXPOSE_EVENT_ID",
          "true");

  private static TinyscaleUp up;

  @BeforeAll
  static void start() {
    up =
        new TinyscaleUp(
            WORK.resolve("rolling"),
            TinyscaleUp.env(
                "TINYSCALE_DB_NAME", "tinyscale_rolling_e2e",
                "TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32",
                "TINYSCALE_BATCH_WINDOW", "PT0.5S"));
  }

  @AfterAll
  static void stop() {
    up.close();
  }

  @Test
  void everyReplicaRestartedInPlaceWithoutAFailedRequestOrALostClick() {
    try (Replicas replicas = new Replicas(up, WORK.resolve("rolling-in-place"), 2, REPLICA_ENV);
        Nginx nginx = new Nginx(WORK.resolve("rolling-in-place-proxy"), replicas.ports())) {
      // reads only: nginx never resends a POST that reached a replica, and one that reaches it in
      // the instant it closes fails (docs/operations.md, "nginx"); the surge below has no such
      // instant
      long retried =
          underTraffic(
              nginx,
              false,
              () -> {
                for (int i = 0; i < replicas.ports().size(); i++) {
                  replicas.restart(i);
                  // the next one only once nginx sends to this one again: after a failure it
                  // keeps a replica out for fail_timeout (5 s), even when it is back sooner
                  awaitInRotation(nginx, replicas.ports().get(i));
                }
              });
      assertThat(retried)
          .as("requests a stopping replica refused and nginx sent to another (its log)")
          .isPositive();
    }
  }

  @Test
  void threeReplicasReplacedWithASurgeWithoutAFailedRequestOrALostClick() {
    try (Replicas replicas = new Replicas(up, WORK.resolve("rolling-surge"), 3, REPLICA_ENV);
        Nginx nginx = new Nginx(WORK.resolve("rolling-surge-proxy"), replicas.ports())) {
      List<Integer> before = replicas.ports();
      long retried =
          underTraffic(
              nginx,
              true,
              () -> {
                for (int i = 0; i < before.size(); i++) {
                  replicas.replace(i, nginx::upstreams);
                }
              });
      assertThat(replicas.ports())
          .as("every replica is a new process")
          .doesNotContainAnyElementsOf(before);
      assertThat(retried).as("requests nginx had to send to another replica (its log)").isZero();
    }
  }

  /**
   * Runs {@code rollout} while redirects, stats reads and, with {@code creates}, link creations go
   * through {@code nginx}, each from a client address of its own (as many clients are: no limit,
   * nginx's or the app's, counts them together); asserts none failed and every redirect answered is
   * counted once. Returns how many requests nginx retried on another replica.
   */
  private static long underTraffic(Nginx nginx, boolean creates, Runnable rollout) {
    Api edge = new Api(nginx.httpsUrl, nginx.client(HttpClient.Version.HTTP_1_1));
    User user = edge.register();
    String code = edge.shorten(user, "https://example.com/rolling");

    Set<UUID> clicks = ConcurrentHashMap.newKeySet(); // the event ids of the redirects answered
    Traffic redirects;
    Traffic stats;
    Traffic shortens;
    try (Traffic r =
            new Traffic(
                "redirects",
                2,
                5,
                () -> {
                  Res res =
                      asABrowserDoes(() -> edge.get("/" + code, "X-Forwarded-For", Api.randomIp()));
                  if (res.status() != 302) {
                    return res.status() + " " + res.body();
                  }
                  clicks.add(UUID.fromString(res.header("X-TinyScale-Event-Id")));
                  return null;
                });
        Traffic s =
            new Traffic(
                "stats",
                1,
                250,
                () -> {
                  Res res =
                      asABrowserDoes(
                          () ->
                              edge.get(
                                  "/api/stats/" + code,
                                  user.auth("X-Forwarded-For", Api.randomIp())));
                  return res.status() == 200 ? null : res.status() + " " + res.body();
                });
        Traffic c =
            new Traffic(
                "shortens",
                creates ? 1 : 0,
                250,
                () -> {
                  Res res =
                      asABrowserDoes(
                          () ->
                              edge.post(
                                  "/api/shorten",
                                  Api.json(
                                      "url", "https://example.com/rolling/" + UUID.randomUUID()),
                                  user.auth("X-Forwarded-For", Api.randomIp())));
                  return res.status() == 201 ? null : res.status() + " " + res.body();
                })) {
      redirects = r;
      stats = s;
      shortens = c;
      awaitMore(redirects, 200);
      rollout.run();
      awaitMore(redirects, 200);
    }
    assertThat(redirects.failures()).as(redirects.toString()).isEmpty();
    assertThat(stats.failures()).as(stats.toString()).isEmpty();
    assertThat(shortens.failures()).as(shortens.toString()).isEmpty();
    assertThat(stats.answered()).isPositive();
    assertThat(shortens.answered() > 0).isEqualTo(creates);

    long answered = redirects.answered();
    assertThat(clicks).as("one click per redirect answered").hasSize((int) answered);
    // the same clicks, not only as many: a lost one and one counted twice cannot cancel out
    try (Connection db = up.db()) {
      long urlId = PipelineFaultIT.urlId(db, code);
      Waits.await("every redirect answered is stored, and nothing else")
          .atMost(Duration.ofMinutes(2))
          .until(() -> EventIds.inClicks(db, urlId).equals(clicks));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    Waits.await("every redirect answered is counted once")
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                edge.get("/api/stats/" + code, user.auth()).json().get("totalClicks").asLong()
                    == answered);

    long retried =
        Arrays.stream(nginx.log().split("\n"))
            .filter(line -> line.contains("ustatus=") && line.matches(".*ustatus=\\S+, .*"))
            .count();
    System.out.println(
        "rolling update: "
            + redirects
            + "; "
            + stats
            + "; "
            + shortens
            + "; "
            + retried
            + " requests nginx retried on another replica");
    return retried;
  }

  /**
   * A request sent again, once, when the connection it went out on was closed before any byte of an
   * answer came back: nginx's reload closes its old workers' idle keep-alive connections, and a
   * request that crossed the close was never read. Browsers resend in that case; Java's client does
   * not.
   */
  private static Res asABrowserDoes(Supplier<Res> request) {
    try {
      return request.get();
    } catch (UncheckedIOException e) {
      if (String.valueOf(e.getMessage()).contains("received no bytes")) {
        return request.get();
      }
      throw e;
    }
  }

  /** Waits until nginx's log shows a redirect more answered by the app on {@code port}. */
  private static void awaitInRotation(Nginx nginx, int port) {
    String served = "upstream=127.0.0.1:" + port + " ustatus=302";
    long before = nginx.log().lines().filter(line -> line.contains(served)).count();
    Waits.await("nginx sends to 127.0.0.1:" + port + " again")
        .atMost(Duration.ofSeconds(30))
        .until(() -> nginx.log().lines().filter(line -> line.contains(served)).count() > before);
  }

  /** Waits until {@code traffic} has {@code count} more answers: the stack serves. */
  private static void awaitMore(Traffic traffic, long count) {
    long target = traffic.answered() + count;
    Waits.await(count + " more " + traffic)
        .atMost(Duration.ofMinutes(2))
        .until(() -> traffic.answered() >= target);
  }
}
