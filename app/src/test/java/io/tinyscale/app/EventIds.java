package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.testkit.Db;
import io.tinyscale.testkit.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One link's clicks, by event id, in each place they go: the click topic, {@code clicks}, and the
 * hourly aggregator's ledger ({@code aggregated_events}). The fault tests compare these sets, not
 * only counts: a lost click and a click counted twice cannot cancel out.
 */
final class EventIds {
  private EventIds() {}

  /**
   * The event ids of the link's clicks in the click topic (keyed by short code), read to its end.
   */
  static Set<UUID> inKafka(String bootstrap, String code) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClients.reader(bootstrap),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.CLICKS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Set<UUID> ids = new HashSet<>();
      Waits.until(
          "the click topic read to its end",
          () -> {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
              if (code.equals(r.key())) {
                ids.add(ClickEventJson.decode(r.value()).eventId());
              }
            }
            return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
          });
      return ids;
    }
  }

  /** The event ids of the link's rows in {@code clicks}. */
  static Set<UUID> inClicks(Connection db, long urlId) {
    return Db.uuids(db, "select event_id from clicks where url_id = ?", urlId);
  }

  /** Those of {@code ids} that the hourly aggregator has counted. */
  static Set<UUID> inLedger(Connection db, Set<UUID> ids) {
    try {
      return Db.uuids(
          db,
          "select event_id from aggregated_events where event_id = any(?)",
          db.createArrayOf("uuid", ids.toArray()));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the link's {@code redirects} clicks are each in Kafka, in {@code clicks} and in the
   * aggregator's ledger, the same event ids everywhere, and the hourly counts add up to them.
   */
  static void awaitCountedOnce(
      String bootstrap, Connection db, String code, long urlId, long redirects) {
    Set<UUID> produced = new HashSet<>();
    Waits.until(
        "every answered redirect produced to Kafka",
        () -> {
          produced.clear();
          produced.addAll(inKafka(bootstrap, code));
          return produced.size() >= redirects;
        },
        () -> "(" + produced.size() + " of " + redirects + ")");
    assertThat(produced).as("one event id per answered redirect").hasSize((int) redirects);
    Waits.until(
        "clicks holds exactly the produced events",
        () -> inClicks(db, urlId).equals(produced),
        () -> difference(produced, inClicks(db, urlId)));
    Waits.until(
        "the aggregator's ledger holds every produced event",
        () -> inLedger(db, produced).equals(produced),
        () -> difference(produced, inLedger(db, produced)));
    Waits.untilEquals(
        "the link's hourly counts",
        redirects,
        () ->
            Db.count(
                db,
                "select coalesce(sum(count), 0) from url_stats_hourly where url_id = ?",
                urlId));
    assertThat(inClicks(db, urlId)).as("clicks, once more").isEqualTo(produced);
  }

  private static String difference(Set<UUID> expected, Set<UUID> actual) {
    Set<UUID> missing = new HashSet<>(expected);
    missing.removeAll(actual);
    Set<UUID> extra = new HashSet<>(actual);
    extra.removeAll(expected);
    return "(" + missing.size() + " missing, " + extra.size() + " not produced)";
  }
}
