package io.tinyscale.bench.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario (a), a closed group of people using TinyScale: each virtual user registers, logs in,
 * then a few times creates a link, follows it (as the people it shared the link with would), lists
 * its links, and looks at one link's stats, with think times between the steps. Registration and
 * login hash a password on purpose (bcrypt): their names keep them apart in the report.
 */
public class MixedSimulation extends Simulation {
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  private final int users = LoadSettings.integer("load.mixed.users", 100);
  private final Duration ramp = LoadSettings.seconds("load.mixed.ramp", 60);
  private final int linksPerUser = LoadSettings.integer("load.mixed.linksPerUser", 5);
  private final int followsPerLink = LoadSettings.integer("load.mixed.followsPerLink", 3);

  private final HttpProtocolBuilder protocol =
      Protocols.base()
          .userAgentHeader("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
          .header("X-Forwarded-For", "#{address}");

  private final ChainBuilder oneLink =
      exec(http("shorten")
              .post("/api/shorten")
              .header("Authorization", "Bearer #{apiKey}")
              .body(StringBody("{\"url\":\"https://example.com/#{user}/#{link}\"}"))
              .check(status().is(201), jsonPath("$.code").saveAs("code")))
          .pause(Duration.ofMillis(500), Duration.ofMillis(2000))
          .repeat(followsPerLink)
          .on(
              exec(http("redirect")
                      .get("/#{code}")
                      .check(
                          status().is(302),
                          header("Location").isEL("https://example.com/#{user}/#{link}")))
                  .pause(Duration.ofMillis(200), Duration.ofMillis(1000)))
          .exec(
              http("list links")
                  .get("/api/links?size=20")
                  .header("Authorization", "Bearer #{apiKey}")
                  .check(status().is(200)))
          .pause(Duration.ofMillis(1000), Duration.ofMillis(3000));

  private final ScenarioBuilder people =
      scenario("mixed")
          .exec(
              session -> {
                int n = USERS.incrementAndGet();
                return session
                    .set("user", "load-" + RUN + "-" + n)
                    .set("address", LoadSettings.address(n));
              })
          .exec(
              http("register")
                  .post("/api/auth/register")
                  .body(
                      StringBody(
                          "{\"email\":\"#{user}@example.com\",\"password\":\"load-password-#{user}\"}"))
                  .check(status().is(201), jsonPath("$.apiKey").saveAs("apiKey")))
          // a user who could not register or log in goes home: their later steps are not errors of
          // their own
          .exitHereIfFailed()
          .pause(Duration.ofMillis(1000), Duration.ofMillis(3000))
          .exec(
              http("login")
                  .post("/api/auth/login")
                  .body(
                      StringBody(
                          "{\"email\":\"#{user}@example.com\",\"password\":\"load-password-#{user}\"}"))
                  .check(status().is(200)))
          .exitHereIfFailed()
          .pause(Duration.ofMillis(1000), Duration.ofMillis(3000))
          .repeat(linksPerUser, "link")
          .on(oneLink)
          .exec(
              http("stats")
                  .get("/api/stats/#{code}")
                  .header("Authorization", "Bearer #{apiKey}")
                  .check(status().is(200)));

  public MixedSimulation() {
    setUp(people.injectOpen(rampUsers(users).during(ramp))).protocols(protocol);
  }
}
