package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every access rule against every spelling of its path, as an attacker would probe them: without a
 * caller no protected route answers anything but 401 (or the 400 refusal of a path that is not in
 * canonical form, or 404 where no route matches at all); a user's key on an admin route gets 403 at
 * best; nothing answers 2xx or 5xx.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class AccessRulesTest {
  @TestHTTPResource("/")
  URL root;

  @Inject Router router;

  Api api;

  @BeforeEach
  void client() {
    api = new Api(root.toString());
  }

  record Route_(String method, String path, String body) {}

  static final List<Route_> PROTECTED =
      List.of(
          new Route_("GET", "/api/links", null),
          new Route_("POST", "/api/shorten", "{\"url\":\"https://example.com/x\"}"),
          new Route_("GET", "/api/links/abc1234", null),
          new Route_("PATCH", "/api/links/abc1234", "{\"disabled\":true}"),
          new Route_("DELETE", "/api/links/abc1234", null),
          new Route_("GET", "/api/links/abc1234/qr", null),
          new Route_("GET", "/api/stats/abc1234", null),
          new Route_("GET", "/api/analytics", null),
          new Route_("GET", "/api/analytics/abc1234", null),
          new Route_("GET", "/api/analytics/abc1234/countries", null),
          new Route_("GET", "/api/search", null),
          new Route_("GET", "/api/stream/abc1234", null),
          new Route_("GET", "/api/stream", null),
          new Route_("GET", "/api/keys", null),
          new Route_("POST", "/api/keys", "{\"name\":\"probe\"}"),
          new Route_("DELETE", "/api/keys/1", null),
          new Route_("POST", "/api/auth/logout", null));

  static final List<Route_> ADMIN =
      List.of(
          new Route_("GET", "/api/admin/dlt", null),
          new Route_("POST", "/api/admin/dlt/replay", null),
          new Route_("GET", "/api/admin/health", null));

  /** Ways to write the same path; each maps the plain path to another spelling. */
  static final List<UnaryOperator<String>> SPELLINGS =
      List.of(
          p -> p,
          p -> p.replaceFirst("^/api/", "/%61pi/"), // an encoded letter in the first segment
          p -> p.replaceFirst("^/api/([a-z])", "/api/%$1"), // (made into %XX below)
          p ->
              p.replaceFirst(
                  "^/api/", "/api/auth/login/../../api/"), // dot segments through a public route
          p -> p.replaceFirst("^/api/", "/api/./"),
          p -> p.replaceFirst("^/api/", "/x/../api/"),
          p -> p.replaceFirst("^/api/", "/api/auth/%2e%2e/"), // encoded dots
          p -> p.replaceFirst("^/api/", "/api/auth/%2E%2E/"),
          p -> p.replaceFirst("^/api/", "/api%2F"), // encoded slashes
          p -> p.replaceFirst("^/api/", "/api%2f"),
          p -> p.replaceFirst("^/api/", "/api%5C"), // encoded backslash
          p -> "/" + p, // double slashes
          p -> p.replaceFirst("^/api/", "/api//"),
          p -> p + "/", // trailing slash
          p -> p.replaceFirst("^/api/", "/API/"), // mixed case
          p -> "/api/" + Character.toUpperCase(p.charAt(5)) + p.substring(6),
          p -> p + ";x=1", // matrix parameters
          p -> p.replaceFirst("^/api/", "/api;x=1/"),
          p -> p.replace("/api/", "/api/%20/../"));

  static List<String> spellings(String path) {
    List<String> all = new ArrayList<>();
    for (UnaryOperator<String> spelling : SPELLINGS) {
      String spelt = spelling.apply(path);
      // "/api/%l..." → the second segment's first letter percent-encoded
      int percent = spelt.indexOf("/api/%");
      if (percent >= 0 && Character.isLetter(spelt.charAt(percent + 6))) {
        char letter = spelt.charAt(percent + 6);
        spelt =
            spelt.substring(0, percent + 5)
                + "%"
                + Integer.toHexString(letter)
                + spelt.substring(percent + 7);
      }
      all.add(spelt);
    }
    all.add(
        path.substring(0, path.length() - 1)
            + "%"
            + Integer.toHexString(path.charAt(path.length() - 1)));
    return all;
  }

  @Test
  void withoutACallerEveryProtectedRouteAnswers401OrRefusesThePath() {
    List<String> failures = new ArrayList<>();
    for (Route_ route : concat(PROTECTED, ADMIN)) {
      for (String path : spellings(route.path())) {
        Res res = api.raw(route.method(), path, route.body(), "X-Forwarded-For", Api.randomIp());
        if (!Set.of(400, 401, 404).contains(res.status())
            || !res.body().isEmpty() && !isProblem(res)) {
          failures.add(route.method() + " " + path + " → " + res.status() + " " + res.body());
        }
      }
      Res plain =
          api.raw(route.method(), route.path(), route.body(), "X-Forwarded-For", Api.randomIp());
      assertThat(plain.status()).as(route + ": the plain spelling reaches the gate").isEqualTo(401);
    }
    assertThat(failures).as("answers other than 401, the 400 refusal or 404").isEmpty();
  }

  @Test
  void aUsersKeyOnAnAdminRouteIsForbiddenHoweverThePathIsSpelt() {
    User user = api.register();
    List<String> failures = new ArrayList<>();
    for (Route_ route : ADMIN) {
      for (String path : spellings(route.path())) {
        Res res =
            api.raw(route.method(), path, route.body(), user.auth("X-Forwarded-For", user.ip()));
        if (!Set.of(400, 403, 404).contains(res.status())) {
          failures.add(route.method() + " " + path + " → " + res.status() + " " + res.body());
        }
      }
      assertThat(api.raw(route.method(), route.path(), route.body(), user.auth()).status())
          .isEqualTo(403);
    }
    assertThat(failures).as("answers other than 403, the 400 refusal or 404").isEmpty();
  }

  @Test
  void everySpellingOfLoginCountsAgainstTheSameAuthLimit() {
    for (String path : spellings("/api/auth/login")) {
      String ip = Api.randomIp();
      int reachedLogin = 0;
      for (int i = 0; i < 14; i++) {
        Res res =
            api.raw(
                "POST",
                path,
                Api.json("email", "nobody@example.com", "password", "wrong password!"),
                "X-Forwarded-For",
                ip);
        assertThat(res.status()).as("POST " + path).isIn(400, 401, 404, 405, 429);
        if (res.status() == 401) {
          reachedLogin++;
        }
      }
      assertThat(reachedLogin)
          .as("logins through " + path + " within the limit of 10 a minute")
          .isLessThanOrEqualTo(10);
    }
  }

  @Test
  void everyVertxRouteOutsideTheRestApiIsAPublicOneDeclaredHere() {
    // Routes outside Quarkus REST never pass the API gate: only these public ones may exist.
    Set<String> publicPaths =
        Set.of(
            "/health",
            "/health/live",
            "/health/ready",
            "/health/started",
            "/health/group",
            "/health/group/",
            "/health/group/*",
            "/health/well",
            "/metrics",
            "/metrics/",
            "/openapi",
            "/openapi.json",
            "/openapi.yaml",
            "/openapi.yml",
            "/api/docs",
            "/api/docs/*",
            "/api/docs/index.html",
            "/dashboard",
            "/dashboard/" /* Vert.x's path of the route /dashboard/* */,
            "/health-ui" /* test and dev mode only */);
    List<String> unexpected =
        router.getRoutes().stream()
            .map(Route::getPath)
            .filter(path -> path != null && !path.equals("/") && !publicPaths.contains(path))
            .toList();
    assertThat(unexpected).as("Vert.x routes not declared public").isEmpty();
  }

  private static boolean isProblem(Res res) {
    return res.contentType() != null && res.contentType().startsWith("application/problem+json");
  }

  private static List<Route_> concat(List<Route_> a, List<Route_> b) {
    List<Route_> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Operations open to anyone: sign-up and login. */
  static final Set<String> PUBLIC = Set.of("POST /api/auth/register", "POST /api/auth/login");

  @Test
  void everyOperationOfTheApiIsInTheseTables() {
    // a new endpoint must be added to PROTECTED or ADMIN (and so probed) or be named public
    Set<String> tabled = new TreeSet<>(PUBLIC);
    for (Route_ route : concat(PROTECTED, ADMIN)) {
      tabled.add(route.method() + " " + route.path());
    }
    Set<String> operations = new TreeSet<>();
    JsonNode paths = api.get("/openapi?format=json").json().get("paths");
    paths
        .fieldNames()
        .forEachRemaining(
            path ->
                paths
                    .get(path)
                    .fieldNames()
                    .forEachRemaining(
                        method ->
                            operations.add(
                                method.toUpperCase(Locale.ROOT)
                                    + " "
                                    + path.replace("{code}", "abc1234")
                                        .replace("{dimension}", "countries")
                                        .replace("{id}", "1"))));
    assertThat(tabled).containsAll(operations);
  }
}
