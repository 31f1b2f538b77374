package io.tinyscale.app.analytics;

import io.tinyscale.app.http.ProblemException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The buckets of a histogram: whole intervals of the caller's time zone, the first holding {@code
 * from} and the last holding the instant before {@code to}, so every bucket counts a whole minute,
 * hour, day (from local midnight), week (from Monday) or month, whichever source answers. Clicks
 * are counted from the first bucket's start to the last one's end.
 */
record Buckets(Interval interval, ZoneId zone, List<ZonedDateTime> starts, ZonedDateTime end) {
  static final int MAX = 2_000;

  enum Interval {
    MINUTE,
    HOUR,
    DAY,
    WEEK,
    MONTH;

    static Interval parse(String name) {
      return Arrays.stream(values())
          .filter(i -> i.name().equalsIgnoreCase(name))
          .findFirst()
          .orElseThrow(
              () -> ProblemException.invalid("interval", "one of minute, hour, day, week, month"));
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    ZonedDateTime start(ZonedDateTime at) {
      return switch (this) {
        case MINUTE -> at.truncatedTo(ChronoUnit.MINUTES);
        case HOUR -> at.truncatedTo(ChronoUnit.HOURS);
        case DAY -> at.toLocalDate().atStartOfDay(at.getZone());
        case WEEK ->
            at.toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .atStartOfDay(at.getZone());
        case MONTH -> at.toLocalDate().withDayOfMonth(1).atStartOfDay(at.getZone());
      };
    }

    ZonedDateTime next(ZonedDateTime start) {
      return switch (this) {
        case MINUTE -> start.plusMinutes(1);
        case HOUR -> start.plusHours(1);
        case DAY -> start.toLocalDate().plusDays(1).atStartOfDay(start.getZone());
        case WEEK -> start.toLocalDate().plusWeeks(1).atStartOfDay(start.getZone());
        case MONTH -> start.toLocalDate().plusMonths(1).atStartOfDay(start.getZone());
      };
    }
  }

  /**
   * The buckets from {@code from} to {@code to}; a 400 when there would be more than {@link #MAX}.
   */
  static Buckets of(Instant from, Instant to, Interval interval, ZoneId zone) {
    List<ZonedDateTime> starts = new ArrayList<>();
    ZonedDateTime start = interval.start(from.atZone(zone));
    while (start.toInstant().isBefore(to)) {
      if (starts.size() == MAX) {
        throw ProblemException.invalid(
            "interval",
            "gives more than "
                + MAX
                + " buckets from "
                + from
                + " to "
                + to
                + ": choose a coarser interval or a shorter range");
      }
      starts.add(start);
      start = interval.next(start);
    }
    return new Buckets(interval, zone, starts, start);
  }

  Instant first() {
    return starts.getFirst().toInstant();
  }

  Instant last() {
    return end.toInstant();
  }

  /**
   * Whether every bucket boundary is a whole UTC hour, so the hourly rollups in Postgres can be cut
   * into these buckets: not for minutes, nor in zones whose offset is not whole hours.
   */
  boolean cutFromHours() {
    return interval != Interval.MINUTE
        && starts.stream().allMatch(s -> s.toInstant().getEpochSecond() % 3600 == 0)
        && end.toInstant().getEpochSecond() % 3600 == 0;
  }

  /** The index of the bucket that holds {@code at}; -1 outside. */
  int indexOf(Instant at) {
    if (at.isBefore(first()) || !at.isBefore(last())) {
      return -1;
    }
    int lo = 0;
    int hi = starts.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts.get(mid).toInstant().isAfter(at)) {
        hi = mid - 1;
      } else {
        lo = mid;
      }
    }
    return lo;
  }
}
