package io.tinyscale.app.analytics;

import io.tinyscale.app.platform.OpenSearch;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.aggregations.Aggregate;
import org.opensearch.client.opensearch._types.aggregations.Aggregation;
import org.opensearch.client.opensearch._types.aggregations.CalendarInterval;
import org.opensearch.client.opensearch._types.aggregations.DateHistogramBucket;
import org.opensearch.client.opensearch._types.aggregations.LongTermsBucket;
import org.opensearch.client.opensearch._types.aggregations.StringTermsAggregate;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchResponse;

/**
 * The analytics queries on the raw clicks in OpenSearch ({@link ClickIndex#ALIAS}). Which links,
 * the bot flag and the time range are filters: not scored and cached by OpenSearch per segment, so
 * repeated dashboards queries are cheap. Every query asks only for aggregations (size 0), never for
 * documents. docs/analytics.md shows each query as JSON.
 */
@ApplicationScoped
class ClickQueries {
  /** A top-N breakdown: the N keys with most clicks, and the clicks of all other keys. */
  record Breakdown(List<Item> items, long other) {}

  record Item(String key, long count) {}

  /** Clicks of a set of links: people, bots, and the links with most clicks. */
  record Overview(long humans, long bots, Map<Long, Long> topLinks) {}

  private final OpenSearch openSearch;

  ClickQueries(OpenSearch openSearch) {
    this.openSearch = openSearch;
  }

  /** Clicks per bucket start (only buckets with clicks), counted in the buckets' range. */
  Map<Instant, Long> histogram(List<Long> urlIds, Buckets buckets, boolean includeBots) {
    SearchResponse<Void> response =
        aggregate(
            filter(urlIds, buckets.first(), buckets.last(), includeBots),
            Map.of(
                "histogram",
                Aggregation.of(
                    a ->
                        a.dateHistogram(
                            h ->
                                h.field("clicked_at")
                                    .calendarInterval(calendar(buckets.interval()))
                                    .timeZone(buckets.zone().getId())
                                    .minDocCount(1)))));
    Map<Instant, Long> counts = new HashMap<>();
    for (DateHistogramBucket b :
        response.aggregations().get("histogram").dateHistogram().buckets().array()) {
      counts.put(Instant.ofEpochMilli(b.key()), b.docCount());
    }
    return counts;
  }

  /**
   * The {@code limit} values of {@code field} with most clicks; clicks without a value count under
   * {@code missing}.
   */
  Breakdown top(
      List<Long> urlIds,
      Instant from,
      Instant to,
      boolean includeBots,
      String field,
      String missing,
      int limit) {
    SearchResponse<Void> response =
        aggregate(
            filter(urlIds, from, to, includeBots),
            Map.of(
                "top",
                Aggregation.of(
                    a ->
                        a.terms(t -> t.field(field).size(limit).missing(FieldValue.of(missing))))));
    StringTermsAggregate terms = response.aggregations().get("top").sterms();
    List<Item> items = new ArrayList<>();
    for (StringTermsBucket b : terms.buckets().array()) {
      items.add(new Item(b.key(), b.docCount()));
    }
    return new Breakdown(items, terms.sumOtherDocCount());
  }

  /** People and bots among the clicks, and the {@code limit} links with most (counted) clicks. */
  Overview overview(List<Long> urlIds, Instant from, Instant to, boolean includeBots, int limit) {
    Query isBot = Query.of(q -> q.term(t -> t.field("is_bot").value(FieldValue.of(true))));
    Query isHuman = Query.of(q -> q.term(t -> t.field("is_bot").value(FieldValue.of(false))));
    Query counted = includeBots ? Query.of(q -> q.matchAll(m -> m)) : isHuman;
    SearchResponse<Void> response =
        aggregate(
            filter(urlIds, from, to, true),
            Map.of(
                "bots",
                Aggregation.of(a -> a.filter(isBot)),
                "humans",
                Aggregation.of(a -> a.filter(isHuman)),
                "counted",
                Aggregation.of(
                    a ->
                        a.filter(counted)
                            .aggregations(
                                "links",
                                t -> t.terms(terms -> terms.field("url_id").size(limit))))));
    long humans = response.aggregations().get("humans").filter().docCount();
    long bots = response.aggregations().get("bots").filter().docCount();
    Aggregate links = response.aggregations().get("counted").filter().aggregations().get("links");
    Map<Long, Long> top = new LinkedHashMap<>();
    for (LongTermsBucket b : links.lterms().buckets().array()) {
      top.put(b.key().signed(), b.docCount());
    }
    return new Overview(humans, bots, top);
  }

  /** Aggregations of the clicks that match {@code filter}; no document is fetched. */
  private SearchResponse<Void> aggregate(Query filter, Map<String, Aggregation> aggregations) {
    return openSearch.call(
        c ->
            c.search(
                s -> s.index(ClickIndex.ALIAS).size(0).query(filter).aggregations(aggregations),
                Void.class));
  }

  /** The links, the time range and, unless included, no bots: filter context only. */
  private static Query filter(List<Long> urlIds, Instant from, Instant to, boolean includeBots) {
    List<FieldValue> ids = urlIds.stream().map(FieldValue::of).toList();
    return Query.of(
        q ->
            q.bool(
                b -> {
                  b.filter(f -> f.terms(t -> t.field("url_id").terms(v -> v.value(ids))))
                      .filter(
                          f ->
                              f.range(
                                  r ->
                                      r.field("clicked_at")
                                          .gte(JsonData.of(from.toString()))
                                          .lt(JsonData.of(to.toString()))));
                  if (!includeBots) {
                    b.filter(f -> f.term(t -> t.field("is_bot").value(FieldValue.of(false))));
                  }
                  return b;
                }));
  }

  private static CalendarInterval calendar(Buckets.Interval interval) {
    return switch (interval) {
      case MINUTE -> CalendarInterval.Minute;
      case HOUR -> CalendarInterval.Hour;
      case DAY -> CalendarInterval.Day;
      case WEEK -> CalendarInterval.Week;
      case MONTH -> CalendarInterval.Month;
    };
  }
}
