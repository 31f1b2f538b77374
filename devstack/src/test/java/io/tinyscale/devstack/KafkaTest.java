package io.tinyscale.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka broker devstack starts, finds or is given; real brokers, real clients. */
class KafkaTest {

  /**
   * Only Kafka: Postgres, Redis and OpenSearch given (never probed), the broker probed for on a
   * port nothing uses.
   */
  static Map<String, String> kafkaOnlyEnv() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("TINYSCALE_DB_URL", "jdbc:postgresql://127.0.0.1:1/unused");
    env.put("TINYSCALE_REDIS_URL", "redis://127.0.0.1:1");
    env.put("TINYSCALE_OPENSEARCH_URL", DevStackTest.UNUSED_OPENSEARCH);
    env.put("TINYSCALE_DEVSTACK_KAFKA_PORT", Integer.toString(Ports.free()));
    env.put("TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT", Integer.toString(Ports.free()));
    return env;
  }

  @Test
  void startsABrokerThatKeepsTopicsRecordsAndOffsetsAcrossStopStartAndRestarts(@TempDir Path home)
      throws Exception {
    Options options = Options.of(home, "tinyscale", kafkaOnlyEnv());
    int port = Integer.parseInt(options.env().get("TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT"));
    String bootstrap = "127.0.0.1:" + port;
    int controllerPort;

    long begin = System.nanoTime();
    try (Engines engines = DevStack.start(options)) {
      System.out.printf(
          "devstack started a Kafka broker in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
      Engine kafka = engines.kafka();
      assertThat(kafka.origin()).isEqualTo(Origin.STARTED);
      assertThat(kafka.endpoint()).isEqualTo(bootstrap);
      assertThat(kafka.restartable()).isTrue();
      assertThat(kafka.running()).isTrue();
      assertThat(engines.kafkaBootstrap()).isEqualTo(bootstrap);
      assertThat(engines.env()).containsEntry("TINYSCALE_KAFKA_BOOTSTRAP", bootstrap);
      controllerPort = Probe.kafkaControllerPort(home);
      assertThat(home.resolve("kafka/cluster.id")).exists();

      Probe.createTopic(bootstrap, "probe", 6);
      try (KafkaProducer<String, String> producer = Probe.kafkaProducer(bootstrap)) {
        producer.send(new ProducerRecord<>("probe", "abc", "first")).get(30, TimeUnit.SECONDS);

        // The fault tests' case: the broker stops under a producer, which keeps the record until it
        // is back.
        kafka.stop();
        assertThat(kafka.running()).isFalse();
        assertThat(Ports.isListening(port)).as("broker port while stopped").isFalse();
        kafka.stop(); // stopping a stopped broker does nothing
        // From another thread: with no broker to ask, a 4.x producer may rebootstrap, forget the
        // topic's
        // metadata, and block in send() until the broker is back (up to max.block.ms).
        CompletableFuture<RecordMetadata> sent =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return producer.send(new ProducerRecord<>("probe", "abc", "second")).get();
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                });
        Waits.await("no broker, no acknowledgement")
            .during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(2))
            .until(() -> !sent.isDone());
        begin = System.nanoTime();
        kafka.start();
        System.out.printf(
            "the broker restarted in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
        assertThat(kafka.running()).isTrue();
        assertThat(sent.get(60, TimeUnit.SECONDS).offset()).isEqualTo(1);
      }
      assertThat(Probe.consume(bootstrap, "readers", "probe", 2))
          .containsExactly("first", "second");

      // Another devstack, whose probe port is this broker's, finds it and starts nothing.
      Path otherHome = Files.createDirectories(home.resolve("other"));
      Map<String, String> env = new HashMap<>(kafkaOnlyEnv());
      env.put("TINYSCALE_DEVSTACK_KAFKA_PORT", Integer.toString(port));
      try (Engines other = DevStack.start(Options.of(otherHome, "tinyscale", env))) {
        assertThat(other.kafka().origin()).isEqualTo(Origin.FOUND);
        assertThat(other.kafkaBootstrap()).isEqualTo(bootstrap);
        assertThat(other.kafka().restartable()).isFalse();
        assertThatThrownBy(() -> other.kafka().stop())
            .isInstanceOf(UnsupportedOperationException.class);
      }
      assertThat(otherHome.resolve("kafka")).doesNotExist();
      assertThat(Ports.isListening(port)).as("a found broker is not stopped").isTrue();
    }
    assertThat(Ports.isListening(port)).as("broker port after close").isFalse();
    assertThat(Ports.isListening(controllerPort)).as("controller port after close").isFalse();
    assertThat(home.resolve("kafka/kafka.pid")).doesNotExist();

    try (Engines engines = DevStack.start(options)) {
      assertThat(Probe.consume(bootstrap, "late-readers", "probe", 2))
          .as("records kept across restarts")
          .containsExactly("first", "second");
      try (Admin admin = Probe.kafkaAdmin(bootstrap)) {
        assertThat(
                admin
                    .describeTopics(List.of("probe"))
                    .allTopicNames()
                    .get()
                    .get("probe")
                    .partitions())
            .hasSize(6);
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get();
        assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
            .as("committed offsets kept across restarts")
            .isEqualTo(2);
      }
      try (KafkaProducer<String, String> producer =
          Probe.kafkaProducer(bootstrap, Map.of("max.block.ms", 2000))) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("clikcs", "abc", "typo")).get())
            .as("a topic is not created by writing to it")
            .hasMessageContaining("not present in metadata");
      }
      engines.kafka().stop();
    }
    assertThat(Ports.isListening(port)).isFalse();
  }

  @Test
  void usesTheBrokerGivenByItsVariableAsIsAndStartsNothing(@TempDir Path home) throws IOException {
    Map<String, String> env = kafkaOnlyEnv();
    env.put("TINYSCALE_KAFKA_BOOTSTRAP", "kafka-1.example:9092,kafka-2.example:9092");
    try (Engines engines = DevStack.start(Options.of(home, "tinyscale", env))) {
      assertThat(engines.kafka().origin()).isEqualTo(Origin.GIVEN);
      assertThat(engines.kafkaBootstrap()).isEqualTo("kafka-1.example:9092,kafka-2.example:9092");
      assertThat(engines.kafka().restartable()).isFalse();
    }
    assertThat(home.resolve("kafka")).doesNotExist();
  }

  @Test
  void refusesAListenerOnTheProbePortThatIsNotKafka(@TempDir Path home) throws Exception {
    try (Probe.Impostor web =
        new Probe.Impostor("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")) {
      Map<String, String> env = kafkaOnlyEnv();
      env.put("TINYSCALE_DEVSTACK_KAFKA_PORT", Integer.toString(web.port()));
      assertThatThrownBy(() -> DevStack.start(Options.of(home, "tinyscale", env)))
          .isInstanceOf(DevStackException.class)
          .hasMessageContaining(
              "Something listens on 127.0.0.1:"
                  + web.port()
                  + ", but it does not answer as a Kafka broker")
          .hasMessageContaining("set TINYSCALE_DEVSTACK_KAFKA_PORT to a free port");
    }
    assertThat(home.resolve("kafka")).doesNotExist();
  }

  @Test
  void saysWhatTheBrokersLogSaysWhenItCannotStart(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("kafka"));
    Files.writeString(
        home.resolve("kafka/data"), "a file where the broker's data directory belongs");
    Map<String, String> env = kafkaOnlyEnv();
    int port = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT"));
    assertThatThrownBy(() -> DevStack.start(Options.of(home, "tinyscale", env)))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("The Kafka broker devstack started on 127.0.0.1:" + port)
        .hasMessageContaining("exited with status")
        .hasMessageContaining("its log " + home.resolve("kafka.log") + " says: ")
        .hasMessageContaining("Not a directory") // the cause, quoted from the log
        .hasMessageContaining(home.resolve("kafka/data").toString())
        .hasMessageContaining("set TINYSCALE_KAFKA_BOOTSTRAP to a running broker");
    assertThat(Ports.isListening(port)).isFalse();
    assertThat(home.resolve("kafka/kafka.pid")).doesNotExist();
  }
}
