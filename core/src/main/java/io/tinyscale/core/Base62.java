package io.tinyscale.core;

import java.math.BigInteger;
import java.util.Random;

/** The 0-9A-Za-z alphabet shared by short codes and API keys. */
final class Base62 {

  static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private static final BigInteger BASE = BigInteger.valueOf(62);

  private Base62() {}

  /**
   * Draws {@code length} uniformly distributed symbols. A byte modulo 62 would favour the first
   * eight symbols (256 = 4 * 62 + 8), so each byte is masked to 6 bits (uniform over 0..63) and the
   * two values 62 and 63 are thrown away.
   */
  static String random(Random random, int length) {
    var out = new StringBuilder(length);
    // 1/32 of the draws are rejected: one spare byte per 8 symbols almost always suffices.
    var bytes = new byte[length + length / 8 + 2];
    while (out.length() < length) {
      random.nextBytes(bytes);
      for (int i = 0; i < bytes.length && out.length() < length; i++) {
        int v = bytes[i] & 0x3f;
        if (v < 62) {
          out.append(ALPHABET.charAt(v));
        }
      }
    }
    return out.toString();
  }

  /** Big-endian base62 of an unsigned number, left-padded with '0' to {@code width}. */
  static String encode(byte[] unsignedBigEndian, int width) {
    var n = new BigInteger(1, unsignedBigEndian);
    var digits = new char[width];
    for (int i = width - 1; i >= 0; i--) {
      var qr = n.divideAndRemainder(BASE);
      digits[i] = ALPHABET.charAt(qr[1].intValue());
      n = qr[0];
    }
    if (n.signum() != 0) {
      throw new IllegalArgumentException("value needs more than " + width + " base62 digits");
    }
    return new String(digits);
  }

  static boolean isBase62(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
