package io.tinyscale.app.analytics;

import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** A link's click counts: the aggregator's hourly rollups, and the raw clicks for the latest. */
@ApplicationScoped
class StatsRepository {
  /** All clicks of a link, split by whether a bot made them. */
  record Totals(long human, long bots) {}

  private final DSLContext dsl;

  StatsRepository(DSLContext dsl) {
    this.dsl = dsl;
  }

  Totals totals(long urlId) {
    Map<Boolean, BigDecimal> byBot =
        dsl.select(URL_STATS_HOURLY.IS_BOT, DSL.sum(URL_STATS_HOURLY.COUNT))
            .from(URL_STATS_HOURLY)
            .where(URL_STATS_HOURLY.URL_ID.eq(urlId))
            .groupBy(URL_STATS_HOURLY.IS_BOT)
            .fetchMap(r -> r.value1(), r -> r.value2());
    return new Totals(
        byBot.getOrDefault(false, BigDecimal.ZERO).longValue(),
        byBot.getOrDefault(true, BigDecimal.ZERO).longValue());
  }

  /**
   * Human clicks per hour since {@code since} (UTC hour starts); hours without clicks are absent.
   */
  Map<OffsetDateTime, Long> humanClicksByHour(long urlId, OffsetDateTime since) {
    return dsl.select(URL_STATS_HOURLY.HOUR, URL_STATS_HOURLY.COUNT)
        .from(URL_STATS_HOURLY)
        .where(
            URL_STATS_HOURLY
                .URL_ID
                .eq(urlId)
                .and(URL_STATS_HOURLY.IS_BOT.isFalse())
                .and(URL_STATS_HOURLY.HOUR.ge(since)))
        .fetchMap(r -> r.value1().toInstant().atOffset(ZoneOffset.UTC), r -> r.value2());
  }

  /** Clicks per UTC hour from {@code from} to {@code to} (whole hours), summed over the links. */
  Map<Instant, Long> clicksByHour(
      List<Long> urlIds, Instant from, Instant to, boolean includeBots) {
    var hour = URL_STATS_HOURLY.HOUR;
    return dsl.select(hour, DSL.sum(URL_STATS_HOURLY.COUNT))
        .from(URL_STATS_HOURLY)
        .where(
            URL_STATS_HOURLY
                .URL_ID
                .in(urlIds)
                .and(hour.ge(from.atOffset(ZoneOffset.UTC)))
                .and(hour.lt(to.atOffset(ZoneOffset.UTC)))
                .and(includeBots ? DSL.noCondition() : URL_STATS_HOURLY.IS_BOT.isFalse()))
        .groupBy(hour)
        .fetchMap(r -> r.value1().toInstant(), r -> r.value2().longValue());
  }

  /** Clicks of each link from {@code from} to {@code to} (whole UTC hours), split by bot flag. */
  Map<Long, Totals> totalsByLink(List<Long> urlIds, Instant from, Instant to) {
    Map<Long, Totals> totals = new HashMap<>();
    dsl.select(URL_STATS_HOURLY.URL_ID, URL_STATS_HOURLY.IS_BOT, DSL.sum(URL_STATS_HOURLY.COUNT))
        .from(URL_STATS_HOURLY)
        .where(
            URL_STATS_HOURLY
                .URL_ID
                .in(urlIds)
                .and(URL_STATS_HOURLY.HOUR.ge(from.atOffset(ZoneOffset.UTC)))
                .and(URL_STATS_HOURLY.HOUR.lt(to.atOffset(ZoneOffset.UTC))))
        .groupBy(URL_STATS_HOURLY.URL_ID, URL_STATS_HOURLY.IS_BOT)
        .forEach(
            r -> {
              long n = r.value3().longValue();
              Totals add = r.value2() ? new Totals(0, n) : new Totals(n, 0);
              totals.merge(
                  r.value1(),
                  add,
                  (a, b) -> new Totals(a.human() + b.human(), a.bots() + b.bots()));
            });
    return totals;
  }

  /** When the link was last clicked; null when never. */
  OffsetDateTime lastClickAt(long urlId) {
    return dsl.select(DSL.max(CLICKS.CLICKED_AT))
        .from(CLICKS)
        .where(CLICKS.URL_ID.eq(urlId))
        .fetchOne(0, OffsetDateTime.class);
  }
}
