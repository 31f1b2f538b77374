package io.tinyscale.app.link;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tinyscale.app.account.Caller;
import io.tinyscale.app.platform.Backoff;
import io.tinyscale.app.platform.OpenSearch;
import io.tinyscale.app.platform.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.VersionType;
import org.opensearch.client.opensearch._types.aggregations.Aggregate;
import org.opensearch.client.opensearch._types.query_dsl.Operator;
import org.opensearch.client.opensearch._types.query_dsl.TextQueryType;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * The links index in OpenSearch, for search: one document per link (code, URL, owner, created,
 * disabled, deleted), kept in step with Postgres by following {@code urls.updated_at}, which every
 * create, change and delete sets. Processes that run the consumers follow it on a thread of their
 * own: every second, the links changed since the last change indexed (less {@link #OVERLAP}, for
 * transactions that committed late), in keyset pages. Each document's version is its {@code
 * updated_at}, so two workers following at once, or a sweep that sends a link again, never put an
 * older state over a newer one. Where to start after a restart is read from the index itself (its
 * latest {@code updated_at}).
 */
@ApplicationScoped
public class LinkSearchIndex {
  private static final Logger LOG = Logger.getLogger(LinkSearchIndex.class);

  /** What queries read and the follower writes; an alias, so the index can be rebuilt. */
  static final String ALIAS = "tinyscale-links";

  /** The index the alias points at when TinyScale creates it. */
  static final String FIRST_INDEX = ALIAS + "-v1";

  static final Duration OVERLAP = Duration.ofSeconds(10);
  private static final int PAGE = 1_000;
  private static final long FOLLOW_EVERY_MS = 1_000;

  private final OpenSearch openSearch;
  private final LinkRepository links;
  private final Settings settings;
  private volatile boolean running = true;
  private volatile boolean created;
  private Thread follower;

  LinkSearchIndex(OpenSearch openSearch, LinkRepository links, Settings settings) {
    this.openSearch = openSearch;
    this.links = links;
    this.settings = settings;
  }

  void start(@Observes StartupEvent event) {
    if (settings.role().runsConsumers()) {
      follower = Thread.ofPlatform().daemon().name("link-search-index").start(this::follow);
    }
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    if (follower != null) {
      follower.interrupt();
      follower.join(5_000);
    }
  }

