package io.tinyscale.app.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts an event that can never be written into {@code clicks.dlt}, unchanged, with headers that say
 * why and where it came from. Waits for the broker's acknowledgement: the consumer commits past the
 * event only once its dead letter is safe.
 */
// created at start, so that tinyscale_dlt_events_total reads 0 before the first dead letter
@Startup
@ApplicationScoped
public class DeadLetters implements AutoCloseable {
  public static final String ERROR_CLASS = "x-error-class";
  public static final String ERROR_MESSAGE = "x-error-message";
  public static final String SOURCE_TOPIC = "x-source-topic";
  public static final String SOURCE_PARTITION = "x-source-partition";
  public static final String SOURCE_OFFSET = "x-source-offset";
  public static final String CONSUMER_GROUP = "x-consumer-group";
  public static final String ATTEMPTS = "x-attempts";
  public static final String FIRST_FAILURE = "x-first-failure";

  private final Settings settings;
  private final Counter count;
  private volatile Producer<String, byte[]> producer;

  @Inject
  DeadLetters(Settings settings, MeterRegistry meters) {
    this.settings = settings;
    count =
        Counter.builder("tinyscale_dlt_events")
            .description("Events sent to the dead-letter topic")
            .register(meters);
  }

  /** For tests: dead letters go to {@code producer}, a fake of Kafka. */
  DeadLetters(Settings settings, MeterRegistry meters, Producer<String, byte[]> producer) {
    this(settings, meters);
    this.producer = producer;
  }

  void send(
      String group,
      ConsumerRecord<String, byte[]> record,
      Throwable error,
      int attempts,
      Instant firstFailure)
      throws ExecutionException, InterruptedException, TimeoutException {
    ProducerRecord<String, byte[]> letter =
        new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), record.value());
    Headers h = letter.headers();
    h.add(ERROR_CLASS, bytes(error.getClass().getName()));
    h.add(ERROR_MESSAGE, bytes(String.valueOf(error.getMessage())));
    h.add(SOURCE_TOPIC, bytes(record.topic()));
    h.add(SOURCE_PARTITION, bytes(Integer.toString(record.partition())));
    h.add(SOURCE_OFFSET, bytes(Long.toString(record.offset())));
    h.add(CONSUMER_GROUP, bytes(group));
    h.add(ATTEMPTS, bytes(Integer.toString(attempts)));
    h.add(FIRST_FAILURE, bytes(firstFailure.toString()));
    producer().send(letter).get(30, TimeUnit.SECONDS);
    count.increment();
  }

  private Producer<String, byte[]> producer() {
    Producer<String, byte[]> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          var config =
              KafkaClients.reliableProducer(settings.kafka().bootstrap(), Duration.ofSeconds(30));
          producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        p = producer;
      }
    }
    return p;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close();
    }
  }
}
