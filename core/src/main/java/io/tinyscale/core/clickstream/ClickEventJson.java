package io.tinyscale.core.clickstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * The click event on the wire (Kafka value, spool line), version 1:
 *
 * <pre>{"v":1,"eventId":"0190…","code":"abc1234","urlId":42,"at":1767225600123,
 *  "ip":"203.0.113.0","userAgent":"Mozilla/5.0 …","referrer":"https://news.example/…"}</pre>
 *
 * {@code at} is epoch milliseconds; {@code ip}, {@code userAgent} and {@code referrer} may be
 * absent. Readers ignore fields they do not know and refuse a version they do not know, so a field
 * can be added without a new version, and a breaking change gets one. JSON rather than Avro: a dead
 * letter or a spool file can be read with any tool, and no schema registry has to run; the price
 * (size, encoding time) is measured in docs/benchmarks.md. Streaming Jackson, no reflection: this
 * runs for every click.
 */
public final class ClickEventJson {
  private static final JsonFactory JSON = new JsonFactory();

  private ClickEventJson() {}

  /** One event, with an encoder of its own; the shipper keeps an {@link Encoder} instead. */
  public static byte[] encode(ClickEvent e) {
    try (Encoder encoder = new Encoder()) {
      return encoder.encode(e);
    }
  }

  /**
   * Encodes event after event with one generator and one buffer, for a single thread (the click
   * shipper): a generator per event, with its context, buffers and output stream, made most of the
   * encoding's allocations.
   */
  public static final class Encoder implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private JsonGenerator g;

    public byte[] encode(ClickEvent e) {
      boolean written = false;
      try {
        if (g == null) {
          g = JSON.createGenerator(out);
          g.setRootValueSeparator(null); // each event is a document of its own
        }
        g.writeStartObject();
        g.writeNumberField("v", ClickEvent.SCHEMA_VERSION);
        g.writeStringField("eventId", e.eventId().toString());
        g.writeStringField("code", e.code());
        g.writeNumberField("urlId", e.urlId());
        g.writeNumberField("at", e.at().toEpochMilli());
        if (e.ip() != null) {
          g.writeStringField("ip", e.ip());
        }
        if (e.userAgent() != null) {
          g.writeStringField("userAgent", e.userAgent());
        }
        if (e.referrer() != null) {
          g.writeStringField("referrer", e.referrer());
        }
        g.writeEndObject();
        g.flush();
        written = true;
        return out.toByteArray();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      } finally {
        if (!written) {
          g = null; // a generator left inside an object cannot start the next event
        }
        out.reset();
      }
    }

    /** Hands the generator's buffers back to Jackson's pool. */
    @Override
    public void close() {
      if (g != null) {
        try {
          g.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /**
   * Parses one event; throws {@link InvalidClickEvent} for anything that is not a valid v1 event.
   */
  public static ClickEvent decode(byte[] bytes) {
    if (bytes == null) {
      throw new InvalidClickEvent("empty record");
    }
    Integer version = null;
    String eventId = null, code = null, ip = null, userAgent = null, referrer = null;
    Long urlId = null, at = null;
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidClickEvent("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "v" -> version = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null;
          case "eventId" -> eventId = p.getValueAsString();
          case "code" -> code = p.getValueAsString();
          case "urlId" -> urlId = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
          case "at" -> at = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
          case "ip" -> ip = p.getValueAsString();
          case "userAgent" -> userAgent = p.getValueAsString();
          case "referrer" -> referrer = p.getValueAsString();
          default -> p.skipChildren();
        }
      }
    } catch (IOException ex) {
      throw new InvalidClickEvent("not JSON: " + ex.getMessage());
    }
    if (version == null || version != ClickEvent.SCHEMA_VERSION) {
      throw new InvalidClickEvent("unknown event version " + version);
    }
    if (eventId == null || code == null || urlId == null || at == null) {
      throw new InvalidClickEvent("eventId, code, urlId and at are required");
    }
    try {
      return new ClickEvent(
          UUID.fromString(eventId), code, urlId, Instant.ofEpochMilli(at), ip, userAgent, referrer);
    } catch (IllegalArgumentException ex) {
      throw new InvalidClickEvent("bad eventId: " + ex.getMessage());
    }
  }

  /** A record that can never become a click, however often it is retried. */
  public static final class InvalidClickEvent extends RuntimeException {
    public InvalidClickEvent(String message) {
      super(message, null, false, false);
    }
  }
}
