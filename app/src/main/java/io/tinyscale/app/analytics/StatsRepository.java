package io.tinyscale.app.analytics;

import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

  /** When the link was last clicked; null when never. */
  OffsetDateTime lastClickAt(long urlId) {
    return dsl.select(DSL.max(CLICKS.CLICKED_AT))
        .from(CLICKS)
        .where(CLICKS.URL_ID.eq(urlId))
        .fetchOne(0, OffsetDateTime.class);
  }
}
