package io.tinyscale.core.clickstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClickEventTest {

  private static final UUID ID = UUID.fromString("01936b2e-1e3a-7c4d-8e5f-0123456789ab");
  private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void carriesItsFieldsAndAllowsMissingRequestDetails() {
    var event = new ClickEvent(ID, "Ab3dE9z", 42L, AT, null, null, null);
    assertThat(event.eventId()).isEqualTo(ID);
    assertThat(event.code()).isEqualTo("Ab3dE9z");
    assertThat(event.urlId()).isEqualTo(42L);
    assertThat(event.at()).isEqualTo(AT);
    assertThat(event.ip()).isNull();
    assertThat(event).isEqualTo(new ClickEvent(ID, "Ab3dE9z", 42L, AT, null, null, null));
  }

  @Test
  void requiresIdCodeAndTime() {
    assertThatNullPointerException()
        .isThrownBy(() -> new ClickEvent(null, "c", 1, AT, "ip", "ua", "ref"))
        .withMessage("eventId");
    assertThatNullPointerException()
        .isThrownBy(() -> new ClickEvent(ID, null, 1, AT, "ip", "ua", "ref"))
        .withMessage("code");
    assertThatNullPointerException()
        .isThrownBy(() -> new ClickEvent(ID, "c", 1, null, "ip", "ua", "ref"))
        .withMessage("at");
  }

  @Test
  void schemaVersionIsOne() {
    assertThat(ClickEvent.SCHEMA_VERSION).isEqualTo(1);
  }
}
