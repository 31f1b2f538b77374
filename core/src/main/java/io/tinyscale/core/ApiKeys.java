package io.tinyscale.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * API keys: {@code ts_} followed by 32 random bytes (256 bits) written as 43 base62 digits.
 *
 * <p>Keys are stored as an unsalted SHA-256, not bcrypt. A slow salted hash protects low-entropy
 * secrets such as passwords against guessing; 256 random bits cannot be guessed whatever the hash
 * speed. And a request carries only the key, so the server must find the account by the hash itself
 * ({@code WHERE hash = ?}, one index lookup), which a salted hash makes impossible and a bcrypt per
 * request would make slow.
 */
public final class ApiKeys {

  private static final String SCHEME = "ts_";
  private static final int RANDOM_BYTES = 32;
  // 62^43 > 2^256 > 62^42: the smallest width that holds every 32-byte value.
  private static final int DIGITS = 43;
  private static final int LENGTH = SCHEME.length() + DIGITS;
  // "ts_" + 7 digits: enough to tell keys apart in a listing, far too little to guess the rest.
  private static final int PREFIX_LENGTH = 10;

  private ApiKeys() {}

  public static ApiKey generate() {
    var bytes = new byte[RANDOM_BYTES];
    Secrets.RANDOM.nextBytes(bytes);
    var plaintext = SCHEME + Base62.encode(bytes, DIGITS);
    return new ApiKey(plaintext, hash(plaintext), plaintext.substring(0, PREFIX_LENGTH));
  }

  /** Lower-case hex SHA-256 of the UTF-8 key: 64 characters, the value stored and looked up. */
  public static String hash(String plaintext) {
    try {
      var digest =
          MessageDigest.getInstance("SHA-256").digest(plaintext.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }

  /** Format check, so that garbage bearer tokens are refused without hashing or a query. */
  public static boolean looksLikeKey(String s) {
    return s != null
        && s.length() == LENGTH
        && s.startsWith(SCHEME)
        && Base62.isBase62(s.substring(SCHEME.length()));
  }
}
