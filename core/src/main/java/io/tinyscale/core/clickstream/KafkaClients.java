package io.tinyscale.core.clickstream;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of every Kafka client of the click stream: the server's click producer, the workers'
 * consumers, the dead-letter producer and reader, and the admin client that creates the topics. The
 * server, the worker, the bench and the tests all take them from here.
 */
public final class KafkaClients {
  /**
   * How long the click producer lets a batch wait to fill: per click, Kafka's cost on both sides is
   * mostly per batch, and the redirect never waits for it (figures in docs/benchmarks.md).
   */
  public static final int CLICK_LINGER_MS = 100;

  private KafkaClients() {}

  /**
   * The redirect's producer: idempotent, acks=all, large batches, and it never blocks ({@code
   * max.block.ms} 0): a missing broker or a full buffer fails the send at once, and the click goes
   * to the local spool. {@code deliveryTimeout}: how long a click may wait for the broker before it
   * is handed to the spool.
   */
  public static Properties clickProducer(String bootstrap, Duration deliveryTimeout) {
    return clickProducer(bootstrap, deliveryTimeout, CLICK_LINGER_MS);
  }

  /** The redirect's producer with another linger: for the benchmark that chose the linger. */
  public static Properties clickProducer(String bootstrap, Duration deliveryTimeout, int lingerMs) {
    Properties props = reliableProducer(bootstrap, Duration.ZERO);
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    int delivery = (int) deliveryTimeout.toMillis();
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
    // Kafka refuses a delivery timeout below linger + request timeout
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, delivery - lingerMs - 10));
    return props;
  }

  /**
   * A producer for dead letters, replays and tests: idempotent, acks=all, and allowed to wait
   * {@code maxBlock} for the broker's metadata (a worker or an admin request may wait; the redirect
   * may not).
   */
  public static Properties reliableProducer(String bootstrap, Duration maxBlock) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    return props;
  }

  /**
   * A producer that loads the topic as fast as it can (benchmarks and tests that publish many
   * clicks): the reliable producer's settings, so consumers read what they read in production, with
   * larger batches and buffer.
   */
  public static Properties bulkProducer(String bootstrap) {
    Properties props = reliableProducer(bootstrap, Duration.ofSeconds(30));
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    return props;
  }

  /**
   * A consumer of {@code group}: offsets committed by the consumer itself after its sink has
   * written, from the earliest record of a new group, at most {@code maxPollRecords} a poll.
   */
  public static Properties groupConsumer(
      String bootstrap, ConsumerGroup group, int maxPollRecords) {
    return groupConsumer(bootstrap, group.groupId(), maxPollRecords);
  }

  /** The same for a group of a benchmark's own, measured beside the pipeline's. */
  public static Properties groupConsumer(String bootstrap, String groupId, int maxPollRecords) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A worker that dies without leaving the group holds its partitions until this expires:
    // short, so a killed worker's clicks are picked up by its successor within seconds.
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    return props;
  }

  /**
   * A consumer without a group, for reading with {@code assign()} (dead letters, the live view).
   */
  public static Properties reader(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return props;
  }

  /**
   * The live view's reader of {@code clicks} (a group-less {@link #reader}): from the end of each
   * partition unless told otherwise, and it never creates the topic by asking for it, since a
   * broker's defaults would give it the wrong partitions and replicas ({@link ClickTopics} creates
   * it).
   */
  public static Properties liveReader(String bootstrap) {
    Properties props = reader(bootstrap);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    return props;
  }

  /** The admin client that creates and describes the topics: it gives up within seconds. */
  public static Properties admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
    return props;
  }
}
