package io.tinyscale.core.enrich;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Reduces a {@code Referer} header to the host it names: {@code
 * https://www.Google.com:443/search?q=x} → {@code google.com}. The path and query are dropped
 * because they can carry personal data (search terms, session ids) and because "top referrers" is a
 * question about sites, not pages.
 *
 * <p>Rules: only {@code http} and {@code https} URLs count (an {@code android-app://} or {@code
 * file:} referrer, a bare word or a malformed URL give {@code null}); the host is lower-cased, its
 * port and a trailing dot are dropped, and one leading {@code www.} is dropped so that {@code
 * www.example.com} and {@code example.com} count as one referrer (unless nothing but a top-level
 * domain would remain: {@code www.com} stays; other subdomains are kept: {@code news.example.com}
 * is a different site). Browsers send hosts in ASCII (punycode); a host that is not valid ASCII URI
 * syntax gives {@code null}.
 */
public final class Referrers {

  private static final int MAX_URL_LENGTH = 4096;
  private static final int MAX_HOST_LENGTH = 253;

  private Referrers() {}

  /** The referring host, or {@code null} when {@code referrer} is blank, invalid or not http(s). */
  public static String host(String referrer) {
    if (referrer == null || referrer.isBlank() || referrer.length() > MAX_URL_LENGTH) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(referrer.strip());
    } catch (URISyntaxException invalid) {
      return null;
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return null;
    }
    String host = uri.getHost();
    if (host == null) {
      return null;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.startsWith("www.") && host.indexOf('.', 4) > 0) {
      host = host.substring(4);
    }
    return host.isEmpty() || host.length() > MAX_HOST_LENGTH ? null : host;
  }
}
