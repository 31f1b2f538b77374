package io.tinyscale.bench;

import static io.tinyscale.bench.Bench.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * JSON over HTTP/1.1 with the JDK's client, one keep-alive connection at a time: the app's API
 * (with an API key, when given) and the OpenSearch node's REST API. Redirects are not followed.
 */
final class JsonHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** An answer, and how long it took from sending the request to having read the body. */
  record Answer(int status, String body, HttpHeaders headers, long nanos) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    double millis() {
      return nanos / 1e6;
    }
  }

  private final String base;
  private final String apiKey;

  /** {@code base} without a trailing slash; {@code apiKey} null for none. */
  JsonHttp(String base, String apiKey) {
    this.base = base.replaceAll("/+$", "");
    this.apiKey = apiKey;
  }

  /** A request to {@code path}, with the API key when there is one. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return request;
  }

  Answer send(HttpRequest request) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(), response.body(), response.headers(), System.nanoTime() - started);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  Answer get(String path) {
    return send(request(path).GET().build());
  }

  Answer delete(String path) {
    return send(request(path).DELETE().build());
  }

  /** POST of {@code body} as JSON (a string is sent as it is). */
  Answer post(String path, Object body) {
    String json;
    try {
      json = body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /**
   * The answer's JSON; fails, saying what was asked and answered, unless its status is expected.
   */
  static JsonNode expect(Answer answer, String what, int... statuses) {
    if (Arrays.stream(statuses).noneMatch(s -> s == answer.status())) {
      fail(what + " answered " + answer.status() + ": " + abbreviate(answer.body()));
    }
    return answer.body().isEmpty() ? JSON.nullNode() : answer.json();
  }

  static String abbreviate(String body) {
    return body.length() <= 500 ? body : body.substring(0, 500) + "…";
  }
}
