package io.tinyscale.core;

import java.util.Locale;
import java.util.Set;

/**
 * Custom aliases and the shape of anything that may be a short code. Codes live at the root of the
 * URL space ({@code /{code}}), so an alias must never shadow one of the server's own routes.
 */
public final class Aliases {

  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 64;

  // Root-level routes of the server, plus words that would look like one to a visitor.
  // Compared lower-case, because a case-insensitive proxy or a user typing /API would
  // otherwise reach the alias instead of the route.
  private static final Set<String> RESERVED =
      Set.of(
          "api",
          "health",
          "metrics",
          "dashboard",
          "openapi",
          "docs",
          "swagger",
          "swagger-ui",
          "q",
          "static",
          "assets",
          "admin",
          "login",
          "logout",
          "register",
          "auth",
          "stream",
          "robots",
          "favicon",
          "www",
          "null",
          "undefined");

  private Aliases() {}

  public static AliasCheck check(String alias) {
    if (!hasCodeShape(alias)) {
      return new AliasCheck.Invalid(
          "alias must be 3 to 64 characters of A-Z, a-z, 0-9, '_' or '-'");
    }
    if (isReserved(alias)) {
      return new AliasCheck.Invalid("'" + alias + "' is reserved");
    }
    return new AliasCheck.Valid(alias);
  }

  public static boolean isReserved(String word) {
    return word != null && RESERVED.contains(word.toLowerCase(Locale.ROOT));
  }

  /** Cheap gate for the redirect route: anything else is not a link, and never looked up. */
  public static boolean looksLikeCode(String path) {
    return hasCodeShape(path) && !isReserved(path);
  }

  /**
   * 3 to 64 characters of {@code [A-Za-z0-9_-]}: what random codes and aliases are made of. A loop,
   * not a regex: the redirect asks this for every request.
   */
  public static boolean hasCodeShape(String s) {
    if (s == null || s.length() < MIN_LENGTH || s.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean allowed =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || c == '_'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
