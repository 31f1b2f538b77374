package io.tinyscale.app.admin;

import static io.tinyscale.storage.jooq.Tables.CONSUMER_OFFSETS;

import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemType;
import io.tinyscale.app.pipeline.Pipeline;
import io.tinyscale.app.platform.DatabaseFailures;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ClickTopics;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The dead-letter topic: its most recent letters, and their replay to {@code clicks}. Replay
 * re-publishes every letter not yet replayed; the sinks are idempotent, so replaying one twice does
 * no harm. The replay position is kept in {@code consumer_offsets}.
 */
@ApplicationScoped
class DeadLetterStore {
  static final String REPLAY_GROUP = "tinyscale-dlt-replay";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
  private static final int REPLAY_PAGE = 500;
  private static final Duration REPLAY_MARGIN = Duration.ofDays(1);

  public record DeadLetter(
      long offset, String key, String value, Map<String, String> headers, boolean replayed) {}

  public record DeadLetterPage(long total, long replayedUpTo, List<DeadLetter> items) {}

  /**
   * {@code tooOld}: letters left out because they are older than the aggregator's memory of counted
   * events (7 days, less a day's margin): replayed, they might be counted twice.
   */
  public record Replay(long replayed, long from, long to, long tooOld) {}

  private final Settings settings;
  private final DSLContext dsl;

  DeadLetterStore(Settings settings, DSLContext dsl) {
    this.settings = settings;
    this.dsl = dsl;
  }

  /** The topic's first and next offsets, and where the next replay starts. */
  private record Positions(long begin, long end, long replayedUpTo) {}

  private Positions positions(KafkaConsumer<String, byte[]> consumer, TopicPartition dlt) {
    long begin = consumer.beginningOffsets(List.of(dlt)).get(dlt);
    long end = consumer.endOffsets(List.of(dlt)).get(dlt);
    return new Positions(
        begin,
        end,
        replayStart(ClickTopics.key(settings.kafka().bootstrap(), dlt.topic()), begin, end));
  }

