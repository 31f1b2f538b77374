package io.tinyscale.core.clickstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinyscale.core.UuidV7;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClickEventJsonTest {
  private static final ClickEvent FULL =
      new ClickEvent(
          UuidV7.next(),
          "abc1234",
          42,
          Instant.ofEpochMilli(1767225600123L),
          "203.0.113.0",
          "Mozilla/5.0 (X11; Linux x86_64) \"quoted\" é",
          "https://news.example/a?b=c");
  private static final ClickEvent BARE =
      new ClickEvent(
          UuidV7.next(), "my-alias", 7, Instant.ofEpochMilli(1767225600999L), null, null, null);

  @Test
  void roundTripsWithAndWithoutOptionalFields() {
    for (ClickEvent event : List.of(FULL, BARE)) {
      assertEquals(event, ClickEventJson.decode(ClickEventJson.encode(event)));
    }
    String bare = new String(ClickEventJson.encode(BARE), StandardCharsets.UTF_8);
    assertEquals(
        "{\"v\":1,\"eventId\":\""
            + BARE.eventId()
            + "\",\"code\":\"my-alias\",\"urlId\":7,\"at\":1767225600999}",
        bare);
  }

  @Test
  void oneEncoderGivesEachEventTheBytesAFreshOneWould() {
    try (ClickEventJson.Encoder encoder = new ClickEventJson.Encoder()) {
      for (ClickEvent event : List.of(FULL, BARE, FULL, BARE, BARE)) {
        assertArrayEquals(ClickEventJson.encode(event), encoder.encode(event));
      }
    }
  }

  @Test
  void refusesWhatIsNotAVersionOneEvent() {
    for (String bad :
        List.of(
            "",
            "[]",
            "{\"v\":2,\"eventId\":\"" + FULL.eventId() + "\",\"code\":\"a\",\"urlId\":1,\"at\":1}",
            "{\"v\":1,\"code\":\"a\",\"urlId\":1,\"at\":1}",
            "{\"v\":1,\"eventId\":\"nope\",\"code\":\"a\",\"urlId\":1,\"at\":1}")) {
      assertThrows(
          ClickEventJson.InvalidClickEvent.class,
          () -> ClickEventJson.decode(bad.getBytes(StandardCharsets.UTF_8)),
          bad);
    }
  }
}
