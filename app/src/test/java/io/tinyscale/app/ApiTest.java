package io.tinyscale.app;

import static io.tinyscale.storage.jooq.Tables.API_KEYS;
import static io.tinyscale.storage.jooq.Tables.URLS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;
import static io.tinyscale.storage.jooq.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.app.platform.EventLoopDefault;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API and the redirect against real Postgres and Redis, in-process. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class ApiTest {
  @TestHTTPResource("/")
  URL root;

  @Inject DSLContext dsl;

  @Inject Settings settings;

  @Inject Vertx vertx;

  Api api;

  @BeforeEach
  void client() {
    api = new Api(root.toString());
  }

  @Test
  void oneEventLoopPerCpu() {
    int cpus = Runtime.getRuntime().availableProcessors();
    ConfigValue configured =
        ConfigProvider.getConfig().getConfigValue("quarkus.vertx.event-loops-pool-size");
    assertThat(configured.getSourceName())
        .as("the default comes from ops/EventLoopDefault")
        .isEqualTo(EventLoopDefault.NAME);
    assertThat(configured.getValue()).isEqualTo(String.valueOf(cpus));
    var loops = (MultithreadEventExecutorGroup) ((VertxInternal) vertx).getEventLoopGroup();
    assertThat(loops.executorCount()).isEqualTo(cpus);
  }

  @Test
  void accountsSessionsAndKeys() {
    User user = api.register();
    assertThat(user.apiKey()).startsWith("ts_").hasSizeGreaterThanOrEqualTo(25);
    assertThat(
            dsl.fetchValue(
                API_KEYS.KEY_HASH, API_KEYS.KEY_PREFIX.eq(user.apiKey().substring(0, 10))))
        .as("only the hash is stored")
        .hasSize(64)
        .isNotEqualTo(user.apiKey());

    Res again =
        api.post(
            "/api/auth/register",
            Api.json("email", user.email().toUpperCase(), "password", "another password"),
            "X-Forwarded-For",
            user.ip());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("type").asText()).isEqualTo("urn:tinyscale:problem:email-taken");

    Res wrongPassword =
        api.post(
            "/api/auth/login",
            Api.json("email", user.email(), "password", "wrong password!"),
            "X-Forwarded-For",
            user.ip());
    Res unknownEmail =
        api.post(
            "/api/auth/login",
            Api.json("email", "nobody-" + user.email(), "password", "wrong password!"),
            "X-Forwarded-For",
            user.ip());
    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(unknownEmail.body())
        .as("a failed login does not tell whether the email exists")
        .isEqualTo(wrongPassword.body().replace("/api/auth/login", "/api/auth/login"));

    Res login =
        api.post(
            "/api/auth/login",
            Api.json("email", user.email(), "password", "correct horse battery"),
            "X-Forwarded-For",
            user.ip());
    assertThat(login.status()).isEqualTo(200);
    String setCookie = login.header("Set-Cookie");
    assertThat(setCookie)
        .contains("tinyscale_session=")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Lax");
    String cookie = setCookie.split(";", 2)[0];
    assertThat(api.get("/api/links", "Cookie", cookie).status()).isEqualTo(200);
    assertThat(api.post("/api/auth/logout", null, "Cookie", cookie).status()).isEqualTo(204);
    assertThat(api.get("/api/links", "Cookie", cookie).status()).as("session ended").isEqualTo(401);

    Res created = api.post("/api/keys", Api.json("name", "ci"), user.auth());
    assertThat(created.status()).isEqualTo(201);
    String second = created.json().get("apiKey").asText();
    Res keys = api.get("/api/keys", "Authorization", "Bearer " + second);
    assertThat(keys.json().findValuesAsText("name")).containsExactly("default", "ci");
    assertThat(keys.body()).doesNotContain(second).doesNotContain(user.apiKey());
    long secondId = created.json().get("id").asLong();
    assertThat(api.delete("/api/keys/" + secondId, user.auth()).status()).isEqualTo(204);
    assertThat(api.get("/api/links", "Authorization", "Bearer " + second).status())
        .as("revoked key")
        .isEqualTo(401);
    assertThat(api.delete("/api/keys/" + secondId, user.auth()).status()).isEqualTo(404);
  }

  @Test
  void shortenRedirectChangeDelete() {
    User user = api.register();
    Res shortened =
        api.post("/api/shorten", Api.json("url", "https://example.com/a?b=1"), user.auth());
    assertThat(shortened.status()).isEqualTo(201);
    String code = shortened.json().get("code").asText();
    assertThat(code).matches("[0-9A-Za-z]{7}");
    assertThat(shortened.json().get("shortUrl").asText()).isEqualTo("http://short.test/" + code);
    assertThat(shortened.json().get("redirectType").asInt()).isEqualTo(302);

    Res redirect = api.get("/" + code);
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("https://example.com/a?b=1");
    assertThat(redirect.header("Cache-Control")).contains("no-store");
    assertThat(api.get("/" + code).header("Location"))
        .as("served from cache")
        .isEqualTo("https://example.com/a?b=1");

    Res patched =
        api.patch(
            "/api/links/" + code,
            Api.json("url", "https://example.org/new", "redirectType", 301),
            user.auth());
    assertThat(patched.status()).isEqualTo(200);
    Res after = api.get("/" + code);
    assertThat(after.status()).isEqualTo(301);
    assertThat(after.header("Location")).isEqualTo("https://example.org/new");
    assertThat(after.header("Cache-Control"))
        .as("a permanent redirect is remembered an hour at most, by the browser only")
        .isEqualTo("private, max-age=3600");
    String soon = java.time.Instant.now().plusSeconds(600).toString();
    assertThat(api.patch("/api/links/" + code, Api.json("expiresAt", soon), user.auth()).status())
        .isEqualTo(200);
    String expiring = api.get("/" + code).header("Cache-Control");
    assertThat(Long.parseLong(expiring.replace("private, max-age=", "")))
        .as("never past the link's expiry")
        .isBetween(500L, 600L);

    assertThat(api.patch("/api/links/" + code, Api.json("disabled", true), user.auth()).status())
        .isEqualTo(200);
    assertThat(api.get("/" + code).status()).isEqualTo(410);

    User other = api.register();
    assertThat(api.get("/api/links/" + code, other.auth()).status()).isEqualTo(404);
    assertThat(api.patch("/api/links/" + code, Api.json("disabled", false), other.auth()).status())
        .isEqualTo(404);
    assertThat(api.delete("/api/links/" + code, other.auth()).status()).isEqualTo(404);
    assertThat(api.get("/api/stats/" + code, other.auth()).status()).isEqualTo(404);

    assertThat(api.delete("/api/links/" + code, user.auth()).status()).isEqualTo(204);
    Res gone = api.get("/" + code, "Accept", "application/json");
    assertThat(gone.status()).as("a deleted link answers as if it never existed").isEqualTo(404);
    assertThat(gone.contentType()).startsWith("application/problem+json");
    assertThat(api.get("/api/links/" + code, user.auth()).status()).isEqualTo(404);
  }

  @Test
  void aTargetBeyondAsciiIsStoredAndSentAsABrowserWouldRequestIt() {
    User user = api.register();
    Res shortened =
        api.post(
            "/api/shorten", Api.json("url", "https://bücher.example/café/日本?q=ü"), user.auth());
    assertThat(shortened.status()).isEqualTo(201);
    String ascii = "https://xn--bcher-kva.example/caf%C3%A9/%E6%97%A5%E6%9C%AC?q=%C3%BC";
    assertThat(shortened.json().get("url").asText()).isEqualTo(ascii);
    assertThat(api.get("/" + shortened.json().get("code").asText()).header("Location"))
        .isEqualTo(ascii);
  }

  @Test
  void aliasesExpiryAndListing() throws InterruptedException {
    User user = api.register();
    String alias = "promo-" + Long.toString(System.nanoTime(), 36);
    assertThat(api.get("/" + alias, "Accept", "text/html").status())
        .as("unknown, and cached as unknown")
        .isEqualTo(404);
    Res created =
        api.post(
            "/api/shorten",
            Api.json("url", "https://example.com/promo", "alias", alias),
            user.auth());
    assertThat(created.status()).isEqualTo(201);
    assertThat(api.get("/" + alias).status())
        .as("creating drops the negative cache entry")
        .isEqualTo(302);
    Res taken =
        api.post(
            "/api/shorten", Api.json("url", "https://example.com/x", "alias", alias), user.auth());
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().get("type").asText()).isEqualTo("urn:tinyscale:problem:alias-taken");

    String soon = Instant.now().plusMillis(1500).toString();
    String code =
        api.post(
                "/api/shorten",
                Api.json("url", "https://example.com/soon", "expiresAt", soon),
                user.auth())
            .json()
            .get("code")
            .asText();
    assertThat(api.get("/" + code).status()).isEqualTo(302);
    Waits.until(
        "the link answers 410 once expired",
        () -> api.get("/" + code, "Accept", "text/html").status() == 410);
    Res expired = api.get("/" + code, "Accept", "text/html");
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.contentType()).startsWith("text/html");
    assertThat(expired.body()).contains("<html");

    Res page = api.get("/api/links?size=1", user.auth());
    assertThat(page.json().get("total").asInt()).isEqualTo(2);
    assertThat(page.json().get("items").size()).isEqualTo(1);
    assertThat(page.json().get("items").get(0).get("code").asText())
        .as("newest first")
        .isEqualTo(code);

    Res stats = api.get("/api/stats/" + alias, user.auth());
    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.json().get("code").asText()).isEqualTo(alias);
    assertThat(stats.json().get("last24h")).hasSize(24);
    // redirected once above, when it was made
    Waits.until(
        "the alias' one redirect counted",
        () -> api.get("/api/stats/" + alias, user.auth()).json().get("totalClicks").asLong() == 1);
  }

  @Test
  void listingSortsByCreatedAtClicksOrCodeAndPagesStably() {
    User user = api.register();
    String base = "sort-" + Long.toString(System.nanoTime(), 36) + "-";
    // made in the order a, b, c, d (so ids in that order), but dated c, a, d, b; clicked b once,
    // c and d three times each (a tie), a five times (people and bots together)
    Map<String, Long> ids = new HashMap<>();
    for (String name : List.of("a", "b", "c", "d")) {
      String alias = base + name;
      api.post(
          "/api/shorten",
          Api.json("url", "https://example.com/" + name, "alias", alias),
          user.auth());
      ids.put(
          name, dsl.select(URLS.ID).from(URLS).where(URLS.SHORT_CODE.eq(alias)).fetchOne(URLS.ID));
    }
    OffsetDateTime hour = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    List<String> dated = List.of("c", "a", "d", "b");
    for (int i = 0; i < dated.size(); i++) {
      dsl.update(URLS)
          .set(URLS.CREATED_AT, hour.minusDays(10 - i))
          .where(URLS.ID.eq(ids.get(dated.get(i))))
          .execute();
    }
    record Counted(String name, boolean bot, long count) {}
    for (Counted c :
        List.of(
            new Counted("a", false, 4),
            new Counted("a", true, 1),
            new Counted("b", false, 1),
            new Counted("c", true, 3),
            new Counted("d", false, 3))) {
      dsl.insertInto(URL_STATS_HOURLY)
          .set(URL_STATS_HOURLY.URL_ID, ids.get(c.name()))
          .set(URL_STATS_HOURLY.HOUR, hour)
          .set(URL_STATS_HOURLY.IS_BOT, c.bot())
          .set(URL_STATS_HOURLY.COUNT, c.count())
          .execute();
    }

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("createdAt", "cadb");
    expected.put("-createdAt", "bdac");
    expected.put("clicks", "bcda");
    expected.put("-clicks", "adcb");
    expected.put("code", "abcd");
    expected.put("-code", "dcba");
    for (var order : expected.entrySet()) {
      Res all = api.get("/api/links?size=100&sort=" + order.getKey(), user.auth());
      assertThat(all.status()).as(order.getKey()).isEqualTo(200);
      assertThat(names(all, base)).as(order.getKey()).isEqualTo(order.getValue());
      StringBuilder paged = new StringBuilder();
      for (int page = 0; page < 4; page++) {
        Res one =
            api.get("/api/links?size=1&page=" + page + "&sort=" + order.getKey(), user.auth());
        assertThat(one.json().get("total").asInt()).isEqualTo(4);
        paged.append(names(one, base));
      }
      assertThat(paged).as(order.getKey() + ", a page at a time").hasToString(order.getValue());
    }
    assertThat(names(api.get("/api/links", user.auth()), base))
        .as("newest first by default")
        .isEqualTo("bdac");
    Res byClicks = api.get("/api/links?sort=-clicks", user.auth());
    assertThat(byClicks.json().get("items").findValues("clicks"))
        .extracting(JsonNode::asLong)
        .as("the clicks shown are the clicks sorted by")
        .containsExactly(5L, 3L, 3L, 1L);

    Res bad = api.get("/api/links?sort=clicks,code", user.auth());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("type").asText()).isEqualTo("urn:tinyscale:problem:validation");
    assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("sort");
    assertThat(bad.json().get("errors").get(0).get("message").asText())
        .contains("createdAt, clicks, code")
        .contains("leading -");
  }

  /** The suffixes of the links' codes, in the page's order. */
  private static String names(Res page, String base) {
    StringBuilder names = new StringBuilder();
    page.json()
        .get("items")
        .forEach(l -> names.append(l.get("code").asText().substring(base.length())));
    return names.toString();
  }

  @Test
  void badRequestsAreProblemsAndChangeNothing() {
    User user = api.register();
    String[] auth = user.auth();
    int users = dsl.fetchCount(USERS);
    int urls = dsl.fetchCount(URLS);
    int keys = dsl.fetchCount(API_KEYS);
    record Case(
        String method, String path, String body, int status, String type, String... headers) {}
    String big = "{\"url\":\"https://example.com/" + "a".repeat(17_000) + "\"}";
    List<Case> cases =
        List.of(
            new Case("POST", "/api/shorten", "{\"url\":", 400, "malformed-json", auth),
            new Case("POST", "/api/shorten", "[]", 400, "malformed-json", auth),
            new Case("POST", "/api/shorten", "{}", 400, "validation", auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "javascript:alert(1)"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "ftp://example.com/"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "http://user:pw@example.com/"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "http://short.test/loop"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com/\r\nSet-Cookie: x"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com/" + "a".repeat(2100)),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com", "alias", "api"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com", "alias", "a b"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com", "redirectType", 303),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com", "expiresAt", "tomorrow"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com", "expiresAt", "2001-01-01T00:00:00Z"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com", "colour", "red"),
                400,
                "validation",
                auth),
            new Case(
                "POST",
                "/api/shorten",
                "{\"url\":\"https://example.com\",\"redirectType\":\"x\"}",
                400,
                "validation",
                auth),
            new Case("POST", "/api/shorten", big, 413, "payload-too-large", auth),
            new Case(
                "POST",
                "/api/shorten",
                "url=https://example.com",
                415,
                "unsupported-media-type",
                user.auth("Content-Type", "text/plain")),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com"),
                401,
                "unauthorized"),
            new Case(
                "POST",
                "/api/shorten",
                Api.json("url", "https://example.com"),
                401,
                "unauthorized",
                "Authorization",
                "Bearer ts_not-a-real-key"),
            new Case("GET", "/api/links?size=1000", null, 400, "validation", auth),
            new Case("GET", "/api/links?page=-1", null, 400, "validation", auth),
            new Case("GET", "/api/links?sort=clicks,code", null, 400, "validation", auth),
            new Case("GET", "/api/links?sort=--clicks", null, 400, "validation", auth),
            new Case("GET", "/api/links?sort=CLICKS", null, 400, "validation", auth),
            new Case("GET", "/api/links?sort=created_at", null, 400, "validation", auth),
            new Case("GET", "/api/links?sort=%2Bcode", null, 400, "validation", auth),
            new Case(
                "PATCH",
                "/api/links/nosuchcode",
                Api.json("disabled", true),
                404,
                "link-not-found",
                auth),
            new Case("DELETE", "/api/keys/abc", null, 404, "not-found", auth),
            new Case("POST", "/api/keys", "{}", 400, "validation", auth),
            new Case(
                "POST",
                "/api/auth/register",
                Api.json("email", "not-an-email", "password", "short"),
                400,
                "validation",
                "X-Forwarded-For",
                Api.randomIp()),
            new Case(
                "POST",
                "/api/auth/login",
                "{\"email\":",
                400,
                "malformed-json",
                "X-Forwarded-For",
                Api.randomIp()),
            new Case("GET", "/api/nothing-here", null, 404, "not-found", auth));
    for (Case c : cases) {
      Res res = api.send(c.method(), c.path(), c.body(), c.headers());
      String label =
          c.method()
              + " "
              + c.path()
              + " "
              + (c.body() == null ? "" : c.body().substring(0, Math.min(60, c.body().length())));
      assertThat(res.status()).as(label + " → " + res.body()).isEqualTo(c.status());
      assertThat(res.contentType()).as(label).startsWith("application/problem+json");
      assertThat(res.json().get("type").asText())
          .as(label)
          .isEqualTo("urn:tinyscale:problem:" + c.type());
      assertThat(res.json().get("status").asInt()).as(label).isEqualTo(c.status());
      assertThat(res.body()).as(label).doesNotContain("Exception").doesNotContain("\tat ");
    }
    Res invalid = api.post("/api/shorten", Api.json("url", "nope", "alias", "x"), auth);
    assertThat(invalid.json().findValuesAsText("field")).containsExactlyInAnyOrder("url", "alias");
    assertThat(dsl.fetchCount(USERS)).isEqualTo(users);
    assertThat(dsl.fetchCount(URLS)).isEqualTo(urls);
    assertThat(dsl.fetchCount(API_KEYS)).isEqualTo(keys);
  }

  @Test
  void aMalformedUriIsAProblemButARedirectIgnoresItsQuery() {
    User user = api.register();
    for (String target : List.of("/%zz", "/api/links/%zz", "/api/links?page=%zz", "/api/docs%")) {
      Res res = api.rawGet(target, "Accept", "application/json");
      assertThat(res.status()).as(target + " → " + res.body()).isEqualTo(400);
      assertThat(res.contentType()).as(target).startsWith("application/problem+json");
      assertThat(res.json().get("type").asText())
          .as(target)
          .isEqualTo("urn:tinyscale:problem:malformed-uri");
      assertThat(res.header("X-Content-Type-Options")).as(target).isEqualTo("nosniff");
    }
    String code =
        api.post("/api/shorten", Api.json("url", "https://example.com/q"), user.auth())
            .json()
            .get("code")
            .asText();
    Res redirect = api.rawGet("/" + code + "?utm=%zz");
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("https://example.com/q");
  }

  /** docs/api.md lists these as the HTTP layer's own answers, before any route runs. */
  @Test
  void oversizedRequestLinesAndHeadersAreRefusedByTheHttpLayer() {
    assertThat(api.rawGet("/api/links?q=" + "a".repeat(5_000)).status()).isEqualTo(414);
    assertThat(api.rawGet("/api/links", "X-Filler", "a".repeat(30_000)).status()).isEqualTo(431);
    assertThat(api.rawGet("/api/links?q=" + "a".repeat(3_000)).status())
        .as("under the limit: a route answers")
        .isEqualTo(401);
  }

  @Test
  void aTrailingSlashIsTheSameLink() {
    User user = api.register();
    String code =
        api.post("/api/shorten", Api.json("url", "https://example.com/slash"), user.auth())
            .json()
            .get("code")
            .asText();
    Res redirect = api.get("/" + code + "/");
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("https://example.com/slash");
    assertThat(api.get("/" + code + "//", "Accept", "application/json").status())
        .as("one slash only: an empty segment is refused")
        .isEqualTo(400);
    assertThat(api.get("/", "Accept", "application/json").status())
        .as("the root is no code")
        .isEqualTo(404);
    assertThat(api.get("/health/").status())
        .as("a reserved word is no code: /health/ is still health")
        .isEqualTo(200);
  }

  @Test
  void authEndpointsAreRateLimitedPerClientIp() {
    String ip = Api.randomIp();
    Res last = null;
    for (int i = 0; i < settings.authRateLimit(); i++) {
      last =
          api.post(
              "/api/auth/login",
              Api.json("email", "x@example.com", "password", "wrong password"),
              "X-Forwarded-For",
              ip);
      assertThat(last.status()).isEqualTo(401);
    }
    assertThat(last.header("RateLimit-Limit")).isEqualTo(String.valueOf(settings.authRateLimit()));
    assertThat(last.header("RateLimit-Remaining")).isEqualTo("0");
    Res limited =
        api.post(
            "/api/auth/login",
            Api.json("email", "x@example.com", "password", "wrong password"),
            "X-Forwarded-For",
            ip);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("type").asText()).isEqualTo("urn:tinyscale:problem:rate-limited");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    assertThat(limited.header("RateLimit-Reset")).isNotNull();
    assertThat(
            api.post(
                    "/api/auth/login",
                    Api.json("email", "x@example.com", "password", "wrong password"),
                    "X-Forwarded-For",
                    Api.randomIp())
                .status())
        .as("another client is not affected")
        .isEqualTo(401);
    assertThat(api.get("/metrics").body())
        .containsPattern("tinyscale_ratelimit_rejected_total\\{scope=\"auth\"} [1-9]");
  }

  @Test
  void anotherReplicasInvalidationDropsTheLocalCopy() {
    changeBehindThisReplica((redis, code) -> redis.publish("tinyscale:invalidate", "link:" + code));
  }

  @Test
  void invalidationsMissedWhileThePubSubConnectionWasDownDropEveryLocalCopy() {
    // the message is lost: every subscriber's connection dropped; Lettuce reconnects and
    // subscribes again, and the local copies go with the missed messages
    changeBehindThisReplica(
        (redis, code) -> redis.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()));
  }

  /**
   * A link this replica has cached is changed by "another replica" (its row changed, Redis' copy
   * dropped); {@code dropLocalCopy} is what should make this replica follow the change.
   */
  private void changeBehindThisReplica(
      java.util.function.BiConsumer<io.lettuce.core.api.sync.RedisCommands<String, String>, String>
          dropLocalCopy) {
    User user = api.register();
    String code =
        api.post("/api/shorten", Api.json("url", "https://example.com/before"), user.auth())
            .json()
            .get("code")
            .asText();
    assertThat(api.get("/" + code).header("Location")).isEqualTo("https://example.com/before");
    dsl.update(URLS)
        .set(URLS.ORIGINAL_URL, "https://example.com/after")
        .where(URLS.SHORT_CODE.eq(code))
        .execute();
    RedisClient client = RedisClient.create(settings.redisUrl());
    try (var connection = client.connect()) {
      connection.sync().del("link:" + code);
      assertThat(api.get("/" + code).header("Location"))
          .as("still the L1 copy")
          .isEqualTo("https://example.com/before");
      dropLocalCopy.accept(connection.sync(), code);
    } finally {
      client.shutdown();
    }
    Waits.until(
        "the redirect follows the change",
        () -> "https://example.com/after".equals(api.get("/" + code).header("Location")));
  }

  @Test
  void headersHealthMetricsAndDocs() {
    Res redirect = api.get("/nosuch1");
    assertThat(redirect.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(redirect.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(redirect.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
    assertThat(redirect.header("Referrer-Policy")).isNotBlank();
    assertThat(redirect.header("Strict-Transport-Security")).as("no HSTS over plain HTTP").isNull();
    assertThat(
            api.get("/nosuch1", "X-Forwarded-Proto", "https").header("Strict-Transport-Security"))
        .as("HSTS behind a trusted TLS proxy")
        .contains("max-age");

    Res cors =
        api.send(
            "OPTIONS",
            "/api/links",
            null,
            "Origin",
            "http://short.test",
            "Access-Control-Request-Method",
            "GET");
    assertThat(cors.header("Access-Control-Allow-Origin")).isEqualTo("http://short.test");
    Res foreign =
        api.send(
            "OPTIONS",
            "/api/links",
            null,
            "Origin",
            "https://evil.example",
            "Access-Control-Request-Method",
            "GET");
    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
    assertThat(foreign.status()).as("docs/api.md: refused by Quarkus' CORS filter").isEqualTo(403);

    Res ready = api.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().findValuesAsText("name"))
        .contains("postgres", "redis", "kafka", "consumers");
    for (var check : ready.json().get("checks")) {
      assertThat(check.path("data").fieldNames())
          .toIterable()
          .as("anonymous callers see states only: " + check)
          .containsExactly("degraded");
    }
    assertThat(api.get("/health/live").status()).isEqualTo(200);

    User user = api.register();
    assertThat(api.get("/api/admin/health").status()).isEqualTo(401);
    assertThat(api.get("/api/admin/health", user.auth()).status()).isEqualTo(403);
    User admin = DevStackTestResource.newAdmin(api);
    Res details = api.get("/api/admin/health", admin.auth());
    assertThat(details.status()).isEqualTo(200);
    assertThat(details.json().get("status").asText()).isEqualTo("UP");
    assertThat(api.check("kafka", admin).path("data").has("topicPartitions")).isTrue();
    assertThat(api.check("consumers", admin).path("data").has("running")).isTrue();
    String code =
        api.post("/api/shorten", Api.json("url", "https://example.com/m"), user.auth())
            .json()
            .get("code")
            .asText();
    api.get("/" + code);
    api.get("/" + code);
    api.get("/nosuchcode-metrics");
    api.get("/openapi");
    api.get("/api/links/" + code, user.auth());
    api.get("/api/no-such-route", user.auth());
    String metrics = api.get("/metrics").body();
    assertThat(metrics)
        .containsPattern("tinyscale_cache_requests_total\\{result=\"hit\",tier=\"l1\"} [1-9]")
        .containsPattern("tinyscale_cache_requests_total\\{result=\"hit\",tier=\"db\"} [1-9]")
        .contains("http_server_requests_seconds_count")
        .contains("http_server_requests_seconds_bucket")
        // the redirect records its own requests: same metric, same tags
        .containsPattern(
            "http_server_requests_seconds_count\\{method=\"GET\",outcome=\"REDIRECTION\",status=\"302\",uri=\"/\\{code}\"} [1-9]")
        .containsPattern(
            "http_server_requests_seconds_count\\{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"/\\{code}\"} [1-9]")
        .containsPattern(
            "http_server_requests_seconds_count\\{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/openapi\"} [1-9]")
        // every other request by its route's template, never by its raw path
        .containsPattern(
            "http_server_requests_seconds_count\\{method=\"POST\",outcome=\"SUCCESS\",status=\"201\",uri=\"/api/shorten\"} [1-9]")
        .containsPattern(
            "http_server_requests_seconds_count\\{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/links/\\{code}\"} [1-9]")
        .containsPattern(
            "http_server_requests_seconds_count\\{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"NOT_FOUND\"} [1-9]")
        .containsPattern(
            "http_server_requests_seconds_count\\{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/health/ready\"} [1-9]")
        // fixed buckets, from 100 us: a redirect answered from memory takes tens of microseconds
        .containsPattern(
            "http_server_requests_seconds_bucket\\{method=\"GET\",outcome=\"REDIRECTION\",status=\"302\",uri=\"/\\{code}\",le=\"1.0E-4\"} \\d")
        .containsPattern("tinyscale_clicks_journaled_total [1-9]")
        // this request's own connection at least
        .containsPattern("tinyscale_http_connections [1-9]")
        .doesNotContain("no-such-route")
        .contains("jvm_memory_used_bytes")
        .contains("agroal_active_count")
        .contains("agroal_awaiting_count");

    assertThat(api.get("/openapi").body()).contains("/api/shorten").contains("bearer");
    assertThat(api.get("/api/docs/").status()).isEqualTo(200);
  }
}
