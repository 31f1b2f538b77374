package io.tinyscale.cli;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The server's ISO-8601 instants, shown to the minute in the user's time zone. */
final class Times {
  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private Times() {}

  /**
   * {@code 2026-11-20T09:30:12.5Z} → {@code 2026-11-20 10:30} in Europe/Paris; null → {@code
   * absent}.
   */
  static String show(String iso, ZoneId zone, String absent) {
    if (iso == null) {
      return absent;
    }
    try {
      return OffsetDateTime.parse(iso).atZoneSameInstant(zone).format(MINUTES);
    } catch (DateTimeParseException e) {
      return iso;
    }
  }
}
