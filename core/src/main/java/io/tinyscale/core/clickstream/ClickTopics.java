package io.tinyscale.core.clickstream;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates {@code clicks} (keyed by short code) and {@code clicks.dlt} when they are missing. */
public final class ClickTopics {
  private ClickTopics() {}

  /**
   * The topic's name with its Kafka topic id ({@code clicks@<uuid>}): the key under which stored
   * positions (consumer_offsets) live. Offsets mean nothing in another incarnation of a topic, or
   * on another cluster; keyed this way, a recreated topic starts from its beginning instead of from
   * a stale position.
   */
  public static String key(String bootstrap, String topic) {
    try (Admin admin = Admin.create(KafkaClients.admin(bootstrap))) {
      return topic
          + "@"
          + admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(8, TimeUnit.SECONDS)
              .get(topic)
              .topicId();
    } catch (ExecutionException | TimeoutException e) {
      throw new org.apache.kafka.common.KafkaException("cannot describe topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }

  /**
   * The replication factor of the topics TinyScale creates: TINYSCALE_KAFKA_REPLICATION_FACTOR,
   * else min(3, brokers), so one broker serves a laptop and three keep a production cluster's
   * clicks through the loss of one.
   */
  static short replicationFactor(Optional<Integer> configured, int brokers) {
    return (short) (int) configured.orElse(Math.min(3, Math.max(1, brokers)));
  }

  /**
   * min.insync.replicas for a topic of {@code replicas}: 2 of 3 (or more), so that an acknowledged
   * click (acks=all) is on two brokers while one may be down; 1 otherwise.
   */
  static String minInsyncReplicas(short replicas) {
    return replicas >= 3 ? "2" : "1";
  }

  /**
   * Creates the topics that are missing: {@code clicks} with {@code partitions} partitions, the
   * dead letters with one. True when both exist (now or already); false when the broker could not
   * be reached.
   */
  public static boolean ensure(
      String bootstrap, int partitions, Optional<Integer> replicationFactor) {
    try (Admin admin = Admin.create(KafkaClients.admin(bootstrap))) {
      Set<String> existing = admin.listTopics().names().get(8, TimeUnit.SECONDS);
      short replicas =
          replicationFactor(
              replicationFactor, admin.describeCluster().nodes().get(8, TimeUnit.SECONDS).size());
      String minInsync = minInsyncReplicas(replicas);
      List<NewTopic> missing =
          List.of(
                  new NewTopic(Topics.CLICKS, partitions, replicas)
                      .configs(Map.of("min.insync.replicas", minInsync)),
                  // dead letters are rare and read in order: one partition keeps them in order
                  new NewTopic(Topics.DEAD_LETTERS, 1, replicas)
                      .configs(
                          Map.of("retention.ms", "2592000000", "min.insync.replicas", minInsync)))
              .stream()
              .filter(t -> !existing.contains(t.name()))
              .toList();
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(8, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
