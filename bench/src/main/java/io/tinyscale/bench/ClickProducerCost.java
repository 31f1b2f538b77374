package io.tinyscale.bench;

import io.tinyscale.core.clickstream.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a click costs the producer's JVM and the broker, in CPU, for several values of {@code
 * linger.ms}: the app's click producer configuration ({@link KafkaClients#clickProducer}) with only
 * the linger changed, fed the way the app's shipper thread feeds it (every 2 ms, what has queued at
 * a steady rate), each variant on a topic of its own with 6 partitions.
 *
 * <p>{@code ClickProducerCost BOOTSTRAP BROKER_PID RATE SECONDS LINGER[,LINGER...]}; prints one
 * line per variant and round (two rounds, interleaved).
 */
public final class ClickProducerCost {
  private static final byte[] EVENT =
      ("{\"v\":1,\"eventId\":\"019ac0e4-0000-7000-8000-000000000000\",\"code\":\"b0012345\","
              + "\"urlId\":12345,\"at\":1767225600123,\"ip\":\"203.0.113.0\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) "
              + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\"}")
          .getBytes();

  private ClickProducerCost() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    long broker = Long.parseLong(args[1]);
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    long self = ProcessHandle.current().pid();
    System.out.printf(
        "%-6s %10s %12s %22s %20s%n",
        "round", "linger ms", "clicks sent", "producer JVM CPU/click", "broker CPU/click");
    for (int round = 1; round <= 2; round++) {
      for (String linger : args[4].split(",")) {
        String topic = "producer-cost-" + System.nanoTime();
        try (Admin admin = Admin.create(KafkaClients.admin(bootstrap))) {
          admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Properties config =
            KafkaClients.clickProducer(bootstrap, Duration.ofSeconds(30), Integer.parseInt(linger));
        try (var producer =
            new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
          send(producer, topic, rate, 3); // warm-up: JIT, metadata, connections
          long ownBefore = cpuNanos(self);
          long brokerBefore = cpuNanos(broker);
          long clicks = send(producer, topic, rate, seconds);
          System.out.printf(
              "%-6d %10s %12d %19.2f us %17.2f us%n",
              round,
              linger,
              clicks,
              (cpuNanos(self) - ownBefore) / 1000.0 / clicks,
              (cpuNanos(broker) - brokerBefore) / 1000.0 / clicks);
        }
      }
    }
  }

  /**
   * Sends {@code rate} clicks a second for {@code seconds}, in 2 ms portions; returns how many
   * acknowledged.
   */
  private static long send(
      KafkaProducer<String, byte[]> producer, String topic, int rate, int seconds) {
    Random random = new Random(1);
    LongAdder acked = new LongAdder();
    long sent = 0;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
      for (; sent < due; sent++) {
        String code = "b" + (1_000_000 + random.nextInt(100_000));
        producer.send(
            new ProducerRecord<>(topic, code, EVENT),
            (metadata, error) -> {
              if (error == null) {
                acked.increment();
              }
            });
      }
      LockSupport.parkNanos(2_000_000);
    }
    producer.flush();
    return acked.sum();
  }

  private static long cpuNanos(long pid) {
    return Machine.ticks(pid) * 1_000_000_000L / Machine.CLK_TCK;
  }
}
