package io.tinyscale.app.http;

import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.enrich.IpLiterals;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who the client is: the socket's peer, or the X-Forwarded-For entry added by our own proxies when
 * (and only when) the peer is in TINYSCALE_TRUSTED_PROXIES. Anyone else's X-Forwarded-For is
 * ignored, so clients cannot pick the IP their rate limit or click is counted under.
 */
@Singleton
public class ClientAddress {
  private final List<Cidr> trusted;

  @Inject
  ClientAddress(Settings settings) {
    this(settings.trustedProxies().orElse(List.of()));
  }

  ClientAddress(List<String> trustedProxies) {
    trusted =
        trustedProxies.stream()
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(Cidr::parse)
            .toList();
  }

  public String of(HttpServerRequest request) {
    SocketAddress remote = peer(request);
    String peer = remote == null ? "unknown" : remote.hostAddress();
    if (trusted.isEmpty()) {
      return peer;
    }
    return of(peer, request.getHeader("X-Forwarded-For"));
  }

  /** The client behind a connection from {@code peer} that sent {@code forwarded} (or none). */
  String of(String peer, String forwarded) {
    if (!isTrusted(peer) || forwarded == null) {
      return peer;
    }
    // Walk right to left: the rightmost entries were added by our proxies, the first
    // untrusted one is the client as our outermost proxy saw it.
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!isTrusted(hop)) {
        return Cidr.literal(hop).isPresent() ? hop : peer;
      }
    }
    return peer;
  }

  /** True when the client reached us over TLS, directly or through a trusted proxy. */
  public boolean isSecure(HttpServerRequest request) {
    // the connection's own flag: vertx-web's request.isSSL() would parse Forwarded headers first
    if (request.connection().isSsl()) {
      return true;
    }
    if (trusted.isEmpty()) {
      return false;
    }
    SocketAddress remote = peer(request);
    return remote != null
        && isForwardedSecure(remote.hostAddress(), request.getHeader("X-Forwarded-Proto"));
  }

  /** A plain connection from {@code peer}: secure if a trusted proxy says it took TLS. */
  boolean isForwardedSecure(String peer, String forwardedProto) {
    return isTrusted(peer) && "https".equalsIgnoreCase(forwardedProto);
  }

  /**
   * The socket's peer. Not {@code request.remoteAddress()}: vertx-web's request wrapper answers
   * that by parsing Forwarded headers first (and this runs for every click).
   */
  private static SocketAddress peer(HttpServerRequest request) {
    return request.connection().remoteAddress();
  }

  private boolean isTrusted(String address) {
    Optional<InetAddress> ip = Cidr.literal(address);
    return ip.isPresent() && trusted.stream().anyMatch(c -> c.contains(ip.get()));
  }

  record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      String[] parts = text.split("/", 2);
      InetAddress address =
          literal(parts[0])
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "TINYSCALE_TRUSTED_PROXIES: not an IP or CIDR: " + text));
      int bits = address.getAddress().length * 8;
      int prefix;
      try {
        prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "TINYSCALE_TRUSTED_PROXIES: bad prefix length in " + text);
      }
      return new Cidr(address.getAddress(), prefix);
    }

    boolean contains(InetAddress candidate) {
      byte[] bytes = candidate.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (bytes[full] & mask) == (network[full] & mask);
    }

    /** Parses an IP literal without ever resolving a name through DNS. */
    static Optional<InetAddress> literal(String text) {
      return Optional.ofNullable(IpLiterals.parse(text));
    }
  }
}
