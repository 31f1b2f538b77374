package io.tinyscale.app.capture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tinyscale.app.platform.Backoff;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ClickTopics;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Hands clicks to Kafka without ever making the redirect wait, and loses none.
 *
 * <p>The redirect only puts the click in an in-memory outbox (a lock-free queue: one CAS, no system
 * call). One shipper thread takes everything queued every 10 ms, encodes it and sends it, so the
 * event loops never touch the producer: its {@code send} takes locks that the producer's I/O thread
 * also holds (the partition's batch queue, the selector's wake-up), on which event loops would
 * block. The outbox is bounded ({@link #OUTBOX_LIMIT}); past it clicks go straight to the spool.
 *
 * <p>The producer is idempotent with acks=all and a small linger. {@code max.block.ms=0} turns the
 * two ways {@code send} could block (no metadata yet, buffer full) into immediate failures; those,
 * and records the broker never acknowledged within the delivery timeout, go to the {@link
 * ClickSpool}. A drainer thread replays the spool, oldest segment first, whenever the broker
 * answers again, and deletes a segment only when every event in it was acknowledged. A replayed
 * event may already be in Kafka (an ambiguous timeout): the sinks are idempotent by event id, so it
 * is counted once.
 */
@Singleton
public class KafkaClickSink implements ClickSink {
  private static final Logger LOG = Logger.getLogger(KafkaClickSink.class);
  private static final long DRAIN_EVERY_MS = 1_000;
  private static final long RECENT_FAILURE_MS = 30_000;
  // Each wake-up is a timer interrupt and a context switch on the event loops' core; 10 ms is
  // nothing next to linger.ms (100).
  private static final long SHIP_EVERY_NANOS = 10_000_000;
  static final int OUTBOX_LIMIT = 100_000;
  private static final Exception OUTBOX_FULL =
      new IllegalStateException("more than " + OUTBOX_LIMIT + " clicks waiting for the producer");

  private final Settings settings;
  private final String topic;
  // counted per acknowledged click, so a LongAdder read at scrape time, not a Micrometer counter
  private final LongAdder produced = new LongAdder();
  private final Counter spooled;
  private final Counter drained;
  private final Counter sendErrors;
  private final Counter dropped;
  private final AtomicLong lastFailure = new AtomicLong();
  private final AtomicLong lastFullWarning = new AtomicLong();
  private final Queue<ClickEvent> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger outboxSize = new AtomicInteger();
  private final ClickEventJson.Encoder encoder = new ClickEventJson.Encoder(); // the shipper's
  private KafkaProducer<String, byte[]> producer;
  private ClickSpool spool;
  private Thread shipper;
  private Thread drainer;
  private volatile boolean running;
  private volatile int topicPartitions; // as the producer knows them; 0 until it does

  KafkaClickSink(Settings settings, MeterRegistry meters) {
    this.settings = settings;
    this.topic = Topics.CLICKS;
    FunctionCounter.builder("tinyscale_clicks_produced", produced, LongAdder::sum)
        .description("Clicks acknowledged by Kafka from the redirect")
        .register(meters);
    spooled =
        counter(
            meters,
            "tinyscale_clicks_spooled",
            "Clicks written to the local spool because Kafka did not take them");
    drained =
        counter(
            meters,
            "tinyscale_clicks_drained",
            "Spooled clicks replayed to Kafka and acknowledged");
    sendErrors =
        counter(meters, "tinyscale_clicks_send_errors", "Failed attempts to hand a click to Kafka");
    dropped =
        counter(
            meters,
            "tinyscale_clicks_dropped",
            "Clicks refused by the spool (full) or not written to it (disk full, I/O error)");
    Gauge.builder("tinyscale_spool_bytes", this, s -> s.spool == null ? 0 : s.spool.bytes())
        .description("Bytes of clicks waiting in the local spool")
        .baseUnit("bytes")
        .register(meters);
  }

  private static Counter counter(MeterRegistry meters, String name, String description) {
    return Counter.builder(name).description(description).register(meters);
  }

  void start(@Observes StartupEvent event) {
    spool =
        new ClickSpool(
            Path.of(settings.spool().dir()), settings.spool().maxBytes(), dropped::increment);
    producer =
        new KafkaProducer<>(
            KafkaClients.clickProducer(
                settings.kafka().bootstrap(), settings.kafka().deliveryTimeout()),
            new StringSerializer(),
            new ByteArraySerializer());
    running = true;
    shipper = Thread.ofPlatform().daemon().name("click-shipper").start(this::shipLoop);
    drainer = Thread.ofPlatform().daemon().name("click-spool-drainer").start(this::drainLoop);
    if (!spool.isEmpty()) {
      LOG.infof("Click spool holds %d bytes from before; replaying them to Kafka", spool.bytes());
    }
  }

  @Override
  public void accept(ClickEvent event) {
    if (outboxSize.incrementAndGet() > OUTBOX_LIMIT) {
      outboxSize.decrementAndGet();
      failed(ClickEventJson.encode(event), OUTBOX_FULL);
      return;
    }
    outbox.offer(event);
  }

  /** Until stopped, and then until the outbox is empty: every accepted click reaches send. */
  private void shipLoop() {
    while (running || !outbox.isEmpty()) {
      for (ClickEvent event = outbox.poll(); event != null; event = outbox.poll()) {
        outboxSize.decrementAndGet();
        send(event);
      }
      LockSupport.parkNanos(SHIP_EVERY_NANOS);
    }
  }

  private void send(ClickEvent event) {
    byte[] value = encoder.encode(event);
    try {
      producer.send(
          new ProducerRecord<>(topic, event.code(), value),
          (metadata, error) -> {
            if (error == null) {
              produced.increment();
            } else {
              failed(value, error);
            }
          });
    } catch (RuntimeException e) {
      failed(value, e);
    }
  }

  private void failed(byte[] value, Exception error) {
    sendErrors.increment();
    long now = System.currentTimeMillis();
    if (now - lastFailure.getAndSet(now) > RECENT_FAILURE_MS) {
      LOG.warnf(
          "Kafka is not taking clicks (%s); spooling them to %s",
          error.toString(), settings.spool().dir());
    }
    if (spool.append(value)) {
      spooled.increment();
    } else {
      dropped.increment();
      if (now - lastFullWarning.getAndSet(now) > 60_000) {
        LOG.errorf(
            "Click spool is full (%d bytes, TINYSCALE_SPOOL_MAX_BYTES); clicks are being lost",
            spool.bytes());
      }
    }
  }

  /** Broker unreachable recently or clicks waiting in the spool: redirects work, analytics lag. */
  public boolean isDegraded() {
    return System.currentTimeMillis() - lastFailure.get() < RECENT_FAILURE_MS
        || spool != null && !spool.isEmpty();
  }

  public long spoolBytes() {
    return spool == null ? 0 : spool.bytes();
  }

  private void drainLoop() {
    try {
      Backoff retry = Backoff.fixed(5_000, Backoff.REAL_TIME);
      while (running
          && !ClickTopics.ensure(
              settings.kafka().bootstrap(),
              settings.kafka().partitions(),
              settings.kafka().replicationFactor())) {
        retry.pause();
      }
      awaitTopicMetadata();
    } catch (InterruptedException e) {
      return;
    }
    while (running) {
      try {
        Thread.sleep(DRAIN_EVERY_MS);
        if (!spool.isEmpty() && System.currentTimeMillis() - lastFailure.get() > DRAIN_EVERY_MS) {
          drain();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.debugf("Spool drain paused: %s", e.toString());
      }
    }
  }

  /**
   * Has the producer fetch the click topic's partitions now instead of on the first click: with
   * {@code max.block.ms=0} a send before they are known fails at once, and the first click after
   * every start went to the spool (replayed a second later, but with a warning and a degraded
   * health check). Each call that fails only asks the I/O thread to fetch them. The topic exists by
   * now; if the broker went away meanwhile, the spool cannot drain before it is back anyway.
   */
  private void awaitTopicMetadata() throws InterruptedException {
    Backoff retry = Backoff.fixed(100, Backoff.REAL_TIME);
    while (running && topicPartitions == 0) {
      try {
        topicPartitions = producer.partitionsFor(topic).size();
      } catch (KafkaException e) {
        retry.pause();
      }
    }
  }

  /** The click topic's partitions as the producer knows them; 0 until it has fetched them. */
  public int topicPartitions() {
    return topicPartitions;
  }

  private void drain() throws Exception {
    for (Path segment : spool.closedSegments()) {
      List<byte[]> events = ClickSpool.read(segment);
      List<Future<?>> acks = new ArrayList<>(events.size());
      for (byte[] value : events) {
        acks.add(producer.send(new ProducerRecord<>(topic, codeOf(value), value)));
      }
      for (Future<?> ack : acks) {
        ack.get(
            40, TimeUnit.SECONDS); // throws, keeping the segment, if any event was not acknowledged
      }
      spool.delete(segment);
      drained.increment(events.size());
      LOG.infof("Replayed %d spooled clicks from %s", events.size(), segment.getFileName());
    }
  }

  /**
   * The record key (short code) of a spooled event, so replayed clicks land in their usual
   * partition.
   */
  private static String codeOf(byte[] value) {
    try {
      return ClickEventJson.decode(value).code();
    } catch (ClickEventJson.InvalidClickEvent e) {
      return new String(value, 0, Math.min(16, value.length), StandardCharsets.UTF_8);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (drainer != null) {
      drainer.interrupt();
    }
    if (shipper != null) {
      try {
        shipper.join(5_000); // it hands what is still in the outbox to the producer first
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      // records still unacknowledged after this fail their callbacks, which spool them
      producer.close(Duration.ofSeconds(5));
    }
    if (spool != null) {
      spool.close();
    }
  }
}
