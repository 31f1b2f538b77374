package io.tinyscale.core.enrich;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Strict parsing of IP address literals. {@link InetAddress#getByName} would resolve a host name
 * through DNS, which a worker must never do for a string that came from a client, and it accepts
 * BSD forms such as {@code "10.1"}; here only dotted-quad IPv4 and RFC 4291 IPv6 text are
 * addresses, everything else is {@code null}.
 */
public final class IpLiterals {

  private static final int MAX_LENGTH = 64;

  private IpLiterals() {}

  /**
   * The address written in {@code text}, or {@code null} when it is not an IP literal. IPv6 may be
   * bracketed ({@code [::1]}) and carry a zone ({@code fe80::1%eth0}, dropped). An IPv4-mapped IPv6
   * address ({@code ::ffff:192.0.2.1}, as dual-stack sockets report IPv4 peers) comes back as the
   * {@link Inet4Address} it stands for.
   */
  public static InetAddress parse(String text) {
    if (text == null) {
      return null;
    }
    String s = text.strip();
    if (s.isEmpty() || s.length() > MAX_LENGTH) {
      return null;
    }
    try {
      if (s.indexOf(':') < 0) {
        return isDottedQuad(s) ? Inet4Address.ofLiteral(s) : null;
      }
      if (s.startsWith("[") && s.endsWith("]")) {
        s = s.substring(1, s.length() - 1);
      }
      int zone = s.indexOf('%');
      if (zone >= 0) {
        s = s.substring(0, zone);
      }
      return Inet6Address.ofLiteral(s);
    } catch (IllegalArgumentException notAnAddress) {
      return null;
    }
  }

  /**
   * Four decimal numbers 0-255 without leading zeros, separated by dots. Checked by hand, not by a
   * regex: the redirect runs this for every click.
   */
  static boolean isDottedQuad(String s) {
    int parts = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i++) - '0');
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || value > 255 || digits > 1 && s.charAt(start) == '0') {
        return false;
      }
      parts++;
      if (i < n) {
        if (s.charAt(i) != '.' || parts == 4) {
          return false;
        }
        i++;
        if (i == n) {
          return false;
        }
      }
    }
    return parts == 4;
  }
}
