package io.tinyscale.app.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyscale.app.analytics.Buckets.Interval;
import io.tinyscale.app.http.ProblemException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The buckets of a histogram in the caller's zone, and when Postgres' hours can fill them. */
class BucketsTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void daysStartAtLocalMidnightAcrossTheEndOfDaylightSavingTime() {
    // 2026-11-01: New York goes from -04:00 to -05:00; that day lasts 25 hours
    Buckets days =
        Buckets.of(
            Instant.parse("2026-10-31T12:00:00Z"),
            Instant.parse("2026-11-02T12:00:00Z"),
            Interval.DAY,
            NEW_YORK);
    assertThat(days.starts())
        .extracting(ZonedDateTime::toString)
        .containsExactly(
            "2026-10-31T00:00-04:00[America/New_York]",
            "2026-11-01T00:00-04:00[America/New_York]",
            "2026-11-02T00:00-05:00[America/New_York]");
    assertThat(days.end().toString()).isEqualTo("2026-11-03T00:00-05:00[America/New_York]");
    assertThat(days.cutFromHours()).isTrue();
    assertThat(days.indexOf(Instant.parse("2026-11-02T04:59:59Z"))).isEqualTo(1);
    assertThat(days.indexOf(Instant.parse("2026-11-02T05:00:00Z"))).isEqualTo(2);
    assertThat(days.indexOf(Instant.parse("2026-10-31T03:59:59Z"))).isEqualTo(-1);
  }

  @Test
  void weeksStartOnMondayAndMonthsOnTheFirst() {
    Instant sunday = Instant.parse("2026-12-06T12:00:00Z");
    Buckets weeks = Buckets.of(sunday, sunday.plusSeconds(86_400), Interval.WEEK, ZoneOffset.UTC);
    assertThat(weeks.starts())
        .extracting(ZonedDateTime::toString)
        .containsExactly("2026-11-30T00:00Z", "2026-12-07T00:00Z");
    Buckets months = Buckets.of(sunday, sunday.plusSeconds(60), Interval.MONTH, ZoneOffset.UTC);
    assertThat(months.starts())
        .extracting(ZonedDateTime::toString)
        .containsExactly("2026-12-01T00:00Z");
    assertThat(months.end().toString()).isEqualTo("2027-01-01T00:00Z");
  }

  @Test
  void hourlyRowsCannotBeCutIntoMinutesNorIntoDaysOfHalfHourZones() {
    Instant to = Instant.parse("2026-12-06T12:00:00Z");
    Instant from = to.minusSeconds(3 * 86_400);
    assertThat(Buckets.of(from, to, Interval.HOUR, ZoneOffset.UTC).cutFromHours()).isTrue();
    assertThat(
            Buckets.of(to.minusSeconds(3_600), to, Interval.MINUTE, ZoneOffset.UTC).cutFromHours())
        .isFalse();
    ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // +05:30
    assertThat(Buckets.of(from, to, Interval.DAY, kolkata).cutFromHours()).isFalse();
    assertThat(Buckets.of(from, to, Interval.HOUR, kolkata).cutFromHours()).isFalse();
    assertThat(Buckets.of(from, to, Interval.DAY, ZoneId.of("Europe/Paris")).cutFromHours())
        .isTrue();
  }

  @Test
  void moreThanTwoThousandBucketsAreRefused() {
    Instant to = Instant.parse("2026-12-06T12:00:00Z");
    assertThat(
            Buckets.of(to.minusSeconds(2_000 * 60), to, Interval.MINUTE, ZoneOffset.UTC).starts())
        .hasSize(2_000);
    assertThatThrownBy(
            () -> Buckets.of(to.minusSeconds(2_001 * 60), to, Interval.MINUTE, ZoneOffset.UTC))
        .isInstanceOf(ProblemException.class);
  }
}