  private void follow() {
    Backoff backoff = Backoff.exponential(FOLLOW_EVERY_MS, 30_000, Backoff.REAL_TIME);
    OffsetDateTime since = null;
    boolean failing = false;
    while (running) {
      try {
        if (since == null) {
          ensureIndex();
          since = latestIndexed().minus(OVERLAP);
        }
        since = sweep(since);
        if (failing) {
          LOG.info("Link search index: following links again");
          failing = false;
        }
        backoff.reset();
        Thread.sleep(FOLLOW_EVERY_MS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!failing) {
          LOG.warnf("Link search index: cannot follow links (%s); retrying", e.toString());
          failing = true;
        }
        try {
          backoff.pause();
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /**
   * Indexes every link changed after {@code since}; returns where the next sweep starts: the last
   * change seen, less the overlap.
   */
  OffsetDateTime sweep(OffsetDateTime since) {
    OffsetDateTime at = since;
    long id = 0;
    OffsetDateTime latest = since.plus(OVERLAP);
    while (true) {
      List<LinkRepository.Revision> page = links.changedAfter(at, id, PAGE);
      if (page.isEmpty()) {
        return latest.minus(OVERLAP);
      }
      index(page);
      LinkRepository.Revision last = page.getLast();
      at = last.updatedAt();
      id = last.id();
      if (at.isAfter(latest)) {
        latest = at;
      }
    }
  }

  private void index(List<LinkRepository.Revision> page) {
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    for (LinkRepository.Revision link : page) {
      bulk.operations(
          op ->
              op.index(
                  i ->
                      i.index(ALIAS)
                          .id(Long.toString(link.id()))
                          .versionType(VersionType.External)
                          .version(micros(link.updatedAt()))
                          .document(document(link))));
    }
    BulkResponse response = openSearch.call(c -> c.bulk(bulk.build()));
    if (response.errors()) {
      for (BulkResponseItem item : response.items()) {
        if (item.error() != null && item.status() != 409) { // 409: a newer state is there
          throw new IllegalStateException(
              "indexing link " + item.id() + " failed: " + item.error().reason());
        }
      }
    }
  }

  private static Map<String, Object> document(LinkRepository.Revision link) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("code", link.code());
    doc.put("url", link.url());
    doc.put("owner_id", link.ownerId());
    doc.put("created_at", link.createdAt().toInstant().toString());
    doc.put("updated_at", link.updatedAt().toInstant().toString());
    doc.put("disabled", link.disabled());
    doc.put("deleted", link.deleted());
    return doc;
  }

  private static long micros(OffsetDateTime at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at.toInstant());
  }

  /** Creates the index behind the alias, with its mapping, unless the alias exists. */
  void ensureIndex() {
    if (created) {
      return;
    }
    if (!openSearch.call(c -> c.indices().existsAlias(a -> a.name(ALIAS))).value()) {
      openSearch.sendResource("PUT", "/" + FIRST_INDEX, "links-index.json");
    }
    created = true;
  }

  /** The latest {@code updated_at} in the index; the epoch when it is empty. */
  private OffsetDateTime latestIndexed() {
    SearchResponse<Void> response =
        openSearch.call(
            c ->
                c.search(
                    s ->
                        s.index(ALIAS)
                            .size(0)
                            .aggregations("latest", a -> a.max(m -> m.field("updated_at"))),
                    Void.class));
    Aggregate latest = response.aggregations().get("latest");
    Double value = latest.max().value();
    return value == null || value.isInfinite() || value.isNaN()
        ? OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC)
        : OffsetDateTime.ofInstant(Instant.ofEpochMilli(value.longValue()), ZoneOffset.UTC);
  }

  /** One page of search results: the ids of the caller's links, best first, and the total. */
  record Hits(List<Long> ids, long total) {}

  /**
   * The caller's live links that match {@code q}: words of the URL (the last one may be a prefix,
   * as the user types) and the code. The owner and the deleted flag are filters (cached, not
   * scored); only the text is scored.
   */
  Hits search(Caller caller, String q, int page, int size) {
    SearchResponse<Void> response =
        openSearch.call(
            c ->
                c.search(
                    s ->
                        s.index(ALIAS)
                            .from(page * size)
                            .size(size)
                            .source(src -> src.fetch(false))
                            .trackTotalHits(t -> t.enabled(true))
                            .query(
                                query ->
                                    query.bool(
                                        b ->
                                            b.filter(
                                                    f ->
                                                        f.term(
                                                            t ->
                                                                t.field("owner_id")
                                                                    .value(
                                                                        FieldValue.of(
                                                                            caller.userId()))))
                                                .filter(
                                                    f ->
                                                        f.term(
                                                            t ->
                                                                t.field("deleted")
                                                                    .value(FieldValue.of(false))))
                                                .should(
                                                    sh ->
                                                        sh.term(
                                                            t ->
                                                                t.field("code")
                                                                    .value(FieldValue.of(q))
                                                                    .boost(10f)))
                                                .should(
                                                    sh ->
                                                        sh.multiMatch(
                                                            m ->
                                                                m.query(q)
                                                                    .type(TextQueryType.BoolPrefix)
                                                                    .operator(Operator.And)
                                                                    .fields("url", "code.words")))
                                                .minimumShouldMatch("1"))),
                    Void.class));
    List<Long> ids = response.hits().hits().stream().map(Hit::id).map(Long::valueOf).toList();
    long total = response.hits().total() == null ? ids.size() : response.hits().total().value();
    return new Hits(ids, total);
  }
}