  /** The last {@code limit} letters, newest last. */
  DeadLetterPage recent(int limit) {
    TopicPartition dlt = partition();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.assign(List.of(dlt));
      Positions at = positions(consumer, dlt);
      List<DeadLetter> items = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r :
          read(consumer, dlt, Math.max(at.begin(), at.end() - limit), at.end())) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
          headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
        items.add(
            new DeadLetter(r.offset(), r.key(), value, headers, r.offset() < at.replayedUpTo()));
      }
      return new DeadLetterPage(at.end() - at.begin(), at.replayedUpTo(), items);
    }
  }

  /**
   * The letters a replay would publish now: those after the replay position that are young enough
   * to replay (see {@link Replay#tooOld}). What {@code tinyscale_dead_letters_waiting} shows.
   */
  long waiting() {
    TopicPartition dlt = partition();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      Positions at = positions(consumer, dlt);
      OffsetAndTimestamp firstYoung = consumer.offsetsForTimes(Map.of(dlt, oldest())).get(dlt);
      long young = firstYoung == null ? at.end() : firstYoung.offset();
      return at.end() - Math.max(at.replayedUpTo(), young);
    }
  }

  /** Letters older than this (epoch milliseconds) are not replayed: they could count twice. */
  private static long oldest() {
    return System.currentTimeMillis() - Pipeline.EVENT_ID_MEMORY.minus(REPLAY_MARGIN).toMillis();
  }

  /** Replays every letter not replayed before, in pages; one replay at a time. */
  Replay replay() {
    TopicPartition dlt = partition();
    String dltKey = ClickTopics.key(settings.kafka().bootstrap(), dlt.topic());
    // The replay position's row (created first, in a transaction of its own, so that creating it
    // never waits on another replay), locked for the whole replay: a second replay meanwhile is
    // refused instead of publishing the same letters again.
    dsl.insertInto(
            CONSUMER_OFFSETS,
            CONSUMER_OFFSETS.CONSUMER_GROUP,
            CONSUMER_OFFSETS.TOPIC,
            CONSUMER_OFFSETS.PARTITION_ID,
            CONSUMER_OFFSETS.NEXT_OFFSET)
        .values(REPLAY_GROUP, dltKey, dlt.partition(), 0L)
        .onConflictDoNothing()
        .execute();
    return dsl.transactionResult(
        tx -> {
          DSLContext db = tx.dsl();
          long stored;
          try {
            stored =
                db.select(CONSUMER_OFFSETS.NEXT_OFFSET)
                    .from(CONSUMER_OFFSETS)
                    .where(replayRow(dltKey))
                    .forUpdate()
                    .noWait()
                    .fetchSingle(CONSUMER_OFFSETS.NEXT_OFFSET);
          } catch (org.jooq.exception.DataAccessException e) {
            if (DatabaseFailures.isTransient(e)) {
              throw e;
            }
            throw new ProblemException(
                ProblemType.REPLAY_IN_PROGRESS,
                "another replay of the dead letters is running; " + "retry once it has finished");
          }
          return publish(db, dlt, dltKey, stored);
        });
  }

  private Replay publish(DSLContext db, TopicPartition dlt, String dltKey, long stored)
      throws Exception {
    // an admin request may wait for the broker's metadata; the redirect may not
    Properties config =
        KafkaClients.reliableProducer(settings.kafka().bootstrap(), Duration.ofSeconds(10));
    long oldest = oldest();
    try (KafkaConsumer<String, byte[]> consumer = consumer();
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      consumer.assign(List.of(dlt));
      long begin = consumer.beginningOffsets(List.of(dlt)).get(dlt);
      long end = consumer.endOffsets(List.of(dlt)).get(dlt);
      long from = Math.min(end, Math.max(begin, stored));
      long replayed = 0;
      long tooOld = 0;
      for (long page = from; page < end; page += REPLAY_PAGE) {
        List<Future<?>> acks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r :
            read(consumer, dlt, page, Math.min(end, page + REPLAY_PAGE))) {
          if (r.timestamp() < oldest) {
            tooOld++;
            continue;
          }
          ProducerRecord<String, byte[]> again =
              new ProducerRecord<>(Topics.CLICKS, r.key(), r.value());
          again
              .headers()
              .add(
                  "x-replayed-from-dlt-offset",
                  Long.toString(r.offset()).getBytes(StandardCharsets.UTF_8));
          acks.add(producer.send(again));
        }
        for (Future<?> ack : acks) {
          ack.get(30, TimeUnit.SECONDS);
        }
        replayed += acks.size();
        db.update(CONSUMER_OFFSETS)
            .set(CONSUMER_OFFSETS.NEXT_OFFSET, Math.min(end, page + REPLAY_PAGE))
            .set(CONSUMER_OFFSETS.UPDATED_AT, DSL.currentOffsetDateTime())
            .where(replayRow(dltKey))
            .execute();
      }
      return new Replay(replayed, from, end, tooOld);
    }
  }

  /** {@code dltKey}: the dead-letter topic's name and id, the key of its stored replay position. */
  private long replayStart(String dltKey, long begin, long end) {
    return Math.min(end, Math.max(begin, replayPosition(dltKey)));
  }

  private long replayPosition(String dltKey) {
    Long position =
        dsl.select(CONSUMER_OFFSETS.NEXT_OFFSET)
            .from(CONSUMER_OFFSETS)
            .where(replayRow(dltKey))
            .fetchOne(CONSUMER_OFFSETS.NEXT_OFFSET);
    return position == null ? 0 : position;
  }

  private static Condition replayRow(String dltKey) {
    return CONSUMER_OFFSETS.CONSUMER_GROUP.eq(REPLAY_GROUP).and(CONSUMER_OFFSETS.TOPIC.eq(dltKey));
  }

  private static List<ConsumerRecord<String, byte[]>> read(
      KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long from, long to) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    if (from >= to) {
      return records;
    }
    consumer.seek(partition, from);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(partition) < to) {
      if (System.nanoTime() > deadline) {
        throw new ProblemException(
            ProblemType.DEPENDENCY_UNAVAILABLE, "Kafka did not return the dead letters in time");
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        if (r.offset() < to) {
          records.add(r);
        }
      }
    }
    return records;
  }

  private TopicPartition partition() {
    return new TopicPartition(Topics.DEAD_LETTERS, 0);
  }

  private KafkaConsumer<String, byte[]> consumer() {
    return new KafkaConsumer<>(
        KafkaClients.reader(settings.kafka().bootstrap()),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
