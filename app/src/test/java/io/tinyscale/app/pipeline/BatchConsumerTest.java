package io.tinyscale.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinyscale.app.platform.FakeTime;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.app.platform.TestPlatform;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.core.enrich.EnrichedClick;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The poll loop every click consumer shares, on Kafka's own mock consumer and producer and a fake
 * clock: a poison event is dead-lettered while the rest of its batch is written, a database outage
 * retries the batch with backoff and commits nothing meanwhile. The consumer runs on the test's
 * thread until its batch is committed.
 */
class BatchConsumerTest {
  private static final TopicPartition P0 = new TopicPartition(Topics.CLICKS, 0);
  private static final String GROUP = ConsumerGroup.RAW_WRITER.groupId();

  private final FakeTime time = new FakeTime();
  private final FakeKafka kafka = new FakeKafka();
  private final MockProducer<String, byte[]> deadLetterTopic =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final FailureState state = new FailureState();

  /** The events the sink has durably written, in order. */
  private final List<UUID> written = new ArrayList<>();

  private Consumer consumer;
  private long expectedCommit;

  /** A consumer whose sink is {@code write}. */
  final class Consumer extends BatchConsumer {
    private final BiConsumer<List<EnrichedClick>, Map<TopicPartition, OffsetAndMetadata>> write;

    Consumer(
        Settings settings,
        BiConsumer<List<EnrichedClick>, Map<TopicPartition, OffsetAndMetadata>> write) {
      super(
          state,
          ConsumerGroup.RAW_WRITER,
          settings.pipeline(),
          kafka,
          BatchConsumerTest::enrich,
          new DeadLetters(settings, new SimpleMeterRegistry(), deadLetterTopic),
          new PipelineMetrics(new SimpleMeterRegistry()),
          time,
          time);
      this.write = write;
    }

    @Override
    void write(List<EnrichedClick> batch, Map<TopicPartition, OffsetAndMetadata> offsets) {
      write.accept(batch, offsets);
    }
  }

  /**
   * Kafka's mock consumer on the fake clock: an empty poll spends its timeout there. It stops the
   * consumer once the expected position is committed, or after an hour of fake time.
   */
  final class FakeKafka extends MockConsumer<String, byte[]> {
    private final long started = time.millis();
    private long positionAtClose;

    FakeKafka() {
      super("earliest");
    }

    @Override
    public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
      if (committedPosition() == expectedCommit
          || time.millis() - started > Duration.ofHours(1).toMillis()) {
        consumer.stop();
      }
      ConsumerRecords<String, byte[]> records = super.poll(timeout);
      if (records.isEmpty()) {
        time.advance(timeout.toMillis());
      }
      return records;
    }

    @Override
    public synchronized void close(Duration timeout) {
      positionAtClose = committedPosition();
      super.close(timeout);
    }

