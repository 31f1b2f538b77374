package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a client sends cannot grow the server's memory or make it answer 500. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class BoundedInputTest {
  @TestHTTPResource("/")
  URL root;

  Api api;

  @BeforeEach
  void client() {
    api = new Api(root.toString());
  }

  private long requestSeries() {
    return api.get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith("http_server_requests_seconds"))
        .count();
  }

  private void invent(int n) {
    for (int i = 0; i < n; i++) {
      String word =
          "X" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
      Res method = api.raw(word, "/api/links", null);
      assertThat(method.status()).as("an unknown method").isEqualTo(501);
      assertThat(method.contentType()).startsWith("application/problem+json");
      assertThat(api.raw("GET", "/api/" + word.toLowerCase(), null).status()).isEqualTo(404);
      assertThat(api.raw("GET", "/nested/" + word.toLowerCase() + "/path", null).status())
          .isEqualTo(404);
      assertThat(
              api.raw("GET", "/" + word.toLowerCase(), null, "X-Forwarded-For", Api.randomIp())
                  .status())
          .isEqualTo(404);
    }
  }

  @Test
  void inventedMethodsAndPathsAddNoMetricSeries() {
    invent(5);
    requestSeries(); // the scrape itself is a series, recorded once it has answered
    long warm = requestSeries();
    invent(200);
    assertThat(requestSeries())
        .as("series of http_server_requests_seconds after 200 more inventions")
        .isEqualTo(warm);
    assertThat(api.get("/metrics").body()).doesNotContain("method=\"X");
  }

  @Test
  void aKnownMethodARouteDoesNotTakeIs405WithAllow() {
    User user = api.register();
    Res put = api.send("PUT", "/api/links", "{}", user.auth());
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.header("Allow")).contains("GET");
    Res postToLink = api.raw("POST", "/abc1234", "{}");
    assertThat(postToLink.status()).isEqualTo(405);
    assertThat(postToLink.header("Allow")).isEqualTo("GET, HEAD");
    assertThat(postToLink.contentType()).startsWith("application/problem+json");
    for (String method : List.of("TRACE", "CONNECT")) {
      assertThat(api.raw(method, "/api/links", null, user.auth()).status())
          .as(method)
          .isIn(405, 400, 501);
    }
  }

  @Test
  void everyFieldWithHostileValuesIsA4xxProblem() {
    User user = api.register();
    List<Object> hostile =
        new ArrayList<>(
            List.of(
                true,
                1e308,
                -1,
                Long.MAX_VALUE,
                "",
                "x".repeat(5000),
                List.of(),
                Map.of(),
                "2030-01-01",
                "+10000-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59-18:00",
                "-999999999-01-01T00:00:00+18:00",
                "294277-01-01T00:00:00Z",
                "9999-12-31T23:59:60Z",
                "\u0000",
                "https://example.com/\u0000"));
    hostile.add(null);
    List<String> failures = new ArrayList<>();
    for (String field : List.of("url", "alias", "expiresAt", "redirectType")) {
      for (Object value : hostile) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("url", "https://example.com/hostile");
        body.put(field, value);
        String json =
            new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(body).toString();
        Res shorten = api.post("/api/shorten", json, user.auth());
        if (shorten.status() >= 500
            || shorten.status() == 201 && "expiresAt".equals(field) && value != null) {
          failures.add(
              "POST "
                  + json.substring(0, Math.min(120, json.length()))
                  + " → "
                  + shorten.status()
                  + " "
                  + shorten.body());
        }
        Res patch =
            api.patch(
                "/api/links/nonexistent",
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .valueToTree(Map.of(field, value == null ? "" : value))
                    .toString(),
                user.auth());
        if (patch.status() >= 500) {
          failures.add(
              "PATCH " + field + "=" + value + " → " + patch.status() + " " + patch.body());
        }
      }
    }
    assertThat(failures).isEmpty();

    Res farFuture =
        api.post(
            "/api/shorten",
            Api.json("url", "https://example.com/far", "expiresAt", "+10000-01-01T00:00:00Z"),
            user.auth());
    assertThat(farFuture.status()).isEqualTo(400);
    assertThat(farFuture.body()).contains("expiresAt", "before the year 10000");
    Res latest =
        api.post(
            "/api/shorten",
            Api.json("url", "https://example.com/far", "expiresAt", "9999-12-31T23:59:59Z"),
            user.auth());
    assertThat(latest.status()).as(latest.body()).isEqualTo(201);
    String code = latest.json().get("code").asText();
    assertThat(api.get("/" + code).status()).isEqualTo(302);
    assertThat(
            api.patch(
                    "/api/links/" + code,
                    Api.json("expiresAt", "+10000-01-01T00:00:00Z"),
                    user.auth())
                .status())
        .isEqualTo(400);
  }

  @Test
  void anAccountHoldsAtMostMaxKeysAndIsToldHowToRevokeOne() {
    User user = api.register();
    int created = 1; // the key made at registration
    Res res;
    do {
      res = api.post("/api/keys", Api.json("name", "key " + created), user.auth());
      if (res.status() == 201) {
        created++;
      }
    } while (res.status() == 201 && created < 100);
    assertThat(created).as("TINYSCALE_MAX_KEYS' default").isEqualTo(20);
    assertThat(res.status()).isEqualTo(409);
    assertThat(res.json().get("type").asText()).isEqualTo("urn:tinyscale:problem:too-many-keys");
    assertThat(res.json().get("detail").asText()).contains("DELETE /api/keys/{id}");
    long oldest = api.get("/api/keys", user.auth()).json().get(1).get("id").asLong();
    assertThat(api.delete("/api/keys/" + oldest, user.auth()).status()).isEqualTo(204);
    assertThat(api.post("/api/keys", Api.json("name", "after a revoke"), user.auth()).status())
        .isEqualTo(201);
  }

  @Test
  void answersCarryingAKeyOrASessionAreNotStored() {
    Res registered =
        api.post(
            "/api/auth/register",
            Api.json(
                "email",
                "nostore-" + UUID.randomUUID() + "@example.com",
                "password",
                "correct horse battery"),
            "X-Forwarded-For",
            Api.randomIp());
    assertThat(registered.header("Cache-Control")).isEqualTo("no-store");
    User user = api.register();
    assertThat(api.get("/api/links", user.auth()).header("Cache-Control")).isEqualTo("no-store");
    assertThat(api.post("/api/keys", Api.json("name", "x"), user.auth()).header("Cache-Control"))
        .isEqualTo("no-store");
  }
}
