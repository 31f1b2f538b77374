package io.tinyscale.bench;

import static io.tinyscale.bench.Bench.connect;
import static io.tinyscale.bench.Bench.log;
import static io.tinyscale.storage.jooq.Tables.AGGREGATED_EVENTS;
import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.URLS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;

import io.tinyscale.core.UuidV7;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.SortOrder;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The Java half of {@code bench/explain.sh} ({@code ./tinyscale bench explain}): the schema
 * (Flyway, as the app applies it), then {@code EXPLAIN (ANALYZE, BUFFERS)} of the queries that
 * matter, on the seeded data.
 *
 * <p>The queries are built with jOOQ exactly as the app's repositories build them (each names the
 * method it follows) and rendered with their values inlined, which is what Postgres plans for the
 * app's first executions of a prepared statement (custom plans). The repositories themselves are
 * package-private beans of the app; a change to one of their queries must be made here too.
 *
 * <pre>
 * migrate      the schema
 * plans        one plan per query, on stdout; writes are rolled back
 * </pre>
 */
public final class QueryPlans {
  private static final Condition LIVE = URLS.DELETED_AT.isNull();

  private QueryPlans() {}

  public static void main(String[] args) {
    Bench.Args parsed = Bench.Args.parse(args, "QueryPlans migrate|plans");
    Bench.run(parsed, Map.of("migrate", Bench::migrate, "plans", QueryPlans::plans));
  }

  /** A query, its name in docs/schema.md and the app's method that builds it. */
  private record Explained(String name, String appMethod, Query query) {}

