package io.tinyscale.core.enrich;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Truncates client IPs before they are stored: IPv4 to its /24 (last octet zeroed), IPv6 to its /48
 * (last 80 bits zeroed), the granularity that common analytics practice treats as no longer
 * pointing at one subscriber while still telling networks apart.
 *
 * <p>Truncation happens once, at the edge: the redirect truncates the address before the click
 * leaves the server, so a full address never reaches Kafka, the spool or a database. The worker's
 * {@link Enricher} looks the country up from the truncated address.
 *
 * <p>Output is canonical text: dotted quad for IPv4 (also for IPv4-mapped IPv6 such as {@code
 * ::ffff:192.0.2.7}), RFC 5952 compressed lower-case form for IPv6, so the same network is always
 * stored as the same string.
 */
public final class IpAnonymizer {

  private static final int IPV4_KEEP_BYTES = 3; // /24
  private static final int IPV6_KEEP_BYTES = 6; // /48
  private static final int IPV6_SUBSCRIBER_BYTES = 8; // /64

  private IpAnonymizer() {}

  /**
   * The address to store for {@code ip}: truncated, or whole but canonical when {@code keepFull}
   * (an operator's explicit choice). {@code null} when {@code ip} is null, blank or not an IP
   * literal.
   */
  public static String anonymize(String ip, boolean keepFull) {
    if (ip != null && IpLiterals.isDottedQuad(ip)) {
      // the common case, done on the text: a dotted quad without leading zeros is already
      // canonical, so its /24 is the text up to the last dot and a 0 (the redirect runs
      // this for every click, and InetAddress would allocate)
      return keepFull ? ip : ip.substring(0, ip.lastIndexOf('.') + 1) + "0";
    }
    return anonymize(IpLiterals.parse(ip), keepFull);
  }

  static String anonymize(InetAddress address, boolean keepFull) {
    if (address == null) {
      return null;
    }
    if (keepFull) {
      return text(address, address.getAddress().length);
    }
    return text(address, address instanceof Inet4Address ? IPV4_KEEP_BYTES : IPV6_KEEP_BYTES);
  }

  /** The address as canonical text, whole; null for null. */
  static String canonical(InetAddress address) {
    return anonymize(address, true);
  }

  /**
   * The network one subscriber is given, which rate limits count per: an IPv4 address whole, an
   * IPv6 address as its /64 (a single host can take any of 2^64 addresses in it). Text that is not
   * an IP literal comes back unchanged.
   */
  public static String subscriberNetwork(String ip) {
    if (ip == null || IpLiterals.isDottedQuad(ip)) {
      return ip;
    }
    InetAddress address = IpLiterals.parse(ip);
    if (address == null) {
      return ip;
    }
    return address instanceof Inet4Address
        ? ipv4Text(address.getAddress())
        : text(address, IPV6_SUBSCRIBER_BYTES) + "/64";
  }

  /** The address with every byte from {@code keep} on zeroed, as canonical text. */
  private static String text(InetAddress address, int keep) {
    byte[] bytes = address.getAddress();
    Arrays.fill(bytes, Math.min(keep, bytes.length), bytes.length, (byte) 0);
    return address instanceof Inet4Address ? ipv4Text(bytes) : ipv6Text(bytes);
  }

  private static String ipv4Text(byte[] b) {
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }

  /** RFC 5952: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
  private static String ipv6Text(byte[] b) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0) {
        i++;
      }
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    var text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
