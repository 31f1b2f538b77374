package io.tinyscale.core.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.core.clickstream.ClickEvent;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnricherTest {

  private static final UUID ID = UUID.fromString("01936b2e-1e3a-7c4d-8e5f-0123456789ab");
  private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");
  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

  private final Enricher enricher = new Enricher(Shared.userAgents(), Shared.countries());

  @Test
  void aPhoneClickFromTheNetherlands() {
    var event =
        new ClickEvent(
            ID, "Ab3dE9z", 42L, AT, "193.0.6.0", IPHONE, "https://www.google.nl/search?q=x");

    assertThat(enricher.enrich(event))
        .isEqualTo(
            new EnrichedClick(
                ID,
                "Ab3dE9z",
                42L,
                AT,
                "193.0.6.0",
                IPHONE,
                "google.nl",
                "NL",
                "Safari",
                "iOS",
                "Phone",
                false));
  }

  @Test
  void theCountryComesFromTheAddressTruncatedAtTheEdge() {
    var event = new ClickEvent(ID, "c", 1L, AT, "2001:4860:4860::", "curl/8.5.0", null);

    var click = enricher.enrich(event);

    assertThat(click.country()).isEqualTo("US");
    assertThat(click.ip()).isEqualTo("2001:4860:4860::");
    assertThat(click.bot()).isTrue();
    assertThat(click.browser()).isEqualTo("Curl");
    assertThat(click.referrer()).isNull();
  }

  @Test
  void storesAWholeIpAsItCame() {
    var event = new ClickEvent(ID, "c", 1L, AT, "81.2.69.142", IPHONE, null);

    assertThat(enricher.enrich(event).ip()).isEqualTo("81.2.69.142");
    assertThat(enricher.enrich(event).country()).isEqualTo("GB");
  }

  @Test
  void anEventWithoutRequestDetailsIsABotWithNothingElseKnown() {
    var event = new ClickEvent(ID, "c", 7L, AT, null, null, null);

    assertThat(enricher.enrich(event))
        .isEqualTo(
            new EnrichedClick(ID, "c", 7L, AT, null, null, null, null, null, null, null, true));
  }

  @Test
  void garbageIpAndReferrerBecomeNullWithoutFailingTheEvent() {
    var event = new ClickEvent(ID, "c", 7L, AT, "not-an-ip", IPHONE, "android-app://com.slack");

    var click = enricher.enrich(event);

    assertThat(click.ip()).isNull();
    assertThat(click.country()).isNull();
    assertThat(click.referrer()).isNull();
    assertThat(click.browser()).isEqualTo("Safari");
  }

  @Test
  void storesAtMost1024CharactersOfUserAgent() {
    String longAgent = IPHONE + " " + "x".repeat(2000);
    var event = new ClickEvent(ID, "c", 7L, AT, "8.8.8.8", longAgent, null);

    var click = enricher.enrich(event);

    assertThat(click.userAgent()).hasSize(1024).isEqualTo(longAgent.substring(0, 1024));
  }
}