  private static void plans() throws Exception {
    try (Connection c = connect()) {
      DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
      // the data's shape (seed.sql): the first user owns the most links, the first link has the
      // most clicks; a link from the middle stands for a typical one
      long heavyUser = dsl.select(DSL.min(URLS.USER_ID)).from(URLS).fetchOne(0, Long.class);
      long typicalUser = heavyUser + 1;
      long firstLink = dsl.select(DSL.min(URLS.ID)).from(URLS).fetchOne(0, Long.class);
      int links = dsl.fetchCount(URLS);
      long hotLink = firstLink;
      long typicalLink = firstLink + links / 2;
      String code =
          dsl.select(URLS.SHORT_CODE)
              .from(URLS)
              .where(URLS.ID.eq(typicalLink))
              .fetchOne(URLS.SHORT_CODE);
      List<Long> pageIds =
          dsl.select(URLS.ID)
              .from(URLS)
              .where(URLS.USER_ID.eq(heavyUser).and(LIVE))
              .orderBy(URLS.CREATED_AT.desc(), URLS.ID.desc())
              .limit(20)
              .fetch(URLS.ID);
      List<Long> heavyIds =
          dsl.select(URLS.ID).from(URLS).where(URLS.USER_ID.eq(heavyUser).and(LIVE)).fetch(URLS.ID);
      List<Long> typicalIds =
          dsl.select(URLS.ID)
              .from(URLS)
              .where(URLS.USER_ID.eq(typicalUser).and(LIVE))
              .fetch(URLS.ID);
      OffsetDateTime thisHour = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
      OffsetDateTime monthAgo = thisHour.minusDays(30);
      log(
          "plans: heavy user %d (%d links), typical user %d (%d links), hot link %d, typical link %d"
              + " (/%s)",
          heavyUser, heavyIds.size(), typicalUser, typicalIds.size(), hotLink, typicalLink, code);

      List<Explained> queries = new ArrayList<>();
      queries.add(
          new Explained(
              "redirect miss: the link by code",
              "LinkRepository.findLive(code)",
              dsl.selectFrom(URLS).where(URLS.SHORT_CODE.eq(code).and(LIVE))));
      for (String sort : List.of("-createdAt", "createdAt", "-code", "-clicks")) {
        queries.add(
            new Explained(
                "GET /api/links?sort=" + sort + " (heavy user, first page of 20)",
                "LinkRepository.listOwned",
                listOwned(dsl, heavyUser, sort, 0, 20)));
      }
      queries.add(
          new Explained(
              "GET /api/links?sort=-createdAt (heavy user, page 500 of 20)",
              "LinkRepository.listOwned",
              listOwned(dsl, heavyUser, "-createdAt", 10_000, 20)));
      queries.add(
          new Explained(
              "GET /api/links?sort=-clicks (typical user)",
              "LinkRepository.listOwned",
              listOwned(dsl, typicalUser, "-clicks", 0, 20)));
      queries.add(
          new Explained(
              "GET /api/links: the count (heavy user)",
              "LinkRepository.countOwned",
              dsl.selectCount().from(URLS).where(URLS.USER_ID.eq(heavyUser).and(LIVE))));
      queries.add(
          new Explained(
              "GET /api/links: the page's click counts",
              "LinkRepository.clickCounts",
              dsl.select(URL_STATS_HOURLY.URL_ID, DSL.sum(URL_STATS_HOURLY.COUNT))
                  .from(URL_STATS_HOURLY)
                  .where(URL_STATS_HOURLY.URL_ID.in(pageIds))
                  .groupBy(URL_STATS_HOURLY.URL_ID)));
      for (long link : List.of(hotLink, typicalLink)) {
        String which = link == hotLink ? "hot link" : "typical link";
        queries.add(
            new Explained(
                "GET /api/stats/{code}: totals (" + which + ")",
                "StatsRepository.totals",
                dsl.select(URL_STATS_HOURLY.IS_BOT, DSL.sum(URL_STATS_HOURLY.COUNT))
                    .from(URL_STATS_HOURLY)
                    .where(URL_STATS_HOURLY.URL_ID.eq(link))
                    .groupBy(URL_STATS_HOURLY.IS_BOT)));
        queries.add(
            new Explained(
                "GET /api/stats/{code}: last 24 h (" + which + ")",
                "StatsRepository.humanClicksByHour",
                dsl.select(URL_STATS_HOURLY.HOUR, URL_STATS_HOURLY.COUNT)
                    .from(URL_STATS_HOURLY)
                    .where(
                        URL_STATS_HOURLY
                            .URL_ID
                            .eq(link)
                            .and(URL_STATS_HOURLY.IS_BOT.isFalse())
                            .and(URL_STATS_HOURLY.HOUR.ge(thisHour.minusHours(23))))));
        queries.add(
            new Explained(
                "GET /api/stats/{code}: lastClickAt (" + which + ")",
                "StatsRepository.lastClickAt",
                dsl.select(DSL.max(CLICKS.CLICKED_AT)).from(CLICKS).where(CLICKS.URL_ID.eq(link))));
      }
      queries.add(
          new Explained(
              "GET /api/analytics/{code} from the rollups: 30 days by hour (hot link)",
              "StatsRepository.clicksByHour",
              dsl.select(URL_STATS_HOURLY.HOUR, DSL.sum(URL_STATS_HOURLY.COUNT))
                  .from(URL_STATS_HOURLY)
                  .where(
                      URL_STATS_HOURLY
                          .URL_ID
                          .in(List.of(hotLink))
                          .and(URL_STATS_HOURLY.HOUR.ge(monthAgo))
                          .and(URL_STATS_HOURLY.HOUR.lt(thisHour.plusHours(1)))
                          .and(URL_STATS_HOURLY.IS_BOT.isFalse()))
                  .groupBy(URL_STATS_HOURLY.HOUR)));
      for (List<Long> ids : List.of(typicalIds, heavyIds)) {
        String which = ids == heavyIds ? "heavy user" : "typical user";
        queries.add(
            new Explained(
                "GET /api/analytics from the rollups: 30 days (" + which + ")",
                "StatsRepository.totalsByLink",
                dsl.select(
                        URL_STATS_HOURLY.URL_ID,
                        URL_STATS_HOURLY.IS_BOT,
                        DSL.sum(URL_STATS_HOURLY.COUNT))
                    .from(URL_STATS_HOURLY)
                    .where(
                        URL_STATS_HOURLY
                            .URL_ID
                            .in(ids)
                            .and(URL_STATS_HOURLY.HOUR.ge(monthAgo))
                            .and(URL_STATS_HOURLY.HOUR.lt(thisHour.plusHours(1))))
                    .groupBy(URL_STATS_HOURLY.URL_ID, URL_STATS_HOURLY.IS_BOT)));
      }
      OffsetDateTime middle =
          dsl.select(URLS.UPDATED_AT)
              .from(URLS)
              .where(URLS.ID.eq(typicalLink))
              .fetchOne(URLS.UPDATED_AT);
      queries.add(
          new Explained(
              "search index: the next 1000 changed links",
              "LinkRepository.changedAfter",
              dsl.selectFrom(URLS)
                  .where(DSL.row(URLS.UPDATED_AT, URLS.ID).gt(middle, typicalLink))
                  .orderBy(URLS.UPDATED_AT, URLS.ID)
                  .limit(1000)));
      Table<?> eventIds =
          DSL.unnest(DSL.val(Stream.generate(UuidV7::next).limit(1000).toArray(UUID[]::new)));
      queries.add(
          new Explained(
              "aggregator: a batch's 1000 event ids, the new ones returned",
              "HourlyAggregator.write",
              dsl.insertInto(AGGREGATED_EVENTS, AGGREGATED_EVENTS.EVENT_ID)
                  .select(DSL.select(eventIds.field(0, UUID.class)).from(eventIds))
                  .onConflictDoNothing()
                  .returning(AGGREGATED_EVENTS.EVENT_ID)));
      queries.add(
          new Explained(
              "hourly rollup upsert: a batch of 500 buckets",
              "HourlyAggregator.write",
              hourlyUpsert(dsl, firstLink, links, thisHour)));

      c.setAutoCommit(false);
      for (Explained q : queries) {
        String sql = dsl.renderInlined(q.query());
        System.out.println("### " + q.name());
        System.out.println("-- " + q.appMethod());
        System.out.println("-- " + abbreviate(sql));
        // twice, the second printed: the first reads from disk what a running server has cached;
        // rolled back in between, so that a write finds the table as the first one did
        explain(c, sql);
        c.rollback();
        for (String line : explain(c, sql)) {
          System.out.println(abbreviate(line));
        }
        c.rollback();
        System.out.println();
      }
    }
  }

