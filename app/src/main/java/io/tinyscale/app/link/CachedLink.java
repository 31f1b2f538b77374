package io.tinyscale.app.link;

import io.tinyscale.core.RedirectType;
import java.time.Instant;
import java.util.Optional;

/** What the redirect needs to know about a live (not deleted) link. */
public record CachedLink(
    long urlId, String url, RedirectType type, Instant expiresAt, boolean disabled) {

  public boolean isGoneAt(long nowMillis) {
    return disabled || expiresAt != null && expiresAt.toEpochMilli() <= nowMillis;
  }

  /** Compact form for the Redis L2 cache: {@code v1|urlId|status|expiresMillis|disabled|url}. */
  String encode() {
    return "v1|"
        + urlId
        + "|"
        + type.status()
        + "|"
        + (expiresAt == null ? "" : expiresAt.toEpochMilli())
        + "|"
        + (disabled ? "1" : "0")
        + "|"
        + url;
  }

  static Optional<CachedLink> decode(String value) {
    if (value == null || !value.startsWith("v1|")) {
      return Optional.empty();
    }
    String[] f = value.split("\\|", 6);
    if (f.length != 6) {
      return Optional.empty();
    }
    try {
      return RedirectType.of(Integer.parseInt(f[2]))
          .map(
              type ->
                  new CachedLink(
                      Long.parseLong(f[1]),
                      f[5],
                      type,
                      f[3].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(f[3])),
                      "1".equals(f[4])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
