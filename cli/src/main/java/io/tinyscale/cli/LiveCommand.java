package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tinyscale live [CODE]}: clicks printed as they happen, from the API's server-sent event
 * stream, until Ctrl-C. Like a browser's EventSource it resumes after a dropped connection or the
 * server's goodbye with Last-Event-ID, so no click is skipped; what it is doing goes to stderr, the
 * clicks alone to stdout.
 */
final class LiveCommand extends Base {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  /** The id of the last click printed: where a new connection resumes. */
  private String lastId;

  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "live",
            new LiveCommand(),
            new String[] {
              "Print clicks as they happen, until Ctrl-C.",
              "With a code: that link's clicks; without one: the clicks of all your links, links"
                  + " made meanwhile included. A dropped connection resumes after the last click"
                  + " printed. Under --json each click is a line of JSON."
            },
            "tinyscale live hello",
            "tinyscale live",
            "tinyscale live --json | jq -r .country");
    spec.addPositional(Specs.optionalCode());
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    String code = parameter(0);
    String path = code == null ? "/api/stream" : "/api/stream/" + Http.segment(code);
    String what = code == null ? "your links" : "/" + code;
    Api api = api();
    boolean connected = false;
    int attempt = 0;
    while (true) {
      Http.Streamed stream;
      try {
        stream = lastId == null ? api.stream(path) : api.stream(path, "Last-Event-ID", lastId);
      } catch (Failure unreachable) {
        if (!connected) {
          throw unreachable; // a first connection that fails is the user's to fix
        }
        attempt++;
        say("the server is away; trying again in " + retryDelay(attempt).toSeconds() + " s");
        Thread.sleep(retryDelay(attempt));
        continue;
      }
      if (stream.status() != 200) {
        Http.Response refused = stream.whole();
        if (refused.status() != 429 && refused.status() != 503) {
          api.expectOk(refused); // 401, 404, 400: said as one sentence, exit 1
        }
        attempt++;
        Duration delay = retryAfter(refused).orElse(retryDelay(attempt));
        say(api.sentence(refused) + "; trying again in " + delay.toSeconds() + " s");
        Thread.sleep(delay);
        continue;
      }
      connected = true;
      attempt = 0;
      String ended;
      try (var lines = stream.lines()) {
        ended = read(lines.iterator(), what);
      } catch (UncheckedIOException e) {
        ended = "the connection dropped";
      }
      say(ended + "; resuming after the last click");
      Thread.sleep(Duration.ofSeconds(1));
    }
  }

  /** One stream's frames, each click printed as it comes; returns why the stream ended. */
  private String read(Iterator<String> lines, String what) {
    String event = null;
    String id = null;
    List<String> data = new ArrayList<>();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if ("click".equals(event) && !data.isEmpty()) {
          String json = String.join("\n", data);
          out().println(json() ? json : line(Json.parse(json), zone()));
          out().flush();
          lastId = id == null ? lastId : id;
        } else if ("shutdown".equals(event)) {
          return "the server is shutting down";
        } else if ("overflow".equals(event)) {
          return "the clicks came faster than they were read";
        }
        event = null;
        id = null;
        data.clear();
      } else if (line.equals(": ready")) {
        say("waiting for clicks on " + what + " (Ctrl-C stops)");
      } else if (line.startsWith("event:")) {
        event = value(line);
      } else if (line.startsWith("id:")) {
        id = value(line);
      } else if (line.startsWith("data:")) {
        data.add(value(line));
      }
    }
    return "the server ended the stream";
  }

  /** {@code 21:15:10 /hello US Firefox on Linux Desktop from news.example.org bot} */
  static String line(JsonNode click, ZoneId zone) {
    String at;
    try {
      at = OffsetDateTime.parse(Json.text(click, "clickedAt")).atZoneSameInstant(zone).format(TIME);
    } catch (DateTimeParseException | NullPointerException e) {
      at = "--:--:--";
    }
    String browser = or(Json.text(click, "browser"), "unknown browser");
    String os = Json.text(click, "os");
    String referrer = Json.text(click, "referrerHost");
    return String.join(
            "  ",
            at,
            "/" + or(Json.text(click, "code"), "?"),
            or(Json.text(click, "country"), "--"),
            os == null ? browser : browser + " on " + os,
            or(Json.text(click, "device"), "unknown device"),
            referrer == null ? "direct" : "from " + referrer)
        + (click.path("bot").asBoolean() ? "  bot" : "");
  }

  private void say(String message) {
    err().println("live: " + message);
    err().flush();
  }

  private static String value(String line) {
    String value = line.substring(line.indexOf(':') + 1);
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  private static String or(String value, String otherwise) {
    return value == null ? otherwise : value;
  }

  /** 1, 2, 4… seconds, at most 30. */
  static Duration retryDelay(int attempt) {
    long seconds = 1L << Math.min(5, Math.max(0, attempt - 1));
    return Duration.ofSeconds(Math.min(MAX_WAIT.toSeconds(), seconds));
  }

  private static Optional<Duration> retryAfter(Http.Response refused) {
    try {
      String value = refused.header("Retry-After");
      return value == null
          ? Optional.empty()
          : Optional.of(
              Duration.ofSeconds(
                  Math.clamp(Long.parseLong(value.strip()), 1, MAX_WAIT.toSeconds())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