    /** The committed position of partition 0, or -1. */
    synchronized long committedPosition() {
      if (closed()) {
        return positionAtClose;
      }
      OffsetAndMetadata at = committed(Set.of(P0)).get(P0);
      return at == null ? -1 : at.offset();
    }
  }

  private static EnrichedClick enrich(ClickEvent e) {
    return new EnrichedClick(
        e.eventId(),
        e.code(),
        e.urlId(),
        e.at(),
        e.ip(),
        e.userAgent(),
        e.referrer(),
        null,
        null,
        null,
        null,
        false);
  }

  private static ClickEvent click(int n) {
    return new ClickEvent(
        UUID.randomUUID(),
        "code" + n,
        n,
        Instant.parse("2026-01-01T10:00:00Z"),
        "203.0.113.0",
        "curl/8",
        null);
  }

  /** Runs a consumer of {@code records} (offsets 0, 1, ...) until they are all committed. */
  private void consume(
      List<byte[]> records,
      BiConsumer<List<EnrichedClick>, Map<TopicPartition, OffsetAndMetadata>> write) {
    Settings settings =
        TestPlatform.settings(
            Map.of(
                "tinyscale.batch-size",
                Integer.toString(records.size()),
                "tinyscale.max-attempts",
                "3"));
    consumer = new Consumer(settings, write);
    expectedCommit = records.size();
    kafka.updateBeginningOffsets(Map.of(P0, 0L));
    kafka.updateEndOffsets(Map.of(P0, (long) records.size()));
    kafka.schedulePollTask(
        () -> {
          kafka.rebalance(List.of(P0));
          for (int offset = 0; offset < records.size(); offset++) {
            kafka.addRecord(
                new ConsumerRecord<>(Topics.CLICKS, 0, offset, "k", records.get(offset)));
          }
        });
    consumer.run();
  }

  private static List<UUID> ids(List<EnrichedClick> batch) {
    return batch.stream().map(EnrichedClick::eventId).toList();
  }

  private static String header(ProducerRecord<String, byte[]> letter, String name) {
    return new String(letter.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void aPoisonEventIsDeadLetteredAndTheRestOfTheBatchWritten() {
    List<ClickEvent> clicks = List.of(click(0), click(1), click(2), click(3), click(4));
    UUID poison = clicks.get(2).eventId();
    List<byte[]> records = new ArrayList<>(clicks.stream().map(ClickEventJson::encode).toList());
    byte[] garbage = "{not a click".getBytes(StandardCharsets.UTF_8);
    records.add(garbage);
    List<Map<TopicPartition, OffsetAndMetadata>> positionsWritten = new ArrayList<>();

    consume(
        records,
        (batch, offsets) -> {
          if (ids(batch).contains(poison)) {
            throw new IllegalArgumentException("value too long for type character varying(2048)");
          }
          written.addAll(ids(batch));
          if (!offsets.isEmpty()) {
            positionsWritten.add(offsets);
          }
        });

    assertThat(written)
        .containsExactly(
            clicks.get(0).eventId(),
            clicks.get(1).eventId(),
            clicks.get(3).eventId(),
            clicks.get(4).eventId());
    assertThat(positionsWritten).containsExactly(Map.of(P0, new OffsetAndMetadata(6)));
    assertThat(kafka.committedPosition()).isEqualTo(6);

    List<ProducerRecord<String, byte[]>> letters = deadLetterTopic.history();
    assertThat(letters).hasSize(2);
    ProducerRecord<String, byte[]> unparseable = letters.get(0);
    assertThat(unparseable.topic()).isEqualTo(Topics.DEAD_LETTERS);
    assertThat(unparseable.value()).isEqualTo(garbage);
    assertThat(header(unparseable, DeadLetters.SOURCE_OFFSET)).isEqualTo("5");
    assertThat(header(unparseable, DeadLetters.ATTEMPTS)).isEqualTo("1");
    assertThat(header(unparseable, DeadLetters.ERROR_CLASS))
        .isEqualTo(ClickEventJson.InvalidClickEvent.class.getName());
    ProducerRecord<String, byte[]> unwritable = letters.get(1);
    assertThat(unwritable.value()).isEqualTo(records.get(2));
    assertThat(header(unwritable, DeadLetters.SOURCE_OFFSET)).isEqualTo("2");
    assertThat(header(unwritable, DeadLetters.ATTEMPTS)).isEqualTo("3");
    assertThat(header(unwritable, DeadLetters.ERROR_MESSAGE)).contains("value too long");
    assertThat(header(unwritable, DeadLetters.CONSUMER_GROUP)).isEqualTo(GROUP);

    assertThat(time.sleeps()).as("the poison event's retries").containsExactly(100L, 200L);
    assertThat(state.since()).isZero();
  }

  @Test
  void aDatabaseOutageRetriesTheWholeBatchWithBackoffCommittingNothingMeanwhile() {
    List<ClickEvent> clicks = List.of(click(0), click(1), click(2), click(3));
    List<Long> attemptsAt = new ArrayList<>();
    List<Long> committedAtAttempt = new ArrayList<>();
    List<String> failureAtAttempt = new ArrayList<>();

    consume(
        clicks.stream().map(ClickEventJson::encode).toList(),
        (batch, offsets) -> {
          attemptsAt.add(time.millis());
          committedAtAttempt.add(kafka.committedPosition());
          failureAtAttempt.add(state.why());
          if (attemptsAt.size() <= 3) {
            throw new IllegalStateException(
                "insert failed", new SQLTransientConnectionException("Connection refused"));
          }
          written.addAll(ids(batch));
        });

    assertThat(written)
        .containsExactlyElementsOf(clicks.stream().map(ClickEvent::eventId).toList());
    List<Long> waits = new ArrayList<>();
    for (int i = 1; i < attemptsAt.size(); i++) {
      waits.add(attemptsAt.get(i) - attemptsAt.get(i - 1));
    }
    assertThat(waits).containsExactly(500L, 1_000L, 2_000L);
    assertThat(committedAtAttempt).containsOnly(-1L);
    assertThat(failureAtAttempt.get(0)).isNull();
    assertThat(failureAtAttempt.subList(1, 4))
        .allSatisfy(why -> assertThat(why).startsWith("sink unavailable"));
    assertThat(kafka.committedPosition()).isEqualTo(4);
    assertThat(state.since()).as("healthy once the batch is committed").isZero();
    assertThat(deadLetterTopic.history()).isEmpty();
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void anOutageWhileIsolatingRetriesOnlyWhatIsLeftAndDeadLettersNothingTwice() {
    List<ClickEvent> clicks = List.of(click(0), click(1), click(2), click(3), click(4));
    UUID poison = clicks.get(2).eventId();
    UUID interrupted = clicks.get(3).eventId();
    List<List<UUID>> attempts = new ArrayList<>();

    consume(
        clicks.stream().map(ClickEventJson::encode).toList(),
        (batch, offsets) -> {
          attempts.add(ids(batch));
          if (ids(batch).contains(poison)) {
            throw new IllegalArgumentException("violates check constraint");
          }
          if (ids(batch).equals(List.of(interrupted))
              && attempts.stream().filter(a -> a.contains(interrupted)).count() == 2) {
            throw new IllegalStateException(
                "insert failed", new SQLTransientConnectionException("Connection refused"));
          }
          written.addAll(ids(batch));
        });

    assertThat(written)
        .containsExactly(
            clicks.get(0).eventId(),
            clicks.get(1).eventId(),
            clicks.get(3).eventId(),
            clicks.get(4).eventId());
    assertThat(attempts.getLast())
        .as("the rest, retried as one batch")
        .containsExactly(interrupted, clicks.get(4).eventId());
    assertThat(deadLetterTopic.history()).hasSize(1);
    assertThat(header(deadLetterTopic.history().getFirst(), DeadLetters.SOURCE_OFFSET))
        .isEqualTo("2");
    assertThat(kafka.committedPosition()).isEqualTo(5);
  }
}
