package io.tinyscale.app.live;

import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.enrich.Enricher;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * A resuming stream's own reader, short-lived: it seeks every partition by the time of the client's
 * last click ({@link Resume}), sends {@code : ready}, then reads each partition up to the position
 * the shared feed had reached when the stream joined it ({@code until}), sending the clicks the
 * client is owed at the client's pace. Then the stream is handed to the feed.
 */
final class CatchUp implements Runnable {
  private static final Logger LOG = Logger.getLogger(CatchUp.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final LiveFeed feed;
  private final LiveClient client;
  private final Map<TopicPartition, Long> until;
  private final String bootstrap;

  CatchUp(LiveFeed feed, LiveClient client, Map<TopicPartition, Long> until, String bootstrap) {
    this.feed = feed;
    this.client = client;
    this.until = until;
    this.bootstrap = bootstrap;
  }

  @Override
  public void run() {
    if (!client.isOpen()) {
      return;
    }
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClients.liveReader(bootstrap),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(until.keySet());
      Map<TopicPartition, Long> from = new HashMap<>();
      until.keySet().forEach(p -> from.put(p, client.resume.seekMillis()));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(from);
      for (var p : until.entrySet()) {
        OffsetAndTimestamp at = found.get(p.getKey());
        // nothing sent since that time: nothing to catch up on there
        consumer.seek(p.getKey(), at == null ? p.getValue() : Math.min(at.offset(), p.getValue()));
      }
      client.ready();
      Enricher enricher = feed.enricher();
      while (client.isOpen() && !caughtUp(consumer)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          if (r.offset() >= until.get(new TopicPartition(r.topic(), r.partition()))) {
            continue; // the feed sends it
          }
          ClickEvent click;
          try {
            click = ClickEventJson.decode(r.value());
          } catch (ClickEventJson.InvalidClickEvent e) {
            continue;
          }
          if (client.resume.owes(r.partition(), click.eventId())
              && feed.wants(client, click)
              && client.catchUp(LiveFeed.frame(enricher, click))) {
            feed.counted();
          }
        }
      }
      client.caughtUp();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.abort();
    } catch (RuntimeException e) {
      LOG.warnf("A live stream could not catch up (%s); it is closed, to resume again", e);
      client.abort();
    }
  }

  private boolean caughtUp(KafkaConsumer<String, byte[]> consumer) {
    for (var p : until.entrySet()) {
      if (consumer.position(p.getKey()) < p.getValue()) {
        return false;
      }
    }
    return true;
  }
}
