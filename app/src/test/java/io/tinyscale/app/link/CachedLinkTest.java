package io.tinyscale.app.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.core.RedirectType;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The link as L1 and Redis hold it: its L2 form, and when it stops redirecting. */
class CachedLinkTest {
  private static final Instant EXPIRY = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void theRedisFormRoundTrips() {
    for (CachedLink link :
        new CachedLink[] {
          new CachedLink(1, "https://example.com/", RedirectType.FOUND, null, false),
          new CachedLink(
              Long.MAX_VALUE,
              "https://example.com/?a=1|b=2",
              RedirectType.PERMANENT_REDIRECT,
              EXPIRY,
              true),
          new CachedLink(3, "https://example.com/x", RedirectType.MOVED_PERMANENTLY, EXPIRY, false)
        }) {
      assertThat(CachedLink.decode(link.encode())).contains(link);
    }
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "v2|1|302||0|https://example.com/",
        "v1|1|302||0",
        "v1|x|302||0|https://example.com/",
        "v1|1|200||0|https://example.com/",
        "v1|1|302|soon|0|https://example.com/"
      })
  void anythingElseInRedisIsAMiss(String value) {
    assertThat(CachedLink.decode(value)).isEmpty();
  }

  @Test
  void aLinkIsGoneFromItsExpiryOnOrWhenDisabled() {
    CachedLink expiring =
        new CachedLink(1, "https://example.com/", RedirectType.FOUND, EXPIRY, false);
    assertThat(expiring.isGoneAt(EXPIRY.toEpochMilli() - 1)).isFalse();
    assertThat(expiring.isGoneAt(EXPIRY.toEpochMilli())).isTrue();

    CachedLink forever = new CachedLink(1, "https://example.com/", RedirectType.FOUND, null, false);
    assertThat(forever.isGoneAt(Long.MAX_VALUE)).isFalse();

    CachedLink disabled = new CachedLink(1, "https://example.com/", RedirectType.FOUND, null, true);
    assertThat(disabled.isGoneAt(0)).isTrue();
  }
}
