package io.tinyscale.app.pipeline;

import io.tinyscale.app.analytics.ClickIndex;
import io.tinyscale.app.link.LinkUrls;
import io.tinyscale.app.platform.DatabaseFailures;
import io.tinyscale.app.platform.OpenSearch;
import io.tinyscale.app.platform.OpenSearchFailures;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.enrich.EnrichedClick;
import io.tinyscale.core.enrich.Enricher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;

/**
 * One document per click in OpenSearch ({@link ClickIndex}), the source of the analytics API. Each
 * batch is one bulk request of {@code create} operations whose document id is the click's event id:
 * a redelivered or replayed click finds its document there (409, counted as done), so none is
 * indexed twice. Rejections (429), an unavailable cluster (503, no connection) and a database away
 * (the links' URLs come from Postgres) are transient: the batch is retried with backoff and nothing
 * is committed meanwhile. A document OpenSearch refuses (its mapping) is not: the batch is then
 * written click by click and the click that keeps being refused goes to the dead-letter topic, as
 * does a click of no link (which the other groups refuse too).
 */
final class SearchIndexer extends BatchConsumer {
  private final OpenSearch openSearch;
  private final ClickIndex index;
  private final LinkUrls urls;
  private final PipelineMetrics metrics;

  SearchIndexer(
      FailureState state,
      Settings settings,
      Enricher enricher,
      DeadLetters deadLetters,
      PipelineMetrics metrics,
      OpenSearch openSearch,
      ClickIndex index,
      LinkUrls urls) {
    super(state, ConsumerGroup.INDEXER, settings, enricher, deadLetters, metrics);
    this.openSearch = openSearch;
    this.index = index;
    this.urls = urls;
    this.metrics = metrics;
  }

  @Override
  void write(List<EnrichedClick> batch, Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (batch.isEmpty()) {
      return;
    }
    index.ensureTemplate();
    Instant now = Instant.now();
    // clicks past retention first: a replay of old months costs no lookup
    List<EnrichedClick> kept = batch.stream().filter(c -> index.retained(c.at(), now)).toList();
    if (kept.isEmpty()) {
      return;
    }
    Set<Long> urlIds = new HashSet<>();
    kept.forEach(c -> urlIds.add(c.urlId()));
    Map<Long, String> urlById = urls.of(urlIds);
    List<Long> orphans = urlIds.stream().filter(id -> !urlById.containsKey(id)).toList();
    if (!orphans.isEmpty()) {
      // as the raw writer refuses it (foreign key): a click of no link is poison
      throw new IllegalArgumentException("no link has the id " + orphans);
    }
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    for (EnrichedClick click : kept) {
      bulk.operations(
          op ->
              op.create(
                  c ->
                      c.index(ClickIndex.indexFor(click.at()))
                          .id(click.eventId().toString())
                          .document(document(click, urlById.get(click.urlId())))));
    }
    BulkResponse response = openSearch.call(c -> c.bulk(bulk.build()));
    long created = kept.size();
    if (response.errors()) {
      List<String> refused = new ArrayList<>();
      boolean transientFailure = false;
      for (BulkResponseItem item : response.items()) {
        if (item.error() == null) {
          continue;
        }
        if (item.status() == 409) {
          created--; // indexed before: a redelivery or a replay
        } else if (OpenSearchFailures.isTransientStatus(item.status())) {
          transientFailure = true;
        } else {
          refused.add(item.id() + ": " + item.error().type() + " " + item.error().reason());
        }
      }
      if (transientFailure) {
        throw new OpenSearchFailures.Unavailable("bulk request partly rejected (429/5xx)");
      }
      if (!refused.isEmpty()) {
        throw new IllegalArgumentException("OpenSearch refused " + refused);
      }
    }
    metrics.indexed(created);
  }

  @Override
  boolean isTransient(RuntimeException e) {
    return OpenSearchFailures.isTransient(e) || DatabaseFailures.isTransient(e);
  }

  /** The document of a click, its fields named as in the index template. */
  static Map<String, Object> document(EnrichedClick click, String url) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("event_id", click.eventId().toString());
    doc.put("short_code", click.code());
    doc.put("url_id", click.urlId());
    doc.put("original_url", url);
    doc.put("clicked_at", click.at().toString());
    doc.put("country", click.country());
    doc.put("browser", click.browser());
    doc.put("os", click.os());
    doc.put("device", click.device());
    doc.put("user_agent", click.userAgent());
    doc.put("is_bot", click.bot());
    doc.put("referrer_host", click.referrer());
    return doc;
  }
}
