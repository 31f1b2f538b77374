package io.tinyscale.bench.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenarios (b) and (c): an open-model staircase of redirects, each virtual user one {@code GET
 * /{code}} of a random seeded link from an address of its own, until the answers break the limits
 * (p99 or error rate over {@code load.ramp.seconds} whole seconds in a row) or the last level ends.
 * First every seeded code is requested once, then random codes for {@code load.ramp.warmSeconds} at
 * the first level's rate (request "warm redirect", not in the levels), so the levels measure cache
 * hits on compiled code. Straight at the app, or at nginx with TLS and HTTP/2 ({@code
 * load.http2=true}).
 *
 * <p>Connections are shared by the virtual users ({@code shareConnections}), as a fleet of
 * keep-alive clients or a proxy in front would hold them; a connection per user would measure the
 * TCP (and TLS) handshake, not the redirect.
 */
public class RedirectRampSimulation extends Simulation {
  private static final AtomicInteger WARMED = new AtomicInteger();

  private final double start = LoadSettings.decimal("load.ramp.start", 1000);
  private final double step = LoadSettings.decimal("load.ramp.step", 1000);
  private final int levels = LoadSettings.integer("load.ramp.levels", 10);
  private final int levelSeconds = LoadSettings.integer("load.ramp.levelSeconds", 5);
  private final int rampSeconds = LoadSettings.integer("load.ramp.rampSeconds", 1);
  private final Saturation saturation =
      new Saturation(
          LoadSettings.decimal("load.ramp.p99Ms", 50),
          LoadSettings.decimal("load.ramp.errorPercent", 1),
          LoadSettings.integer("load.ramp.breachSeconds", 3));

  private final HttpProtocolBuilder protocol = protocol();

  private HttpProtocolBuilder protocol() {
    HttpProtocolBuilder http =
        Protocols.base()
            .shareConnections()
            .userAgentHeader(
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
    return LoadSettings.flag("load.http2", false) ? http.enableHttp2() : http;
  }

  private final ScenarioBuilder warm =
      scenario("warm")
          .asLongAs(session -> WARMED.get() < LoadSettings.links())
          .on(
              exec(session -> session.set("code", LoadSettings.code(WARMED.incrementAndGet())))
                  .exec(
                      http("warm redirect")
                          .get("/#{code}")
                          .header("X-Forwarded-For", session -> LoadSettings.randomAddress())
                          .check(status().is(302))));

  // the hit path's JIT warm-up, at the first level's rate, so that level measures the server and
  // not its compiler (on a busy host the first level broke on compilation alone)
  private final ScenarioBuilder warmHits =
      scenario("warm hits")
          .exec(
              http("warm redirect")
                  .get(session -> "/" + LoadSettings.randomCode())
                  .header("X-Forwarded-For", session -> LoadSettings.randomAddress())
                  .check(status().is(302)));

  private final ScenarioBuilder ramp =
      scenario("ramp")
          .exec(
              http("redirect")
                  .get(session -> "/" + LoadSettings.randomCode())
                  .header("X-Forwarded-For", session -> LoadSettings.randomAddress())
                  .check(status().is(302), responseTimeInMillis().saveAs("rt")))
          .exec(
              session -> {
                saturation.record(
                    System.currentTimeMillis(),
                    session.contains("rt") ? session.getInt("rt") : null,
                    session.isFailed());
                return session;
              })
          .exec(
              stopLoadGeneratorIf(
                  session -> saturation.broken(), session -> saturation.broken() != null));

  public RedirectRampSimulation() {
    setUp(
            warm.injectOpen(atOnceUsers(LoadSettings.integer("load.ramp.warmUsers", 64)))
                .andThen(
                    warmHits.injectOpen(
                        constantUsersPerSec(start)
                            .during(LoadSettings.seconds("load.ramp.warmSeconds", 10))))
                .andThen(
                    ramp.injectOpen(
                        incrementUsersPerSec(step)
                            .times(levels)
                            .eachLevelLasting(Duration.ofSeconds(levelSeconds))
                            .separatedByRampsLasting(Duration.ofSeconds(rampSeconds))
                            .startingFrom(start))))
        .protocols(protocol);
  }

  @Override
  public void after() {
    saturation.levels(start, step, levels, levelSeconds, rampSeconds).forEach(System.out::println);
    String broken = saturation.broken();
    System.out.println(
        "RAMP_END "
            + (broken == null ? "reason=last-level" : "reason=limits " + broken.replace(' ', '_')));
  }
}
