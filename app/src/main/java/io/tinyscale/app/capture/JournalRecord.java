package io.tinyscale.app.capture;

import io.tinyscale.core.clickstream.ClickEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
public final class JournalRecord {
  static final byte VERSION = 1;
  private static final int FIXED = 1 + 8 * 4 + 4 * 4;
  // big-endian, as ByteBuffer reads them back in decode
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private JournalRecord() {}

  public static byte[] encode(ClickEvent e) {
    byte[] code = bytes(e.code());
    byte[] ip = bytes(e.ip());
    byte[] userAgent = bytes(e.userAgent());
    byte[] referrer = bytes(e.referrer());
    // one array written in place: this runs on the event loop for every click
    byte[] out = new byte[FIXED + length(code) + length(ip) + length(userAgent) + length(referrer)];
    out[0] = VERSION;
    LONG.set(out, 1, e.eventId().getMostSignificantBits());
    LONG.set(out, 9, e.eventId().getLeastSignificantBits());
    LONG.set(out, 17, e.urlId());
    LONG.set(out, 25, e.at().toEpochMilli());
    int at = put(out, 33, code);
    at = put(out, at, ip);
    at = put(out, at, userAgent);
    put(out, at, referrer);
    return out;
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

  /** Writes {@code b} with its length at {@code at}; returns where the next field starts. */
  private static int put(byte[] out, int at, byte[] b) {
    INT.set(out, at, b == null ? -1 : b.length);
    if (b == null) {
      return at + 4;
    }
    System.arraycopy(b, 0, out, at + 4, b.length);
    return at + 4 + b.length;
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