  /** As {@code LinkRepository.listOwned}: a page of the owner's live links in a sort order. */
  private static Query listOwned(DSLContext dsl, long owner, String sort, int offset, int limit) {
    SortOrder order = sort.startsWith("-") ? SortOrder.DESC : SortOrder.ASC;
    Field<?> key =
        switch (sort.replace("-", "")) {
          case "createdAt" -> URLS.CREATED_AT;
          case "code" -> URLS.SHORT_CODE;
          default ->
              DSL.coalesce(
                  DSL.select(DSL.sum(URL_STATS_HOURLY.COUNT))
                      .from(URL_STATS_HOURLY)
                      .where(URL_STATS_HOURLY.URL_ID.eq(URLS.ID))
                      .asField(),
                  BigDecimal.ZERO);
        };
    return dsl.selectFrom(URLS)
        .where(URLS.USER_ID.eq(owner).and(LIVE))
        .orderBy(key.sort(order), URLS.ID.sort(order))
        .offset(offset)
        .limit(limit);
  }

  /**
   * As {@code HourlyAggregator.write}: one multi-row upsert of a batch's buckets. A batch of 1000
   * clicks spread over popular links makes a few hundred buckets, most of them in this hour.
   */
  private static Query hourlyUpsert(
      DSLContext dsl, long firstLink, int links, OffsetDateTime hour) {
    var upsert =
        dsl.insertInto(
            URL_STATS_HOURLY,
            URL_STATS_HOURLY.URL_ID,
            URL_STATS_HOURLY.HOUR,
            URL_STATS_HOURLY.IS_BOT,
            URL_STATS_HOURLY.COUNT);
    // one row per bucket, as the aggregator's map of counts makes them
    Set<List<Object>> buckets = new LinkedHashSet<>();
    for (int i = 0; buckets.size() < 500; i++) {
      long link = firstLink + (long) Math.floor(Math.exp((i % 997) * Math.log(links) / 997.0)) - 1;
      OffsetDateTime at = i % 10 == 0 ? hour.minusHours(1) : hour;
      if (buckets.add(List.of(link, at, i % 4 == 3))) {
        upsert = upsert.values(link, at, i % 4 == 3, 2L);
      }
    }
    return upsert
        .onConflict(URL_STATS_HOURLY.URL_ID, URL_STATS_HOURLY.HOUR, URL_STATS_HOURLY.IS_BOT)
        .doUpdate()
        .set(
            URL_STATS_HOURLY.COUNT,
            URL_STATS_HOURLY.COUNT.plus(DSL.excluded(URL_STATS_HOURLY.COUNT)));
  }

  private static List<String> explain(Connection c, String sql) throws Exception {
    List<String> plan = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("explain (analyze, buffers) " + sql)) {
      while (rs.next()) {
        plan.add(rs.getString(1));
      }
    }
    return plan;
  }

  /** Long IN lists and VALUES rows shortened, so the plan stays readable. */
  private static String abbreviate(String text) {
    return text.length() <= 400
        ? text
        : text.substring(0, 400) + " … (" + text.length() + " characters)";
  }
}
