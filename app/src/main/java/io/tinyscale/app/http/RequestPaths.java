package io.tinyscale.app.http;

import io.tinyscale.core.Aliases;
import io.vertx.core.http.HttpMethod;
import java.util.Set;

/**
 * What a request must look like before any route or the API gate sees it. Vert.x's router and
 * Quarkus REST match on the normalised path (percent-encoded unreserved characters decoded, dot
 * segments removed), while anything reading the raw path would see another one: a request whose two
 * spellings differ is refused, so every later decision is made on one path.
 */
public final class RequestPaths {
  /** RFC 9110's methods: the only values the {@code method} tag of a metric can take. */
  static final Set<HttpMethod> KNOWN_METHODS =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PUT,
          HttpMethod.DELETE,
          HttpMethod.CONNECT,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.PATCH);

  static final String UNKNOWN_METHOD_DETAIL =
      "TinyScale knows the methods of RFC 9110 and PATCH; it serves GET, HEAD, "
          + "POST, PATCH, DELETE and OPTIONS";
  static final String NON_CANONICAL_DETAIL =
      "send the path as it is meant: no percent-encoded letters, digits, '.', '/' "
          + "or '\\\\', no '.' or '..' segments and no empty segments";

  private RequestPaths() {}

  public static boolean isKnownMethod(HttpMethod method) {
    return KNOWN_METHODS.contains(method);
  }

  static boolean isRedirectMethod(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  /**
   * True when the raw path is the one the router matches on, with no encoded separator the router
   * would leave encoded but a resource might decode ({@code %2F}, {@code %5C}, {@code %2E} in any
   * case) and no empty segment.
   */
  static boolean isCanonical(String raw, String normalised) {
    if (raw == null || !raw.equals(normalised) || raw.contains("//")) {
      return false;
    }
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 < raw.length()) {
        String escape = raw.substring(i + 1, i + 3);
        if (escape.equalsIgnoreCase("2F")
            || escape.equalsIgnoreCase("5C")
            || escape.equalsIgnoreCase("2E")
            || escape.equals("00")) {
          return false;
        }
      }
    }
    return true;
  }

  /** Health probes and metrics: what every role answers. */
  static boolean isOperational(String path) {
    return path.equals("/health")
        || path.startsWith("/health/")
        || path.equals("/metrics")
        || path.equals("/metrics/");
  }

  /** {@code /{code}} or {@code /{code}/}: a short link's address. */
  public static boolean isLinkPath(String path) {
    return Aliases.looksLikeCode(codeOf(path));
  }

  /**
   * {@code /abc1234} and {@code /abc1234/} (as links are often pasted) → {@code abc1234}; else
   * null.
   */
  public static String codeOf(String path) {
    if (path == null || !path.startsWith("/")) {
      return null;
    }
    return path.length() > 1 && path.endsWith("/")
        ? path.substring(1, path.length() - 1)
        : path.substring(1);
  }
}
