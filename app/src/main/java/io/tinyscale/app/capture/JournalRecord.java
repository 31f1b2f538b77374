package io.tinyscale.app.capture;

import io.tinyscale.core.clickstream.ClickEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A click as the journal holds it: a compact binary form written on the event loop, cheaper than
 * the JSON of the Kafka contract ({@code ClickEventJson}), which the shipper writes off it.
 *
 * <pre>byte version, long eventId (2), long urlId, long at (epoch ms),
 * then code, ip, userAgent, referrer: int length (-1: absent) and UTF-8 bytes each</pre>
 *
 * The journal is local to one process and read back by the same version of TinyScale or a newer
 * one; a newer one reads every version it ever wrote.
 */
final class JournalRecord {
  static final byte VERSION = 1;
  private static final int FIXED = 1 + 8 * 4 + 4 * 4;

  private JournalRecord() {}

  static byte[] encode(ClickEvent e) {
    byte[] code = bytes(e.code());
    byte[] ip = bytes(e.ip());
    byte[] userAgent = bytes(e.userAgent());
    byte[] referrer = bytes(e.referrer());
    ByteBuffer out =
        ByteBuffer.allocate(
            FIXED + length(code) + length(ip) + length(userAgent) + length(referrer));
    out.put(VERSION)
        .putLong(e.eventId().getMostSignificantBits())
        .putLong(e.eventId().getLeastSignificantBits())
        .putLong(e.urlId())
        .putLong(e.at().toEpochMilli());
    put(out, code);
    put(out, ip);
    put(out, userAgent);
    put(out, referrer);
    return out.array();
  }

  /** The event, or an {@link IllegalArgumentException} for a record this version cannot read. */
  static ClickEvent decode(byte[] record) {
    try {
      ByteBuffer in = ByteBuffer.wrap(record);
      byte version = in.get();
      if (version != VERSION) {
        throw new IllegalArgumentException("journal record version " + version);
      }
      UUID eventId = new UUID(in.getLong(), in.getLong());
      long urlId = in.getLong();
      Instant at = Instant.ofEpochMilli(in.getLong());
      return new ClickEvent(eventId, string(in), urlId, at, string(in), string(in), string(in));
    } catch (RuntimeException e) {
      throw e instanceof IllegalArgumentException iae
          ? iae
          : new IllegalArgumentException("unreadable journal record: " + e, e);
    }
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static void put(ByteBuffer out, byte[] b) {
    if (b == null) {
      out.putInt(-1);
    } else {
      out.putInt(b.length).put(b);
    }
  }

  private static String string(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
  }
}
