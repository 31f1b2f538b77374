package io.tinyscale.app.pipeline;

import static io.tinyscale.storage.jooq.Tables.CLICKS;

import io.tinyscale.app.ops.Settings;
import io.tinyscale.core.enrich.EnrichedClick;
import io.tinyscale.core.enrich.Enricher;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep11;
import io.tinyscale.storage.jooq.tables.records.ClicksRecord;

/**
 * One row per click in {@code clicks}: a multi-row insert per batch that ignores event ids it
 * already has, so a redelivered batch changes nothing. Kafka offsets are committed after it.
 */
final class RawClickWriter extends BatchConsumer {
  static final String GROUP = "tinyscale-raw-writer";
  private final DSLContext dsl;

  RawClickWriter(Settings settings, Enricher enricher, DeadLetters deadLetters, PipelineMetrics metrics, DSLContext dsl) {
    super(GROUP, settings, enricher, deadLetters, metrics);
    this.dsl = dsl;
  }

  @Override
  void write(List<EnrichedClick> batch, Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (batch.isEmpty()) {
      return;
    }
    InsertValuesStep11<ClicksRecord, Long, java.util.UUID, String, String, String, String, String, String, String, Boolean, java.time.OffsetDateTime> insert =
        dsl.insertInto(CLICKS, CLICKS.URL_ID, CLICKS.EVENT_ID, CLICKS.IP_ADDRESS, CLICKS.USER_AGENT, CLICKS.REFERRER,
            CLICKS.COUNTRY, CLICKS.BROWSER, CLICKS.OS, CLICKS.DEVICE, CLICKS.IS_BOT, CLICKS.CLICKED_AT);
    for (EnrichedClick c : batch) {
      insert = insert.values(c.urlId(), c.eventId(), c.ip(), c.userAgent(), c.referrer(), c.country(), c.browser(),
          c.os(), c.device(), c.bot(), c.at().atOffset(ZoneOffset.UTC));
    }
    insert.onConflict(CLICKS.EVENT_ID).doNothing().execute();
  }

}
