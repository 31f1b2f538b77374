package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Db;
import io.tinyscale.testkit.Nginx;
import io.tinyscale.testkit.Replicas;
import io.tinyscale.testkit.SseStream;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The edge proxy (deploy/nginx) for real: Debian's nginx with the repository's configuration in
 * front of two app processes ({@code ./tinyscale up} and a second server on its engines), both
 * trusting 127.0.0.1 as their proxy. HTTP goes to HTTPS; TLS 1.3 with HTTP/2 by ALPN; JSON and
 * dashboard files are compressed; hashed files keep their immutable cache header; nginx's own
 * limits answer 429 with a problem type of their own; live clicks stream through; and a click is
 * recorded under the client's address, not nginx's.
 */
class NginxIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");

  @Test
  void theEdgeProxyInFrontOfTwoServers() throws Exception {
    try (TinyscaleUp up =
        new TinyscaleUp(
            WORK.resolve("nginx"),
            TinyscaleUp.env(
                "TINYSCALE_DB_NAME", "tinyscale_nginx_e2e",
                "TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32",
                "TINYSCALE_BATCH_WINDOW", "PT0.5S"))) {
      try (Replicas second =
              new Replicas(
                  up,
                  WORK.resolve("nginx-second"),
                  1,
                  TinyscaleUp.env("TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32"));
          Nginx nginx =
              new Nginx(WORK.resolve("nginx-proxy"), List.of(up.port, second.ports().getFirst()))) {
        int port = second.ports().getFirst();
        HttpClient h2 = nginx.client(HttpClient.Version.HTTP_2);
        Api edge = new Api(nginx.httpsUrl, h2);

        // http:// answers 301 to the same path on https://
        Res plain = new Api(nginx.httpUrl).get("/abc1234?utm=x");
        assertThat(plain.status()).isEqualTo(301);
        assertThat(plain.header("Location")).isEqualTo(nginx.httpsUrl + "/abc1234?utm=x");

        // TLS: 1.3 by default, 1.2 still; h2 by ALPN; the certificate make-cert.sh made
        assertThat(handshake(nginx, null)).isEqualTo("TLSv1.3 h2");
        assertThat(handshake(nginx, "TLSv1.2")).isEqualTo("TLSv1.2 h2");
        Res health = edge.get("/health/ready");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(health.header("Strict-Transport-Security")).contains("max-age=31536000");
        assertThat(health.headers().allValues("Strict-Transport-Security")).hasSize(1);

        User user = edge.register();
        String code = edge.shorten(user, "https://example.com/through-nginx");
        for (int i = 0; i < 5; i++) {
          edge.shorten(user, "https://example.com/through-nginx/" + i);
        }

        // JSON gzipped by nginx
        Response links = bytes(h2, nginx.httpsUrl + "/api/links", "gzip", user.auth());
        assertThat(links.status).isEqualTo(200);
        assertThat(links.encoding).isEqualTo("gzip");
        assertThat(gunzip(links.body)).contains(code);

        // a hashed dashboard file: immutable, gzipped (by the app) or brotli (by nginx)
        String index = edge.get("/dashboard/").body();
        Matcher asset = Pattern.compile("/dashboard/assets/index-[\\w-]+\\.js").matcher(index);
        assertThat(asset.find()).as("a hashed script in " + index).isTrue();
        Response identity = bytes(h2, nginx.httpsUrl + asset.group(), "identity");
        Response gzip = bytes(h2, nginx.httpsUrl + asset.group(), "gzip");
        Response brotli = bytes(h2, nginx.httpsUrl + asset.group(), "gzip, deflate, br");
        for (Response r : List.of(identity, gzip, brotli)) {
          assertThat(r.status).isEqualTo(200);
          assertThat(r.cacheControl).isEqualTo("public, max-age=31536000, immutable");
        }
        assertThat(identity.encoding).isNull();
        assertThat(gzip.encoding).isEqualTo("gzip");
        assertThat(gunzip(gzip.body)).isEqualTo(new String(identity.body));
        assertThat(brotli.encoding).isEqualTo("br");
        assertThat(brotli.body.length).isLessThan(gzip.body.length);

        // nginx's own limits: a flood from one address gets 429 from nginx, told apart from the
        // app's 429 by its problem type
        List<Res> flood = flood(edge, "/" + code, "203.0.113.7", 100);
        assertThat(flood).anyMatch(NginxIT::edgeLimited);
        assertThat(flood).anyMatch(r -> r.status() == 302);
        Res limited = flood.stream().filter(NginxIT::edgeLimited).findFirst().orElseThrow();
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.contentType()).isEqualTo("application/problem+json");
        List<Res> logins = floodPost(edge, "/api/auth/login", "203.0.113.8", 30);
        assertThat(logins).anyMatch(NginxIT::edgeLimited);
        assertThat(edge.get("/" + code, "X-Forwarded-For", "203.0.113.9").status())
            .as("another address is not limited")
            .isEqualTo(302);

        // Prometheus scrapes the servers directly: /metrics is not public
        assertThat(edge.get("/metrics").status()).isEqualTo(404);

        // Live clicks through the proxy, and the client's address on the click. On loopback
        // every client is 127.0.0.1, so the test plays a front proxy nginx trusts (its site/
        // sets set_real_ip_from 127.0.0.1): it says the client is 8.8.8.8. nginx makes that its
        // $remote_addr and sends the app X-Forwarded-For: 8.8.8.8 (its own header, not the
        // client's); the app believes it from 127.0.0.1 (TINYSCALE_TRUSTED_PROXIES) and records
        // 8.8.8.0 (anonymised /24) in the US. Had nginx not passed the client on, the app would
        // record 127.0.0.0 with no country.
        try (SseStream live =
            SseStream.open(h2, nginx.httpsUrl + "/api/stream/" + code, user.auth())) {
          assertThat(live.status()).isEqualTo(200);
          live.await("': ready'", frame -> "ready".equals(frame.comment()));
          Res click =
              edge.get(
                  "/" + code,
                  "X-Forwarded-For",
                  "8.8.8.8",
                  "User-Agent",
                  "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
          assertThat(click.status()).isEqualTo(302);
          SseStream.Frame event =
              live.await(
                  "the click from 8.8.8.8",
                  f -> "click".equals(f.event()) && "US".equals(f.json().path("country").asText()));
          assertThat(event.json().get("code").asText()).isEqualTo(code);
        }
        try (Connection db = up.db()) {
          Waits.untilEquals(
              "the click from 8.8.8.8 stored under its /24",
              1L,
              () ->
                  Db.count(
                      db,
                      "select count(*) from clicks c join urls u on u.id = c.url_id"
                          + " where u.short_code = ? and c.ip_address = '8.8.8.0' and c.country = 'US'",
                      code));
          assertThat(
                  Db.count(
                      db,
                      "select count(*) from clicks c join urls u on u.id = c.url_id"
                          + " where u.short_code = ? and c.ip_address like '127.%'",
                      code))
              .as("no click recorded under nginx's address")
              .isZero();
        }
        assertThat(nginx.log()).contains("upstream=127.0.0.1:" + port);
        assertThat(nginx.log()).contains("upstream=127.0.0.1:" + up.port);
      }
      assertThat(up.stop()).isEmpty();
    }
  }

  private static boolean edgeLimited(Res r) {
    return r.status() == 429
        && r.body().contains("\"type\":\"urn:tinyscale:problem:edge-rate-limited\"");
  }

  /** The negotiated protocol and ALPN of a handshake (limited to {@code protocol} if given). */
  private static String handshake(Nginx nginx, String protocol) throws IOException {
    try (SSLSocket socket =
        (SSLSocket) nginx.tls().getSocketFactory().createSocket("127.0.0.1", nginx.httpsPort)) {
      SSLParameters params = socket.getSSLParameters();
      params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (protocol != null) {
        params.setProtocols(new String[] {protocol});
      }
      socket.setSSLParameters(params);
      socket.startHandshake();
      return socket.getSession().getProtocol() + " " + socket.getApplicationProtocol();
    }
  }

  private record Response(int status, String encoding, String cacheControl, byte[] body) {}

  private static Response bytes(HttpClient client, String url, String encoding, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept-Encoding", encoding);
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Response(
        r.statusCode(),
        r.headers().firstValue("Content-Encoding").orElse(null),
        r.headers().firstValue("Cache-Control").orElse(null),
        r.body());
  }

  private static String gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes());
    }
  }

  /** {@code count} GETs at once from {@code ip} (as the trusted front proxy says). */
  private static List<Res> flood(Api edge, String path, String ip, int count) {
    return atOnce(count, () -> edge.get(path, "X-Forwarded-For", ip));
  }

  /** {@code count} logins at once from {@code ip}. */
  private static List<Res> floodPost(Api edge, String path, String ip, int count) {
    String body = Api.json("email", "nobody@example.com", "password", "wrong password");
    return atOnce(count, () -> edge.post(path, body, "X-Forwarded-For", ip));
  }

  private static List<Res> atOnce(int count, Supplier<Res> request) {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<Res>> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(CompletableFuture.supplyAsync(request, threads));
      }
      return all.stream().map(CompletableFuture::join).toList();
    }
  }
}
