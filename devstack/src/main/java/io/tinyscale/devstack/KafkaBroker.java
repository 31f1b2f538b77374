package io.tinyscale.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A single-node KRaft Kafka (broker and controller in one JVM) that devstack runs as a child
 * process ({@link ChildEngine}), with its data in {@code <home>/kafka/data} and its output in
 * {@code <home>/kafka.log}.
 *
 * <p>{@code <home>/kafka/cluster.id} keeps the cluster id the storage was formatted with, so every
 * start reuses the storage, with its topics and offsets. The controller listens on a free port
 * chosen at each start: with a static quorum ({@code controller.quorum.voters}) its address is
 * configuration, not data, and nothing outside the broker connects to it.
 */
final class KafkaBroker extends ChildEngine {

  static final ChildJvm.Kind KIND =
      new ChildJvm.Kind(
          "kafka",
          "Kafka broker",
          KafkaBrokerMain.class,
          "kafka-broker.classpath",
          KafkaProvisioner.EMBEDDED_PORT,
          KafkaProvisioner.BOOTSTRAP,
          "set " + KafkaProvisioner.BOOTSTRAP + " to a running broker");

  static final String CLUSTER_ID_FILE = "cluster.id";
  static final String CONFIG_FILE = "server.properties";

  /**
   * The flags every TinyScale JVM gets (lib/jvm.options: zstd-jni and snappy load native code,
   * Kafka unmaps buffers with Unsafe), then a small heap and the client compiler only (C2 compiling
   * Kafka's and Scala's hot code costs seconds of CPU at start-up on two cores, for throughput a
   * dev broker does not need). The slf4j-simple settings keep the log to warnings and the start and
   * stop lines. {@code TINYSCALE_DEVSTACK_KAFKA_OPTS} comes after these, so it can override any of
   * them (e.g. {@code -XX:TieredStopAtLevel=4 -Xmx1g} for a benchmark).
   */
  static final List<String> JVM_OPTIONS =
      ChildJvm.withSharedOptions(
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Djava.awt.headless=true",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
          "-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS");

  static final Duration READY_WAIT = Duration.ofSeconds(60);

  KafkaBroker(Path home, int port, List<String> extraOptions) {
    super(KIND, home, port, JVM_OPTIONS, extraOptions, READY_WAIT);
  }

  /**
   * Its client port answers ApiVersions, which it opens once it has started (registered, unfenced,
   * serving requests). Not the admin client's describeCluster: its first call in a JVM loads and
   * warms up enough of kafka-clients to take seconds on two cores.
   */
  @Override
  boolean serves(Duration wait) {
    return KafkaProvisioner.speaksKafka(port, wait);
  }

  @Override
  String advice() {
    return "If its data directory is damaged or from a newer Kafka, move "
        + dir.resolve("data")
        + " away (devstack then formats a new one, without the old topics); or "
        + kind.instead()
        + ".";
  }

  /** The cluster id and the configuration file, for {@link KafkaBrokerMain}. */
  @Override
  List<String> prepareStart() throws IOException {
    String clusterId = clusterId();
    writeConfig(controllerPort());
    return List.of(clusterId, dir.resolve(CONFIG_FILE).toString());
  }

  /**
   * The id the storage was formatted with (its meta.properties is the truth), else the one kept
   * from an earlier start, else a new one; kept in cluster.id either way.
   */
  private String clusterId() throws IOException {
    Path kept = dir.resolve(CLUSTER_ID_FILE);
    String id =
        formattedClusterId()
            .or(() -> read(kept))
            // Kafka's own generator: its ids never start with '-', which a command line would take
            // for an option.
            .orElseGet(() -> org.apache.kafka.common.Uuid.randomUuid().toString());
    Files.writeString(kept, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  private Optional<String> formattedClusterId() {
    Path meta = dir.resolve("data").resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(properties.getProperty("cluster.id"))
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
          .filter(s -> !s.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * A free port other than the client port: that one is free too until the broker binds it, and the
   * OS may hand it out (tests pick client ports from the same ephemeral range).
   */
  private int controllerPort() throws IOException {
    int candidate = Local.freePort();
    while (candidate == port) {
      candidate = Local.freePort();
    }
    return candidate;
  }

  /** Written at every start (the controller's port changes); edits are lost, by design. */
  private void writeConfig(int controllerPort) throws IOException {
    String data = dir.resolve("data").toString().replace("\\", "\\\\");
    String config =
        """
                # Written by devstack at every start of the broker: edits here are lost.
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@%1$s:%3$d
                listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
                advertised.listeners=PLAINTEXT://%1$s:%2$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%4$s
                # One broker: every internal topic has one replica.
                default.replication.factor=1
                min.insync.replicas=1
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                # Fewer partitions for the internal topics than a cluster's 50: created faster, fewer files.
                offsets.topic.num.partitions=5
                transaction.state.log.num.partitions=5
                num.partitions=6
                # The application creates its topics; one created by a typo'd name is a bug to see, not hide.
                auto.create.topics.enable=false
                # A consumer group's first member starts at once instead of waiting 3 s for others.
                group.initial.rebalance.delay.ms=0
                # The log cleaner's 128 MiB default buffer would be half the heap.
                log.cleaner.dedupe.buffer.size=16777216
                """
            .formatted(Local.HOST, port, controllerPort, data);
    Files.writeString(dir.resolve(CONFIG_FILE), config, StandardCharsets.UTF_8);
  }
}
