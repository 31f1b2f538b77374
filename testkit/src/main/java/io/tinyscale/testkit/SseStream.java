package io.tinyscale.testkit;

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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A server-sent-events client for tests: opens a stream, reads its frames on a thread of its own,
 * and lets a test wait for what it expects (with {@link Waits}' deadline). A frame is an event
 * ({@code event}, {@code id}, {@code data}) or a comment ({@code : ready}).
 */
public final class SseStream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One frame: an event, or a comment (then {@code event} is null). */
  public record Frame(String event, String id, String data, String comment) {
    public boolean isComment() {
      return comment != null;
    }

    public JsonNode json() {
      try {
        return JSON.readTree(data);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + data, e);
      }
    }
  }

  private final int status;
  private final HttpHeaders headers;
  private final Stream<String> lines;
  private final Iterator<String> next;
  private final List<Frame> frames = new ArrayList<>();
  private final StringBuilder body = new StringBuilder();
  private volatile boolean ended;

  private SseStream(HttpResponse<Stream<String>> response) {
    this.status = response.statusCode();
    this.headers = response.headers();
    this.lines = response.body();
    this.next = lines.iterator(); // before the test may close the stream
    Thread.ofPlatform().daemon().name("sse-test-reader").start(this::read);
  }

  /**
   * Opens {@code url} (headers as name, value pairs); returns once the head has arrived (a server's
   * first stream sends it once its feed has started: seconds, more on a busy machine).
   */
  public static SseStream open(String url, String... headers) {
    return open(CLIENT, url, headers);
  }

  /** The same, over {@code client} (one that trusts a test's TLS certificate, say). */
  public static SseStream open(HttpClient client, String url, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return new SseStream(
          client
              .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
              .get(60, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("no answer from " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return status;
  }

  public String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  /** The whole body read so far, as text (for an error's problem document). */
  public synchronized String body() {
    return body.toString();
  }

  /** Every frame so far, in order. */
  public synchronized List<Frame> frames() {
    return List.copyOf(frames);
  }

  /** The events named {@code name} so far, in order. */
  public List<Frame> events(String name) {
    return frames().stream().filter(f -> name.equals(f.event())).toList();
  }

  /** Whether the server has ended the stream. */
  public boolean ended() {
    return ended;
  }

  /** Waits until {@code count} events named {@code name} have arrived; returns them all. */
  public List<Frame> awaitEvents(String name, int count) {
    Waits.until(
        count + " " + name + " events",
        () -> events(name).size() >= count,
        () -> "(" + events(name).size() + " arrived: " + frames() + ")");
    return events(name);
  }

  /** Waits until a frame matching {@code what} has arrived. */
  public Frame await(String description, Predicate<Frame> what) {
    Waits.until(description, () -> frames().stream().anyMatch(what), () -> "(" + frames() + ")");
    return frames().stream().filter(what).findFirst().orElseThrow();
  }

  /** Waits until the server has ended the stream. */
  public void awaitEnd() {
    Waits.until("the end of the stream", this::ended, () -> "(" + frames() + ")");
  }

  @Override
  public void close() {
    lines.close(); // cancels the exchange: the connection is closed
  }

  private void read() {
    String event = null;
    String id = null;
    StringBuilder data = null;
    String comment = null;
    try {
      while (next.hasNext()) {
        String line = next.next();
        synchronized (this) {
          body.append(line).append('\n');
        }
        if (line.isEmpty()) {
          if (event != null || data != null || comment != null) {
            Frame frame = new Frame(event, id, data == null ? null : data.toString(), comment);
            synchronized (this) {
              frames.add(frame);
            }
          }
          event = id = comment = null;
          data = null;
        } else if (line.startsWith(":")) {
          comment = line.substring(1).strip();
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
          switch (field) {
            case "event" -> event = value;
            case "id" -> id = value;
            case "data" ->
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {}
          }
        }
      }
    } catch (RuntimeException e) {
      // closed by the test, or cut by the server
    } finally {
      ended = true;
    }
  }
}
