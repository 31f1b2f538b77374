package io.tinyscale.app.capture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tinyscale.app.platform.Backoff;
import io.tinyscale.app.platform.ClickCapture;
import io.tinyscale.app.platform.Role;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ClickTopics;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Click capture through the {@link ClickJournal}: the redirect appends each click to the journal
 * before it answers; a shipper thread reads the journal, sends to Kafka and moves the journal's
 * acknowledged position once the broker has acknowledged; a sync thread forces the journal to disk
 * (every {@code TINYSCALE_JOURNAL_FSYNC} interval, or before each answer with {@code always}) and
 * makes the next segment ready. A broker outage is a journal that grows up to {@code
 * TINYSCALE_SPOOL_MAX_BYTES}; past it clicks are dropped and counted. On start, whatever an earlier
 * process left unacknowledged is sent first: Kafka may get an event twice, the sinks count it once.
 */
@Singleton
@Typed(JournalClickSink.class) // the redirect gets its ClickSink from ClickSinks
public class JournalClickSink implements ClickSink {
  private static final Logger LOG = Logger.getLogger(JournalClickSink.class);
  private static final long RECENT_FAILURE_MS = 30_000;
  private static final long STALLED_MS = 5_000;
  private static final long SHIP_EVERY_NANOS = 10_000_000;
  private static final int READ_BATCH = 1_000;
  // records handed to the producer and not yet acknowledged: bounds the shipper's memory
  private static final int MAX_IN_FLIGHT = 50_000;

  private final Settings settings;
  private final boolean enabled;
  private final Path dir;
  // 0: before each answer (TINYSCALE_JOURNAL_FSYNC=always)
  private final long fsyncNanos;
  private final LongAdder produced = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final Counter sendErrors;
  private final AtomicLong lastFailure = new AtomicLong();
  private final AtomicLong lastRefusedWarning = new AtomicLong();
  private final AtomicLong lastProgress = new AtomicLong(System.currentTimeMillis());
  private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
  private volatile ClickJournal journal;
  private KafkaProducer<String, byte[]> producer;
  private Thread shipper;
  private Thread syncer;
  private volatile boolean running;
  private volatile int topicPartitions;

  /** An answer held back until the journal is on disk ({@code TINYSCALE_JOURNAL_FSYNC=always}). */
  private record Waiter(long ticket, Runnable answer) {}

  JournalClickSink(Settings settings, MeterRegistry meters) {
    this.settings = settings;
    // only what answers redirects captures clicks, and only into the journal when asked to
    this.enabled = settings.role() != Role.WORKER && settings.clickCapture() == ClickCapture.ASYNC;
    Settings.Journal cfg = settings.journal();
    String id = cfg.instanceId().orElseGet(JournalClickSink::hostName);
    this.dir = Path.of(cfg.home(), "journal", id.replaceAll("[^A-Za-z0-9._-]", "_"));
    this.fsyncNanos = fsyncNanos(cfg.journalFsync());
    // read from the journal when scraped: the redirect counts nothing more than it appends
    FunctionCounter.builder("tinyscale_clicks_journaled", this, JournalClickSink::journaled)
        .description("Clicks the redirect appended to this process's journal")
        .register(meters);
    FunctionCounter.builder("tinyscale_clicks_produced", produced, LongAdder::sum)
        .description("Clicks acknowledged by Kafka from the redirect")
        .register(meters);
    FunctionCounter.builder("tinyscale_clicks_dropped", this, JournalClickSink::dropped)
        .description(
            "Clicks lost: refused by the journal (full, or a segment could not be created) or"
                + " found corrupt in it")
        .register(meters);
    sendErrors =
        Counter.builder("tinyscale_clicks_send_errors")
            .description("Failed attempts to hand a click to Kafka")
            .register(meters);
    Gauge.builder("tinyscale_spool_bytes", this, JournalClickSink::backlogBytes)
        .description("Bytes of clicks in the journal not yet acknowledged by Kafka")
        .baseUnit("bytes")
        .register(meters);
    Gauge.builder("tinyscale_spool_max_bytes", settings.spool()::maxBytes)
        .description("The journal's bound (TINYSCALE_SPOOL_MAX_BYTES): clicks past it are dropped")
        .baseUnit("bytes")
        .register(meters);
  }

  private double journaled() {
    ClickJournal open = journal;
    return open == null ? 0 : open.appended();
  }

