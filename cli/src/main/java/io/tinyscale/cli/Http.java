package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * HTTP/1.1 to one server; any failure to get an answer becomes an "unreachable" {@link Failure}.
 */
final class Http implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** An answer, whatever its status. */
  record Response(int status, HttpHeaders headers, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonNode json() {
      return Json.parse(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    List<String> headers(String name) {
      return headers.allValues(name);
    }
  }

  private final URI server;
  private final String userAgent;
  private HttpClient client;

  Http(URI server, String userAgent) {
    this.server = server;
    this.userAgent = userAgent;
  }

  URI server() {
    return server;
  }

  /**
   * Sends one request.
   *
   * @param headers name, value, name, value…
   */
  Response send(String method, String path, JsonNode body, String... headers) {
    HttpRequest.Builder request =
        request(path, "application/json", headers).timeout(REQUEST_TIMEOUT);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(Json.write(body)));
    HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers(), response.body());
  }

  /** A GET of a file (an image): its bytes when the answer is 2xx, else the answer as text. */
  Download download(String path, String... headers) {
    HttpResponse<byte[]> response =
        exchange(
            request(path, "*/*", headers).timeout(REQUEST_TIMEOUT).GET(),
            HttpResponse.BodyHandlers.ofByteArray());
    return new Download(
        new Response(
            response.statusCode(),
            response.headers(),
            response.statusCode() / 100 == 2
                ? ""
                : new String(response.body(), StandardCharsets.UTF_8)),
        response.body());
  }

  /** A downloaded file and the answer it came in. */
  record Download(Response response, byte[] bytes) {}

  /** A request without a time limit of its own: each caller sets what suits its answer. */
  private HttpRequest.Builder request(String path, String accept, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path))
            .header("Accept", accept)
            .header("User-Agent", userAgent);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request;
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return client().send(request.build(), body);
    } catch (IOException e) {
      throw Failure.unreachable(
          "cannot reach "
              + server
              + " ("
              + why(e)
              + "): is it running? Start one with"
              + " './tinyscale up', or point --server or TINYSCALE_URL at yours",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failure.unreachable("interrupted while waiting for " + server, e);
    }
  }

  /**
   * A GET whose answer is read line by line as it comes (a server-sent event stream): no time limit
   * once the answer has begun. The caller closes the lines.
   *
   * @param headers name, value, name, value…
   */
  Streamed stream(String path, String... headers) {
    HttpResponse<java.util.stream.Stream<String>> response =
        exchange(
            request(path, "text/event-stream", headers).GET(), HttpResponse.BodyHandlers.ofLines());
    return new Streamed(response.statusCode(), response.headers(), response.body());
  }

  /** A streamed answer: its lines are read while they arrive. */
  record Streamed(int status, HttpHeaders headers, java.util.stream.Stream<String> lines) {
    /** The whole answer, read to its end: for an answer that is not the stream. */
    Response whole() {
      try (lines) {
        return new Response(status, headers, String.join("\n", lines.toList()));
      }
    }
  }

  /**
   * Stops the client's selector thread. Call it before exiting: the JVM waits up to 300 ms at exit
   * for threads blocked in native code, such as that thread in epoll_wait.
   */
  @Override
  public void close() {
    if (client != null) {
      client.shutdownNow();
    }
  }

  private HttpClient client() {
    if (client == null) {
      HttpClient.Builder builder =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(CONNECT_TIMEOUT)
              .followRedirects(HttpClient.Redirect.NEVER);
      if ("http".equalsIgnoreCase(server.getScheme())) {
        builder.sslContext(NoTls.context());
      }
      client = builder.build();
    }
    return client;
  }

  /**
   * The path with a query string of the given names and values ({@code name, value, …}), each value
   * percent-encoded; a null value leaves its name out.
   */
  static String query(String path, String... namesAndValues) {
    StringBuilder out = new StringBuilder(path);
    char separator = '?';
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String value = namesAndValues[i + 1];
      if (value != null) {
        out.append(separator)
            .append(namesAndValues[i])
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        separator = '&';
      }
    }
    return out.toString();
  }

  /** One path segment, percent-encoded: a code or id typed by a person may hold anything. */
  static String segment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static String why(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return "unknown host";
      }
    }
    return switch (e) {
      case HttpConnectTimeoutException ignored ->
          "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
      case HttpTimeoutException ignored -> "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
      case ConnectException ignored -> "connection refused";
      case SSLException ssl -> "TLS failed: " + ssl.getMessage();
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }
}
