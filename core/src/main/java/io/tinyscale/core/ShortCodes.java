package io.tinyscale.core;

/**
 * Random short codes. 62^7 ≈ 3.5 * 10^12 codes: enough that a collision on insert (retried by the
 * caller) is rare for billions of links, and unpredictable so that codes cannot be enumerated from
 * one another.
 */
public final class ShortCodes {

  public static final int LENGTH = 7;

  private ShortCodes() {}

  /** A new code of {@link #LENGTH} base62 characters; uniqueness is the database's job. */
  public static String random() {
    return Base62.random(Secrets.RANDOM, LENGTH);
  }
}
