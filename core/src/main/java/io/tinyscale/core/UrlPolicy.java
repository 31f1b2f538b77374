package io.tinyscale.core;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which long URLs may be shortened, and their normal form. A short link lends this server's name to
 * its target, so the policy errs on the side of refusing: anything a browser could read differently
 * from this code (user-info, backslashes, invisible characters, numeric host tricks) is rejected
 * rather than repaired. The scheme and host are normalised; path, query and fragment are kept as
 * given, because decoding or re-encoding them can change what the target server sees, except that
 * characters outside ASCII are percent-encoded as UTF-8 ("é" → "%C3%A9"): that is what a browser
 * sends for them, and a redirect's {@code Location} header can carry nothing else.
 */
public final class UrlPolicy {

  public static final int MAX_LENGTH = 2048;

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?");
  // WHATWG URL parsers read a host whose last label is a number (decimal, 0x-hex or octal) as
  // an IPv4 address, so "http://2130706433/" is 127.0.0.1 to a browser. Only the plain dotted
  // quad is allowed, so that what is checked here is what the browser will contact.
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
  private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

  private final String ownHost;
  private final Set<String> blockedHosts;

  /**
   * @param ownBaseUrl this server's public base URL; links to its host would redirect in a loop
   * @param blockedHosts hosts that may not be linked to, together with their subdomains
   * @throws IllegalArgumentException when the base URL or a blocked host is malformed: a
   *     configuration error that should stop the start-up
   */
  public UrlPolicy(String ownBaseUrl, Set<String> blockedHosts) {
    Objects.requireNonNull(ownBaseUrl, "ownBaseUrl");
    Objects.requireNonNull(blockedHosts, "blockedHosts");
    try {
      var uri = new URI(ownBaseUrl.strip());
      if (uri.getRawAuthority() == null) {
        throw new IllegalArgumentException("base URL '" + ownBaseUrl + "' has no host");
      }
      this.ownHost = key(split(uri.getRawAuthority()).host());
      var blocked = new HashSet<String>();
      for (var host : blockedHosts) {
        if (host != null && !host.isBlank()) {
          blocked.add(key(normaliseHost(host.strip())));
        }
      }
      this.blockedHosts = Set.copyOf(blocked);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "base URL '" + ownBaseUrl + "' is not a valid URL: " + e.getMessage(), e);
    } catch (Refusal e) {
      throw new IllegalArgumentException("invalid URL policy configuration: " + e.getMessage(), e);
    }
  }

  public UrlCheck check(String input) {
    try {
      return new UrlCheck.Accepted(normalise(input));
    } catch (Refusal e) {
      return new UrlCheck.Rejected(e.getMessage());
    } catch (RuntimeException e) {
      // Defensive: a parser corner case must answer 400, never 500.
      return new UrlCheck.Rejected(
          "the URL could not be read; give an absolute http:// or https:// URL");
    }
  }

  private String normalise(String input) throws Refusal {
    if (input == null || input.isBlank()) {
      throw new Refusal("a URL is required, for example https://example.com/page");
    }
    if (input.length() > MAX_LENGTH) {
      throw new Refusal(
          "the URL is "
              + input.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " are allowed");
    }
    rejectInvisible(input);
    if (input.indexOf('\\') >= 0) {
      // Browsers treat '\' as '/', so "http://evil.com\@good.com" goes to evil.com while
      // a strict parser sees user-info and good.com.
      throw new Refusal("the URL contains a backslash; use '/' or percent-encode it as %5C");
    }
    var schemeMatch = SCHEME.matcher(input);
    if (!schemeMatch.find()) {
      throw new Refusal("the URL must be absolute and start with http:// or https://");
    }
    var scheme = schemeMatch.group(1).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refusal(
          "only http:// and https:// URLs can be shortened, not '" + abbreviate(scheme) + ":'");
    }
    var afterScheme = input.substring(schemeMatch.end());
    if (!afterScheme.startsWith("//")) {
      throw new Refusal("the URL must start with " + scheme + ":// followed by a host");
    }
    int authorityStart = schemeMatch.end() + 2;
    int authorityEnd = authorityEnd(input, authorityStart);
    var authority = input.substring(authorityStart, authorityEnd);
    if (authority.isEmpty()) {
      throw new Refusal("the URL has no host; write it as " + scheme + "://example.com/...");
    }
    // Host and port first: their own messages are more helpful than URI's.
    var hostPort = split(authority);
    URI uri;
    try {
      uri = new URI(input);
    } catch (URISyntaxException e) {
      throw new Refusal(
          "not a valid URL: "
              + e.getReason()
              + " at position "
              + (e.getIndex() + 1)
              + "; percent-encode characters such as spaces, quotes, '<', '>', '{', '}', '|', '^' and '`'");
    }
    if (!authority.equals(uri.getRawAuthority())) {
      // Never store a URL that two parsers read differently.
      throw new Refusal(
          "the host part of the URL is ambiguous; give it as " + scheme + "://host[:port]/path");
    }
    var host = hostPort.host();
    var hostKey = key(host);
    if (hostKey.equals(ownHost)) {
      throw new Refusal(
          "links to "
              + host
              + " are not allowed: it is this shortener's own address,"
              + " and the short link would redirect to itself");
    }
    if (isBlocked(hostKey)) {
      throw new Refusal("links to " + host + " are blocked on this server");
    }
    var url =
        scheme
            + "://"
            + host
            + hostPort.port()
            + percentEncodeNonAscii(input.substring(authorityEnd));
    if (url.length() > MAX_LENGTH) {
      throw new Refusal(
          "the URL is "
              + url.length()
              + " characters long once converted to"
              + " ASCII; at most "
              + MAX_LENGTH
              + " are allowed");
    }
    return url;
  }

  /**
   * Each character outside ASCII as the percent-encoded bytes of its UTF-8 form, the way the WHATWG
   * URL standard serialises a path, query or fragment; no Unicode normalisation, so the bytes are
   * those of the characters given.
   */
  private static String percentEncodeNonAscii(String s) {
    if (s.chars().allMatch(c -> c < 0x80)) {
      return s;
    }
    var hex = HexFormat.of().withUpperCase();
    var out = new StringBuilder(s.length() * 2);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (cp < 0x80) {
        out.append((char) cp);
      } else {
        for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(hex.toHexDigits(b));
        }
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static void rejectInvisible(String input) throws Refusal {
    for (int i = 0; i < input.length(); ) {
      int cp = input.codePointAt(i);
      if (Character.getType(cp) == Character.SURROGATE) {
        throw new Refusal(
            "the URL contains an unpaired UTF-16 surrogate "
                + String.format("U+%04X", cp)
                + " at position "
                + (i + 1)
                + "; it is not a character");
      }
      if (Character.isISOControl(cp)
          || Character.isWhitespace(cp)
          || Character.isSpaceChar(cp)
          || Character.getType(cp) == Character.FORMAT) {
        var what =
            cp == ' '
                ? "a space"
                : "the invisible or control character " + String.format("U+%04X", cp);
        throw new Refusal(
            "the URL contains "
                + what
                + " at position "
                + (i + 1)
                + "; remove it or percent-encode it (a space is %20)");
      }
      i += Character.charCount(cp);
    }
  }

  private static int authorityEnd(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return s.length();
  }

  /** {@code port} is empty or ":" followed by the number. */
  private record HostPort(String host, String port) {}

  private static HostPort split(String authority) throws Refusal {
    if (authority.indexOf('@') >= 0) {
      throw new Refusal(
          "URLs with a user name or password before the host (user:password@host) are not"
              + " allowed: they are a common way to disguise where a link leads");
    }
    String host;
    String port;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new Refusal("the IPv6 address in the URL has no closing ']'");
      }
      host = authority.substring(0, close + 1);
      var rest = authority.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw new Refusal("after an IPv6 address only ':' and a port may follow");
      }
      port = rest.isEmpty() ? "" : rest.substring(1);
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? "" : authority.substring(colon + 1);
    }
    return new HostPort(normaliseHost(host), normalisePort(port));
  }

  private static String normalisePort(String port) throws Refusal {
    if (port.isEmpty()) {
      return ""; // "http://a.com:/" means the default port (RFC 3986 §3.2.3)
    }
    if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Refusal("the port '" + abbreviate(port) + "' is not a number from 1 to 65535");
    }
    int n = Integer.parseInt(port);
    if (n < 1 || n > 65535) {
      throw new Refusal("the port " + n + " is not a number from 1 to 65535");
    }
    return ":" + n;
  }

  private static String normaliseHost(String host) throws Refusal {
    if (host.isEmpty()) {
      throw new Refusal("the URL has no host; write it as https://example.com/...");
    }
    if (host.indexOf('%') >= 0) {
      throw new Refusal("the host must not be percent-encoded; write it in plain letters");
    }
    if (host.startsWith("[")) {
      var inner = host.substring(1, host.length() - 1);
      if (inner.isEmpty()
          || !inner.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        throw new Refusal("'" + abbreviate(host) + "' is not a valid IPv6 address");
      }
      try {
        Inet6Address.ofLiteral(inner); // parses only, no DNS lookup
      } catch (IllegalArgumentException e) {
        throw new Refusal("'" + abbreviate(host) + "' is not a valid IPv6 address");
      }
      return host.toLowerCase(Locale.ROOT);
    }
    // java.net.IDN implements IDNA2003, which maps these to other letters ("faß" -> "fass")
    // where browsers (IDNA2008) keep them: the link would lead to a different host.
    if (host.chars().anyMatch(c -> c == 'ß' || c == 'ς')) {
      throw new Refusal(
          "hosts with 'ß' or 'ς' are not supported; give the host in its xn-- (punycode) form");
    }
    String ascii;
    try {
      ascii = IDN.toASCII(host).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new Refusal(
          "'" + abbreviate(host) + "' is not a valid host name (" + e.getMessage() + ")");
    }
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1); // the DNS root: same host, one spelling
    }
    if (ascii.isEmpty() || ascii.length() > 253) {
      throw new Refusal(
          "'" + abbreviate(host) + "' is not a valid host name: it must be 1 to 253 characters");
    }
    var labels = ascii.split("\\.", -1);
    for (var label : labels) {
      // '_' is not allowed by RFC 1123 but occurs in real subdomains that browsers open.
      if (label.length() > 63 || !LABEL.matcher(label).matches()) {
        throw new Refusal(
            "'"
                + abbreviate(host)
                + "' is not a valid host name: each dot-separated part"
                + " must be 1 to 63 letters, digits, '-' or '_', and not start or end with '-'");
      }
    }
    if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
      boolean dottedQuad = labels.length == 4;
      for (var label : labels) {
        dottedQuad &= OCTET.matcher(label).matches() && Integer.parseInt(label) <= 255;
      }
      if (!dottedQuad) {
        throw new Refusal(
            "'"
                + abbreviate(host)
                + "' is not a valid host: a numeric host must be an IPv4"
                + " address written as four numbers from 0 to 255, like 192.0.2.1");
      }
    }
    return ascii;
  }

  /** The form hosts are compared in: IPv6 literals have many spellings of one address. */
  private static String key(String normalisedHost) {
    if (normalisedHost.startsWith("[")) {
      var address =
          Inet6Address.ofLiteral(normalisedHost.substring(1, normalisedHost.length() - 1));
      return "[" + address.getHostAddress() + "]";
    }
    return normalisedHost;
  }

  private boolean isBlocked(String hostKey) {
    if (blockedHosts.contains(hostKey)) {
      return true;
    }
    if (hostKey.startsWith("[")
        || NUMERIC_LABEL.matcher(hostKey.substring(hostKey.lastIndexOf('.') + 1)).matches()) {
      return false; // IP literals have no parent domains
    }
    for (int dot = hostKey.indexOf('.'); dot >= 0; dot = hostKey.indexOf('.', dot + 1)) {
      if (blockedHosts.contains(hostKey.substring(dot + 1))) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** Internal: carries the reason out of the nested checks; never leaves this class. */
  private static final class Refusal extends Exception {
    Refusal(String reason) {
      super(reason, null, false, false);
    }
  }
}
