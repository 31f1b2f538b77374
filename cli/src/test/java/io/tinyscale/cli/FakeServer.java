package io.tinyscale.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in TinyScale server: canned answers by "METHOD /path", every request recorded. */
final class FakeServer implements AutoCloseable {
  record Answer(int status, String contentType, String body, Map<String, String> headers) {}

  record Request(
      String method,
      String path,
      String authorization,
      String cookie,
      String lastEventId,
      String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeServer answer(String methodAndPath, int status, String json) {
    return answer(methodAndPath, status, json, Map.of());
  }

  FakeServer answer(String methodAndPath, int status, String json, Map<String, String> headers) {
    String type = status >= 400 ? "application/problem+json" : "application/json";
    answers.put(methodAndPath, new Answer(status, type, json, headers));
    return this;
  }

  Request last() {
    return requests.getLast();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target =
        exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            target,
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("Cookie"),
            exchange.getRequestHeaders().getFirst("Last-Event-ID"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    Answer answer =
        answers.getOrDefault(
            exchange.getRequestMethod() + " " + target,
            new Answer(
                404,
                "application/problem+json",
                "{\"type\":\"urn:tinyscale:problem:not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"no such resource\"}",
                Map.of()));
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] body =
        answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
    if (body.length > 0) {
      exchange.getResponseHeaders().add("Content-Type", answer.contentType());
    }
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
