package io.tinyscale.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The floor of TinyScale's HTTP stack, for {@code BENCH_PLAIN_VERTX=1 ./tinyscale bench redirect}:
 * the same redirect as TinyScale's (a map of the seeded links, the same status and the same
 * headers, copied from TinyScale's own answer at start) on a bare Vert.x HTTP server with one event
 * loop, and nothing else: no Quarkus, no router, no metrics, no click capture. Measured beside
 * nginx and TinyScale, it splits TinyScale's gap to nginx into what the JVM and Netty/Vert.x cost
 * and what TinyScale adds on top.
 *
 * <pre>
 * java -cp bench/target/tinyscale-bench.jar:bench/target/lib/* io.tinyscale.bench.PlainVertxRedirect PORT LINKS TINYSCALE_URL
 * </pre>
 */
public final class PlainVertxRedirect {
  // the status line (Java's client reports it as ":status"), and what the server sets per response
  // or link
  private static final Set<String> NOT_COPIED =
      Set.of(":status", "location", "content-length", "connection", "date");

  private PlainVertxRedirect() {}

  /** A header, pre-encoded once: TinyScale's constant headers are pre-encoded too. */
  private record Header(CharSequence name, CharSequence value) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: PlainVertxRedirect PORT LINKS TINYSCALE_URL");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int links = Integer.parseInt(args[1]);
    List<Header> headers = headersOf(args[2] + "/b0000001");
    // the links bench/redirect.sh seeds: b0000001 -> https://example.com/p/0000001, ...
    Map<String, String> locations = new HashMap<>(links * 2);
    for (int i = 1; i <= links; i++) {
      String number = "%07d".formatted(i);
      locations.put("b" + number, "https://example.com/p/" + number);
    }
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    vertx
        .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(request -> answer(request, locations, headers))
        .listen()
        .onSuccess(
            server ->
                System.out.println(
                    "plain Vert.x redirect: listening on 127.0.0.1:"
                        + port
                        + ", "
                        + links
                        + " links, headers "
                        + headers.stream().map(h -> h.name().toString()).toList()))
        .onFailure(
            error -> {
              System.err.println("plain Vert.x redirect: " + error);
              System.exit(1);
            });
  }

  /** The headers TinyScale sends with a 302, except those that differ per link or response. */
  private static List<Header> headersOf(String url) throws IOException, InterruptedException {
    HttpResponse<Void> answer;
    try (HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      answer =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding());
    }
    if (answer.statusCode() != 302) {
      throw new IllegalStateException(
          "GET " + url + " answered " + answer.statusCode() + ", expected 302");
    }
    List<Header> headers = new ArrayList<>();
    answer
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_COPIED.contains(name.toLowerCase())) {
                values.forEach(
                    value ->
                        headers.add(
                            new Header(
                                HttpHeaders.createOptimized(name),
                                HttpHeaders.createOptimized(value))));
              }
            });
    return headers;
  }

  private static void answer(
      HttpServerRequest request, Map<String, String> locations, List<Header> headers) {
    String path = request.path();
    String location = path.length() > 1 ? locations.get(path.substring(1)) : null;
    if (location == null) {
      request.response().setStatusCode(404).end();
      return;
    }
    MultiMap out = request.response().headers();
    for (Header header : headers) {
      out.add(header.name(), header.value());
    }
    out.add(HttpHeaders.LOCATION, location);
    request.response().setStatusCode(302).end();
  }
}
