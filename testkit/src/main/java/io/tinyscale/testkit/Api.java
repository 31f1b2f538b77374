package io.tinyscale.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** A small HTTP client for the tests: no redirects followed, JSON in and out. */
public final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final String base;

  public Api(String base) {
    this(
        base,
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build());
  }

  /** The same, over {@code client} (one that trusts a test's TLS certificate, say). */
  public Api(String base, HttpClient client) {
    this.base = base.replaceAll("/+$", "");
    this.client = client;
  }

  public record Res(
      int status, java.net.http.HttpHeaders headers, String body, HttpClient.Version version) {
    public Res(int status, java.net.http.HttpHeaders headers, String body) {
      this(status, headers, body, HttpClient.Version.HTTP_1_1);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }
  }

  public Res send(String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    boolean hasType = false;
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
      hasType |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (body != null && !hasType) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
    return new Res(response.statusCode(), response.headers(), response.body(), response.version());
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return client.send(request.build(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * GET with the request target sent as it is: java.net.http refuses one that is not a valid URI.
   */
  public Res rawGet(String target, String... headers) {
    return raw("GET", target, null, headers);
  }

  /**
   * Any method and request target, sent byte for byte as given: java.net.http refuses some targets
   * and methods, and a client's normalisation would hide what the server does with them.
   */
  public Res raw(String method, String target, String body, String... headers) {
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(20_000);
      StringBuilder request =
          new StringBuilder(
              method
                  + " "
                  + target
                  + " HTTP/1.1\r\nHost: "
                  + uri.getHost()
                  + "\r\nConnection: close\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        request
            .append("Content-Type: application/json\r\nContent-Length: ")
            .append(content.length)
            .append("\r\n");
      }
      request.append("\r\n");
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(content);
      String[] response =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .split("\r\n\r\n", 2);
      String[] lines = response[0].split("\r\n");
      Map<String, List<String>> answered = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        answered
            .computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
      return new Res(
          Integer.parseInt(lines[0].split(" ")[1]),
          java.net.http.HttpHeaders.of(answered, (name, value) -> true),
          response.length > 1 ? response[1] : "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Res get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  /** A binary answer (an image, say). */
  public record Bytes(int status, java.net.http.HttpHeaders headers, byte[] body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** A GET whose answer is kept as bytes. */
  public Bytes getBytes(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Bytes(response.statusCode(), response.headers(), response.body());
  }

  public Res post(String path, String body, String... headers) {
    return send("POST", path, body, headers);
  }

  public Res patch(String path, String body, String... headers) {
    return send("PATCH", path, body, headers);
  }

  public Res delete(String path, String... headers) {
    return send("DELETE", path, null, headers);
  }

  /**
   * A user with its API key. {@code ip} is a fresh client address (sent as X-Forwarded-For from a
   * trusted proxy).
   */
  public record User(String email, String apiKey, String ip) {
    public String[] auth(String... more) {
      String[] h = new String[more.length + 2];
      h[0] = "Authorization";
      h[1] = "Bearer " + apiKey;
      System.arraycopy(more, 0, h, 2, more.length);
      return h;
    }
  }

  /** A new link of {@code who}'s to {@code url}; its code. */
  public String shorten(User who, String url) {
    Res res = post("/api/shorten", json("url", url), who.auth());
    if (res.status() != 201) {
      throw new AssertionError("shorten failed: " + res.status() + " " + res.body());
    }
    return res.json().get("code").asText();
  }

  public static String randomIp() {
    var r = java.util.concurrent.ThreadLocalRandom.current();
    return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  public User register() {
    return register("user-" + UUID.randomUUID() + "@example.com");
  }

  public User register(String email) {
    String ip = randomIp();
    Res res =
        post(
            "/api/auth/register",
            "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}",
            "X-Forwarded-For",
            ip);
    if (res.status() != 201) {
      throw new AssertionError("register failed: " + res.status() + " " + res.body());
    }
    return new User(email, res.json().get("apiKey").asText(), ip);
  }

  /**
   * A value of {@code /metrics}: {@code series} is a name with its labels, e.g. {@code x_total} or
   * {@code x{group="g"}}.
   */
  public double metric(String series) {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + series);
  }

  /** One named check of {@code /health/ready}, e.g. {@code postgres} or {@code kafka}. */
  public JsonNode check(String name) {
    for (JsonNode c : get("/health/ready").json().get("checks")) {
      if (name.equals(c.get("name").asText())) {
        return c;
      }
    }
    throw new AssertionError("no " + name + " check in /health/ready");
  }

  /**
   * One named check of {@code /api/admin/health}, with its details, e.g. {@code postgres} or {@code
   * consumers}.
   */
  public JsonNode check(String name, User admin) {
    Res health = get("/api/admin/health", admin.auth());
    if (health.status() != 200) {
      throw new AssertionError("GET /api/admin/health → " + health.status() + " " + health.body());
    }
    for (JsonNode c : health.json().get("checks")) {
      if (name.equals(c.get("name").asText())) {
        return c;
      }
    }
    throw new AssertionError("no " + name + " check in /api/admin/health");
  }

  public static String json(Object... pairs) {
    var node = JSON.createObjectNode();
    for (int i = 0; i < pairs.length; i += 2) {
      node.set((String) pairs[i], JSON.valueToTree(pairs[i + 1]));
    }
    return node.toString();
  }
}
