package io.tinyscale.app.live;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tinyscale.core.enrich.EnrichedClick;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The live stream on the wire (DESIGN.md, "SSE"): a {@code : ready} comment once the stream is
 * positioned, {@code event: click} with the event id as {@code id:} and the enriched click as
 * camelCase JSON, heartbeat comments, and the two farewells, {@code overflow} and {@code shutdown}.
 * The farewells carry data because a browser's EventSource dispatches no event without any.
 */
final class Frames {
  static final String MEDIA_TYPE = "text/event-stream";

  static final Buffer READY = Buffer.buffer(": ready\n\n");
  static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");
  static final Buffer OVERFLOW =
      Buffer.buffer(
          "event: overflow\ndata: {\"detail\":\"this client read more slowly than its clicks"
              + " arrived; reconnect with Last-Event-ID to resume\"}\n\n");
  static final Buffer SHUTDOWN =
      Buffer.buffer(
          "event: shutdown\ndata: {\"detail\":\"the server is shutting down; reconnect with"
              + " Last-Event-ID to resume\"}\n\n");

  private static final JsonFactory JSON = new JsonFactory();

  private Frames() {}

  /** {@code event: click}, {@code id: <eventId>}, {@code data:} the {@link LiveClick}. */
  static Buffer click(EnrichedClick enriched) {
    LiveClick c = LiveClick.of(enriched);
    StringWriter data = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(data)) {
      g.writeStartObject();
      g.writeStringField("code", c.code());
      g.writeStringField("clickedAt", c.clickedAt().toString());
      g.writeStringField("browser", c.browser());
      g.writeStringField("os", c.os());
      g.writeStringField("device", c.device());
      g.writeStringField("country", c.country());
      g.writeStringField("referrerHost", c.referrerHost());
      g.writeBooleanField("bot", c.bot());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // JSON escapes line breaks inside strings, so the data is one line, as a data: field must be
    return Buffer.buffer("event: click\nid: " + enriched.eventId() + "\ndata: " + data + "\n\n");
  }
}
