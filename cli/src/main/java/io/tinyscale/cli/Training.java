package io.tinyscale.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The training run for the client's AOT cache ({@code java -XX:AOTCacheOutput=… -cp
 * tinyscale-cli.jar io.tinyscale.cli.Training}, as ./tinyscale does once per build) or class-data
 * archive ({@code -XX:ArchiveClassesAtExit=…}). It runs the usual commands, answers and errors
 * against a stand-in server in this JVM, so that the cache holds what real runs load and link,
 * whichever command happens to come first after a build.
 */
public final class Training {
  private static final String LINK =
      "{\"code\":\"hi\",\"shortUrl\":\"http://127.0.0.1/hi\",\"url\":\"https://example.com\","
          + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":null,\"redirectType\":302,\"disabled\":false}";
  private static final Map<String, String> ANSWERS =
      Map.of(
          "/health/ready",
          "{\"status\":\"UP\",\"checks\":[{\"name\":\"postgres\",\"status\":\"UP\"}]}",
          "/api/shorten",
          LINK,
          "/api/links",
          "{\"items\":[" + LINK + "],\"page\":0,\"size\":20,\"total\":1}",
          "/api/stats/hi",
          "{\"code\":\"hi\",\"url\":\"https://example.com\",\"totalClicks\":1,\"humanClicks\":1,"
              + "\"botClicks\":0,\"lastClickAt\":\"2026-01-01T00:00:00Z\",\"last24h\":[{\"start\":\"2026-01-01T00:00:00Z\",\"count\":1}]}",
          "/api/analytics/hi",
          "{\"source\":\"opensearch\",\"interval\":\"hour\",\"timeZone\":\"UTC\",\"from\":\"2026-01-01T00:00:00Z\","
              + "\"to\":\"2026-01-01T01:00:00Z\",\"buckets\":[{\"start\":\"2026-01-01T00:00:00Z\",\"count\":1}]}");
  private static final String PROBLEM =
      "{\"type\":\"urn:tinyscale:problem:validation\",\"title\":\"The request is not valid\","
          + "\"status\":400,\"errors\":[{\"field\":\"url\",\"message\":\"must be http or https\"}]}";

  private Training() {}

  public static void main(String[] args) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", Training::answer);
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      for (List<String> command :
          List.of(
              List.of("health"),
              List.of("shorten", "https://example.com", "--expires", "7d"),
              List.of("shorten", "x", "--json"),
              List.of("links"),
              List.of("stats", "hi"),
              List.of("analytics", "hi"),
              List.of("delete", "nope"),
              List.of("links", "--server", "http://127.0.0.1:1"),
              List.of("shorten", "--help"))) {
        run(url, command.toArray(String[]::new));
      }
    } finally {
      server.stop(0);
    }
  }

  private static void run(String url, String... args) {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    Environment env =
        new Environment(
            Map.of("TINYSCALE_URL", url, "TINYSCALE_API_KEY", "ts_training"),
            new ByteArrayInputStream(new byte[0]),
            nowhere,
            nowhere,
            Optional::empty);
    CommandLine cli = Tinyscale.commandLine(env, args);
    cli.execute(args);
    ((Tinyscale) cli.getCommand()).close();
  }

  private static void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body = ANSWERS.get(path);
    boolean bad =
        exchange.getRequestMethod().equals("POST")
            && path.equals("/api/shorten")
            && new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                .contains("\"url\":\"x\"");
    int status = bad ? 400 : body != null ? 200 : 404;
    byte[] bytes =
        (bad
                ? PROBLEM
                : body != null
                    ? body
                    : "{\"type\":\"urn:tinyscale:problem:link-not-found\",\"title\":\"No such short link\",\"status\":404}")
            .getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
