package io.tinyscale.core.enrich;

/** Length limits for stored text. */
public final class Texts {

  private Texts() {}

  /** At most {@code max} chars, never ending in half a surrogate pair; null stays null. */
  public static String truncate(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }
}
