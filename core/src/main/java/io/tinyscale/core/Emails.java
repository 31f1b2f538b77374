package io.tinyscale.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Email addresses as account names. Deliberately a shape check, not RFC 5322: the address is an
 * identifier, so it is lower-cased to make {@code Bob@x.org} and {@code bob@x.org} one account.
 */
public final class Emails {

  // RFC 5321's limit on a forward path, the longest address that can actually receive mail.
  public static final int MAX_LENGTH = 254;

  private Emails() {}

  public static Optional<String> normalise(String email) {
    if (email == null) {
      return Optional.empty();
    }
    var s = email.strip().toLowerCase(Locale.ROOT);
    if (s.isEmpty() || s.length() > MAX_LENGTH || !s.codePoints().allMatch(Emails::allowed)) {
      return Optional.empty();
    }
    int at = s.indexOf('@');
    if (at <= 0 || at != s.lastIndexOf('@')) {
      return Optional.empty();
    }
    var domain = s.substring(at + 1);
    if (!domain.contains(".")
        || domain.startsWith(".")
        || domain.endsWith(".")
        || domain.contains("..")) {
      return Optional.empty();
    }
    return Optional.of(s);
  }

  private static boolean allowed(int cp) {
    return !Character.isISOControl(cp) && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp);
  }
}
