package io.tinyscale.app.http;

/**
 * Request data made safe for a log line: control characters (a CR or LF would start a forged line)
 * written as {@code \\uXXXX}, and the length bounded.
 */
public final class LogText {
  private static final int MAX_LENGTH = 300;

  private LogText() {}

  public static String of(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
    for (int i = 0; i < text.length() && safe.length() < MAX_LENGTH; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        safe.append(String.format("\\u%04x", (int) c));
      } else {
        safe.append(c);
      }
    }
    return safe.length() < MAX_LENGTH || text.length() <= MAX_LENGTH ? safe.toString() : safe + "…";
  }
}
