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
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart behind the edge proxy: two server replicas behind Debian's nginx with
 * deploy/nginx's configuration ({@code ./tinyscale up} provides the engines and runs the
 * consumers), each replaced in turn (SIGTERM, drain, exit, a new process on the same port) while
 * client threads follow a link and read its stats through nginx. No request fails, and once the
 * pipeline has caught up the link's count is exactly the number of redirects answered.
 *
 * <p>What makes it pass: open-source nginx has no active health checks and does not read
 * /health/ready, so the drain delay does not by itself take a replica out of rotation. nginx goes
 * on sending to the replica until it answers 503 (after its drain delay) or refuses connections
 * (stopped, restarting); {@code proxy_next_upstream error timeout http_502 http_503} sends each of
 * those requests to the other replica, and {@code max_fails=1 fail_timeout=5s} keeps the failed one
 * out for a while. The test checks in nginx's log that such retries happened (a request that shows
 * two upstreams): without them, those requests would have been the failures.
 */
class RollingRestartIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");

  @Test
  void everyReplicaReplacedUnderTrafficWithoutAFailedRequestOrALostClick() {
    try (TinyscaleUp up =
            new TinyscaleUp(
                WORK.resolve("rolling"),
                TinyscaleUp.env(
                    "TINYSCALE_DB_NAME", "tinyscale_rolling_e2e",
                    "TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32",
                    "TINYSCALE_BATCH_WINDOW", "PT0.5S"));
        Replicas replicas =
            new Replicas(
                up,
                WORK.resolve("rolling-replicas"),
                2,
                TinyscaleUp.env(
                    "TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32",
                    "TINYSCALE_DRAIN_DELAY", "PT3S"));
        Nginx nginx = new Nginx(WORK.resolve("rolling-proxy"), replicas.ports())) {
      Api edge = new Api(nginx.httpsUrl, nginx.client(HttpClient.Version.HTTP_1_1));
      User user = edge.register();
      String code = edge.shorten(user, "https://example.com/rolling");

      Traffic redirects;
      Traffic stats;
      // every request from a client address of its own, as many clients are: no limit (nginx's
      // or the app's) counts them together
      try (Traffic r =
              new Traffic(
                  "redirects",
                  2,
                  5,
                  () -> {
                    Res res = edge.get("/" + code, "X-Forwarded-For", Api.randomIp());
                    return res.status() == 302 ? null : res.status() + " " + res.body();
                  });
          Traffic s =
              new Traffic(
                  "stats",
                  1,
                  250,
                  () -> {
                    Res res =
                        edge.get(
                            "/api/stats/" + code, user.auth("X-Forwarded-For", Api.randomIp()));
                    return res.status() == 200 ? null : res.status() + " " + res.body();
                  })) {
        redirects = r;
        stats = s;
        awaitMore(redirects, 200);
        for (int i = 0; i < replicas.ports().size(); i++) {
          replicas.restart(i);
          awaitMore(redirects, 200);
        }
      }
      assertThat(redirects.failures()).as(redirects.toString()).isEmpty();
      assertThat(stats.failures()).as(stats.toString()).isEmpty();
      assertThat(stats.answered()).isPositive();

      long answered = redirects.answered();
      Waits.await("every redirect answered is counted")
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
          "rolling restart: "
              + redirects
              + "; "
              + stats
              + "; "
              + retried
              + " requests nginx retried on the other replica");
      assertThat(retried)
          .as("requests a stopping replica refused and nginx sent to the other (its log)")
          .isPositive();
    }
  }

  /** Waits until {@code traffic} has {@code count} more answers: the stack serves. */
  private static void awaitMore(Traffic traffic, long count) {
    long target = traffic.answered() + count;
    Waits.await(count + " more " + traffic)
        .atMost(Duration.ofMinutes(2))
        .until(() -> traffic.answered() >= target);
  }
}
