package io.tinyscale.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tinyscale.app.DevStackTestResource;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Bytes;
import io.tinyscale.testkit.Api.Res;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /dashboard: the dashboard's build served from memory, as a browser and a CDN need it. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = false)
class DashboardTest {
  private static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>");
  private static final Pattern ASSET = Pattern.compile("\"(/dashboard/assets/[^\"]+)\"");

  @TestHTTPResource("/")
  URL root;

  Api api;

  @BeforeEach
  void client() {
    api = new Api(root.toString());
  }

  @Test
  void theIndexIsRevalidatedEveryTimeAndRunsNoInlineScript() {
    Res index = api.get("/dashboard");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(index.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(index.header("ETag")).isNotBlank();
    String csp = index.header("Content-Security-Policy");
    assertThat(csp).contains("script-src 'self';", "style-src 'self';", "connect-src 'self'");
    assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
    Matcher scripts = SCRIPT.matcher(index.body());
    int count = 0;
    while (scripts.find()) {
      assertThat(scripts.group(1))
          .as("every script is a file")
          .contains("src=\"/dashboard/assets/");
      count++;
    }
    assertThat(count).isPositive();
    assertThat(index.body()).doesNotContain(" style=", "<style");

    // no session needed: the page is public, the API it calls is not
    assertThat(api.get("/dashboard/").body()).isEqualTo(index.body());
    Res revalidated = api.get("/dashboard", "If-None-Match", index.header("ETag"));
    assertThat(revalidated.status()).isEqualTo(304);
    assertThat(revalidated.body()).isEmpty();
  }

  @Test
  void theDashboardsOwnRoutesAnswerTheIndex() {
    String index = api.get("/dashboard/").body();
    for (String route :
        List.of("/dashboard/links/abc1234", "/dashboard/overview", "/dashboard/login")) {
      Res res = api.get(route);
      assertThat(res.status()).as(route).isEqualTo(200);
      assertThat(res.body()).as(route).isEqualTo(index);
      assertThat(res.header("Cache-Control")).isEqualTo("no-cache");
    }
  }

  @Test
  void hashedAssetsAreCachedForAYearAndSentGzippedToWhoeverTakesIt() throws IOException {
    Matcher assets = ASSET.matcher(api.get("/dashboard/").body());
    int count = 0;
    while (assets.find()) {
      String path = assets.group(1);
      Bytes plain = api.getBytes(path);
      assertThat(plain.status()).as(path).isEqualTo(200);
      assertThat(plain.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
      assertThat(plain.header("Content-Type"))
          .isIn("text/javascript; charset=utf-8", "text/css; charset=utf-8");
      assertThat(plain.header("Content-Encoding")).isNull();
      assertThat(plain.header("Vary")).isEqualTo("accept-encoding");

      Bytes gzipped = api.getBytes(path, "Accept-Encoding", "gzip, deflate, br");
      assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
      assertThat(gzipped.body().length).isLessThan(plain.body().length);
      try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
        assertThat(in.readAllBytes()).isEqualTo(plain.body());
      }
      assertThat(api.getBytes(path, "Accept-Encoding", "gzip;q=0").header("Content-Encoding"))
          .isNull();
      count++;
    }
    assertThat(count).as("a script and a style sheet").isGreaterThanOrEqualTo(2);
  }

  @Test
  void aMissingFileIsNotFoundAndOnlyGetAndHeadAreAnswered() {
    assertThat(api.get("/dashboard/assets/index-0000000.js").status()).isEqualTo(404);
    assertThat(api.get("/dashboard/nothing.txt").status()).isEqualTo(404);
    Res post = api.post("/dashboard", "{}");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    Res head = api.send("HEAD", "/dashboard/", null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(api.get("/dashboardx").status()).as("not the dashboard").isEqualTo(404);
  }

  @Test
  void gzipIsTakenOnlyWhenNotRefused() {
    assertThat(DashboardRoute.acceptsGzip("gzip")).isTrue();
    assertThat(DashboardRoute.acceptsGzip("br, GZIP;q=0.5")).isTrue();
    assertThat(DashboardRoute.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(DashboardRoute.acceptsGzip("br, deflate")).isFalse();
    assertThat(DashboardRoute.acceptsGzip(null)).isFalse();
  }
}
