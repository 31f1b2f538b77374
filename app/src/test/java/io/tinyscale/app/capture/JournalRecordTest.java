package io.tinyscale.app.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyscale.core.UuidV7;
import io.tinyscale.core.clickstream.ClickEvent;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JournalRecordTest {
  @Test
  void aClickComesBackAsItWasWritten() {
    ClickEvent click =
        new ClickEvent(
            UuidV7.next(),
            "abc1234",
            42,
            Instant.ofEpochMilli(1_767_225_600_123L),
            "2001:db8:1::",
            "Mozilla/5.0 (X11; Linux x86_64) Ünïcödé",
            "https://news.example/item?id=1");
    assertThat(JournalRecord.decode(JournalRecord.encode(click))).isEqualTo(click);
  }

  @Test
  void absentFieldsStayAbsent() {
    ClickEvent click = new ClickEvent(UuidV7.next(), "x", 1, Instant.EPOCH, null, null, null);
    assertThat(JournalRecord.decode(JournalRecord.encode(click))).isEqualTo(click);
  }

  @Test
  void anUnknownVersionOrATruncatedRecordIsRefused() {
    byte[] record =
        JournalRecord.encode(
            new ClickEvent(UuidV7.next(), "x", 1, Instant.EPOCH, null, "ua", null));
    byte[] future = record.clone();
    future[0] = 9;
    assertThatThrownBy(() -> JournalRecord.decode(future))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 9");
    assertThatThrownBy(() -> JournalRecord.decode(Arrays.copyOf(record, record.length - 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