  void start(@Observes StartupEvent event) throws IOException {
    if (!enabled) {
      return;
    }
    journal =
        ClickJournal.open(
            dir, settings.journal().journalSegmentBytes(), settings.spool().maxBytes());
    long waiting = journal.backlogBytes();
    if (waiting > 0) {
      LOG.infof(
          "The click journal %s holds %d bytes from before; sending them to Kafka", dir, waiting);
    }
    producer =
        new KafkaProducer<>(
            KafkaClients.clickProducer(
                settings.kafka().bootstrap(), settings.kafka().deliveryTimeout()),
            new StringSerializer(),
            new ByteArraySerializer());
    running = true;
    syncer = Thread.ofPlatform().daemon().name("click-journal-sync").start(this::syncLoop);
    shipper = Thread.ofPlatform().daemon().name("click-shipper").start(this::shipLoop);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static long fsyncNanos(String setting) {
    if ("always".equalsIgnoreCase(setting.trim())) {
      return 0;
    }
    try {
      Duration interval = Duration.parse(setting.trim());
      if (!interval.isNegative() && !interval.isZero()) {
        return interval.toNanos();
      }
    } catch (DateTimeParseException e) {
      // refused below
    }
    throw new IllegalArgumentException(
        "TINYSCALE_JOURNAL_FSYNC must be an ISO-8601 duration such as PT0.05S, or always; not "
            + setting);
  }

  /** True when each answer waits for the journal to reach the disk. */
  @Override
  public boolean syncsEachClick() {
    return fsyncNanos == 0;
  }

  @Override
  public long accept(ClickEvent event) {
    ClickJournal open = journal;
    long ticket;
    try {
      ticket = open == null ? -1 : open.append(JournalRecord.encode(event));
    } catch (RuntimeException e) { // closed under our feet at shutdown
      ticket = -1;
    }
    if (ticket < 0) {
      refused.increment();
      long now = System.currentTimeMillis();
      if (now - lastRefusedWarning.getAndSet(now) > 60_000) {
        LOG.errorf(
            "The click journal refuses clicks (full at TINYSCALE_SPOOL_MAX_BYTES=%d, or the disk"
                + " is): clicks are being lost",
            settings.spool().maxBytes());
      }
    }
    return ticket;
  }

  /** With TINYSCALE_JOURNAL_FSYNC=always: the answer waits for a group commit of the journal. */
  @Override
  public void acceptDurably(ClickEvent event, Runnable answer) {
    whenDurable(accept(event), answer);
  }

  /**
   * Runs {@code answer} once the click of {@code ticket} is on disk; at once when it was refused
   * (the redirect is answered either way).
   */
  private void whenDurable(long ticket, Runnable answer) {
    if (ticket < 0 || !running) {
      answer.run();
      return;
    }
    waiters.add(new Waiter(ticket, answer));
    LockSupport.unpark(syncer);
    if (!running) {
      answerWaiting(); // the sync thread may have finished before the waiter was added
    }
  }

  /** Answers every held redirect: at shutdown, once the journal has been forced. */
  private void answerWaiting() {
    for (Waiter w = waiters.poll(); w != null; w = waiters.poll()) {
      w.answer().run();
    }
  }

  private void syncLoop() {
    long synced;
    while (running) {
      if (Thread.interrupted()) { // would make every park below return at once
        LOG.warn("The click journal's sync thread was interrupted; carrying on");
      }
      ClickJournal open = journal;
      open.prepareSpare();
      if (fsyncNanos == 0) {
        if (waiters.isEmpty()) {
          LockSupport.parkNanos(10_000_000);
          continue;
        }
        synced = open.force();
        for (Waiter w = waiters.peek(); w != null && w.ticket() <= synced; w = waiters.peek()) {
          waiters.poll().answer().run();
        }
      } else {
        LockSupport.parkNanos(fsyncNanos);
        open.force();
      }
    }
    journal.force();
    answerWaiting();
  }

  /** A run of records handed to the producer; acknowledged when none is pending. */
  private static final class Batch {
    final ClickJournal.Position end;
    final int size;
    final AtomicInteger pending;
    volatile boolean failed;

    Batch(ClickJournal.Position end, int size) {
      this.end = end;
      this.size = size;
      this.pending = new AtomicInteger(size);
    }
  }

  private void shipLoop() {
    try {
      awaitTopic();
      ship();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void ship() throws InterruptedException {
    ClickEventJson.Encoder encoder = new ClickEventJson.Encoder();
    Deque<Batch> inFlight = new ArrayDeque<>();
    Backoff retry = Backoff.exponential(1_000, 30_000, Backoff.REAL_TIME);
    while (running || !inFlight.isEmpty()) {
      try {
        switch (acknowledgeFinished(inFlight)) {
          case FAILED -> retry.pause();
          case PROGRESS -> retry.reset();
          case NONE -> {}
        }
        int waiting = inFlight.stream().mapToInt(b -> b.size).sum();
        List<ClickJournal.Entry> entries =
            running && waiting < MAX_IN_FLIGHT ? journal.read(READ_BATCH) : List.of();
        if (entries.isEmpty()) {
          LockSupport.parkNanos(SHIP_EVERY_NANOS);
          continue;
        }
        Batch batch = new Batch(entries.getLast().next(), entries.size());
        inFlight.add(batch);
        for (ClickJournal.Entry entry : entries) {
          send(entry, batch, encoder);
        }
      } catch (IOException | RuntimeException e) {
        LOG.errorf("The click shipper failed (%s); retrying", e.toString());
        retry.pause();
      }
    }
  }

  private void send(ClickJournal.Entry entry, Batch batch, ClickEventJson.Encoder encoder) {
    ClickEvent event;
    try {
      event = JournalRecord.decode(entry.payload());
    } catch (IllegalArgumentException e) {
      refused.increment();
      LOG.errorf("A click in the journal cannot be read (%s); dropped", e.getMessage());
      batch.pending.decrementAndGet();
      return;
    }
    try {
      producer.send(
          new ProducerRecord<>(Topics.CLICKS, event.code(), encoder.encode(event)),
          (metadata, error) -> {
            if (error == null) {
              produced.increment();
            } else {
              failed(batch, error);
            }
            batch.pending.decrementAndGet();
          });
    } catch (RuntimeException e) {
      failed(batch, e);
      batch.pending.decrementAndGet();
    }
  }

  private void failed(Batch batch, Exception error) {
    batch.failed = true;
    sendErrors.increment();
    long now = System.currentTimeMillis();
    if (now - lastFailure.getAndSet(now) > RECENT_FAILURE_MS) {
      LOG.warnf(
          "Kafka is not taking clicks (%s); they wait in the click journal %s",
          error.toString(), dir);
    }
  }

  /**
   * Moves the journal's acknowledged position past the batches at the head that Kafka has wholly
   * acknowledged. After a failed one, the shipper reads again from there, a moment later.
   */
  private enum Acknowledged {
    NONE,
    PROGRESS,
    FAILED
  }

  private Acknowledged acknowledgeFinished(Deque<Batch> inFlight) throws IOException {
    ClickJournal.Position upTo = null;
    boolean failed = false;
    while (!inFlight.isEmpty() && inFlight.peek().pending.get() == 0 && !failed) {
      Batch head = inFlight.poll();
      failed = head.failed;
      upTo = failed ? upTo : head.end;
    }
    if (upTo != null) {
      journal.acknowledge(upTo);
      lastProgress.set(System.currentTimeMillis());
    }
    if (failed) {
      inFlight.clear(); // their callbacks still come, to batches no longer looked at
      journal.rewind();
      return Acknowledged.FAILED;
    }
    return upTo == null ? Acknowledged.NONE : Acknowledged.PROGRESS;
  }

  /** Creates the click topic if needed and has the producer learn its partitions. */
  private void awaitTopic() throws InterruptedException {
    Backoff topicRetry = Backoff.fixed(5_000, Backoff.REAL_TIME);
    while (running
        && !ClickTopics.ensure(
            settings.kafka().bootstrap(),
            settings.kafka().partitions(),
            settings.kafka().replicationFactor())) {
      topicRetry.pause();
    }
    Backoff metadataRetry = Backoff.fixed(100, Backoff.REAL_TIME);
    while (running && topicPartitions == 0) {
      try {
        topicPartitions = producer.partitionsFor(Topics.CLICKS).size();
      } catch (KafkaException e) {
        metadataRetry.pause();
      }
    }
  }

  /** The click topic's partitions as the producer knows them; 0 until it has fetched them. */
  public int topicPartitions() {
    return topicPartitions;
  }

  /** Kafka failed recently, or the journal's backlog has not moved for a while. */
  public boolean isDegraded() {
    long now = System.currentTimeMillis();
    return now - lastFailure.get() < RECENT_FAILURE_MS
        || backlogBytes() > 0 && now - lastProgress.get() > STALLED_MS;
  }

  /** Bytes in the journal not yet acknowledged by Kafka. */
  public long backlogBytes() {
    ClickJournal open = journal;
    return open == null ? 0 : open.backlogBytes();
  }

  private double dropped() {
    ClickJournal open = journal;
    return refused.sum() + (open == null ? 0 : open.corruptRecords());
  }

  void stop(@Observes ShutdownEvent event) {
    if (!running) {
      return;
    }
    running = false;
    try {
      shipper.join(10_000); // it waits for what is in flight to be acknowledged
      syncer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
    ClickJournal open = journal;
    journal = null; // clicks answered from now on are dropped, and counted
    open.force();
    open.close();
  }
}
