package io.tinyscale.app.pipeline;

import static io.tinyscale.storage.jooq.Tables.CLICKS;

import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.enrich.EnrichedClick;
import io.tinyscale.core.enrich.Enricher;
import io.tinyscale.storage.jooq.tables.records.ClicksRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.jooq.TableField;

/**
 * One row per click in {@code clicks}: each batch is one transaction of inserts that ignore event
 * ids already stored, so a redelivered batch changes nothing. Kafka offsets are committed after it.
 *
 * <p>The insert is built and rendered by jOOQ once, with one parameter per column, and each batch
 * binds it once per click and sends it as one JDBC batch, which the driver folds into multi-row
 * inserts ({@code reWriteBatchedInserts}, application.properties). A jOOQ multi-row VALUES
 * statement, or a jOOQ batch, turns every value of every click into a jOOQ parameter object, which
 * dominated the consumer threads' profiles (docs/benchmarks-log.md, "Click pipeline").
 */
final class RawClickWriter extends BatchConsumer {

  /** A column and where its value comes from; the statement binds them in this order. */
  private record Column<T>(TableField<ClicksRecord, T> field, Function<EnrichedClick, T> value) {
    /**
     * Text through {@code setString}, also when null, so that every click binds the same parameter
     * types and the driver can fold all of them into multi-row inserts.
     */
    void bind(PreparedStatement statement, int index, EnrichedClick click) throws SQLException {
      T v = value.apply(click);
      if (field.getType() == String.class) {
        statement.setString(index, (String) v);
      } else {
        statement.setObject(index, v);
      }
    }
  }

  private static final List<Column<?>> COLUMNS =
      List.of(
          new Column<>(CLICKS.URL_ID, EnrichedClick::urlId),
          new Column<>(CLICKS.EVENT_ID, EnrichedClick::eventId),
          new Column<>(CLICKS.IP_ADDRESS, EnrichedClick::ip),
          new Column<>(CLICKS.USER_AGENT, EnrichedClick::userAgent),
          new Column<>(CLICKS.REFERRER, EnrichedClick::referrer),
          new Column<>(CLICKS.COUNTRY, EnrichedClick::country),
          new Column<>(CLICKS.BROWSER, EnrichedClick::browser),
          new Column<>(CLICKS.OS, EnrichedClick::os),
          new Column<>(CLICKS.DEVICE, EnrichedClick::device),
          new Column<>(CLICKS.IS_BOT, EnrichedClick::bot),
          new Column<>(CLICKS.CLICKED_AT, c -> c.at().atOffset(ZoneOffset.UTC)));

  private final DSLContext dsl;
  private final String insert;

  RawClickWriter(
      FailureState state,
      Settings settings,
      Enricher enricher,
      DeadLetters deadLetters,
      PipelineMetrics metrics,
      DSLContext dsl) {
    super(state, ConsumerGroup.RAW_WRITER, settings, enricher, deadLetters, metrics);
    this.dsl = dsl;
    this.insert =
        dsl.render(
            dsl.insertInto(CLICKS, COLUMNS.stream().map(Column::field).toList())
                .values(Collections.nCopies(COLUMNS.size(), null))
                .onConflict(CLICKS.EVENT_ID)
                .doNothing());
  }

  @Override
  void write(List<EnrichedClick> batch, Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (batch.isEmpty()) {
      return;
    }
    dsl.transaction(
        tx ->
            tx.dsl()
                .connection(
                    connection -> {
                      try (PreparedStatement statement = connection.prepareStatement(insert)) {
                        for (EnrichedClick click : batch) {
                          for (int i = 0; i < COLUMNS.size(); i++) {
                            COLUMNS.get(i).bind(statement, i + 1, click);
                          }
                          statement.addBatch();
                        }
                        statement.executeBatch();
                      }
                    }));
  }
}
