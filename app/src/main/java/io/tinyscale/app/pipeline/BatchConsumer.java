package io.tinyscale.app.pipeline;

import io.tinyscale.app.platform.Backoff;
import io.tinyscale.app.platform.DatabaseFailures;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.core.enrich.EnrichedClick;
import io.tinyscale.core.enrich.Enricher;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The poll loop every click consumer shares: gather up to {@code batchSize} records or {@code
 * batchWindow} of time, enrich them, hand them to the sink, and commit offsets only after the sink
 * has durably written. Unparseable records go straight to the dead-letter topic; a transient sink
 * failure (database away) retries the same batch with backoff, committing nothing; any other
 * failure writes the batch event by event so that only the events that keep failing ({@code
 * maxAttempts}) are dead-lettered. A commit that fails on a retriable error (broker away) is
 * retried; one the group refuses (partitions moved) drops the batch in hand and re-reads from the
 * committed position, which the idempotent sinks make safe. Every wait polls the paused partitions,
 * so the consumer stays in its group however long a wait lasts.
 *
 * <p>Anything else ends {@link #run} with the exception; {@link ConsumerSupervisor} then starts a
 * fresh consumer. Its {@link FailureState} says since when the consumer has not been doing its job.
 */
abstract class BatchConsumer implements Supervised {
  private static final Logger LOG = Logger.getLogger(BatchConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final Duration LAG_WAIT = Duration.ofSeconds(2);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

  /** A record and the click it carries. */
  record Parsed(ConsumerRecord<String, byte[]> record, EnrichedClick click) {}

  final String group;
  final Consumer<String, byte[]> consumer;
  final AtomicLong lag = new AtomicLong();
  private final String topic;
  private final Settings.Pipeline config;
  private final Function<ClickEvent, EnrichedClick> enricher;
  private final DeadLetters deadLetters;
  private final PipelineMetrics metrics;
  private final List<ConsumerRecord<String, byte[]>> pending = new ArrayList<>();
  private volatile boolean running = true;
  private final FailureState state;
  private final InstantSource clock;
  private final Backoff.Sleeper sleeper;
  private boolean retrying;
  private long batchStarted;
  private long lagCheckedAt;

  BatchConsumer(
      FailureState state,
      ConsumerGroup group,
      Settings settings,
      Enricher enricher,
      DeadLetters deadLetters,
      PipelineMetrics metrics) {
    this(
        state,
        group,
        settings.pipeline(),
        new KafkaConsumer<>(
            KafkaClients.groupConsumer(
                settings.kafka().bootstrap(), group, settings.pipeline().batchSize()),
            new StringDeserializer(),
            new ByteArrayDeserializer()),
        enricher::enrich,
        deadLetters,
        metrics,
        InstantSource.system(),
        Backoff.REAL_TIME);
  }

  /** For tests: a fake consumer, enricher and time. {@code clock} and {@code sleeper} agree. */
  BatchConsumer(
      FailureState state,
      ConsumerGroup group,
      Settings.Pipeline config,
      Consumer<String, byte[]> consumer,
      Function<ClickEvent, EnrichedClick> enricher,
      DeadLetters deadLetters,
      PipelineMetrics metrics,
      InstantSource clock,
      Backoff.Sleeper sleeper) {
    this.state = state;
    this.group = group.groupId();
    this.topic = Topics.CLICKS;
    this.config = config;
    this.consumer = consumer;
    this.enricher = enricher;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Writes the batch durably. {@code offsets} are the positions after it, per partition. */
  abstract void write(List<EnrichedClick> batch, Map<TopicPartition, OffsetAndMetadata> offsets);

  /**
   * Whether a failure of {@link #write} is the sink's state (retry the batch, commit nothing)
   * rather than something wrong with an event (isolate it, dead-letter it). By default: the
   * database's.
   */
  boolean isTransient(RuntimeException e) {
    return DatabaseFailures.isTransient(e);
  }

  /** Waits of a retry loop, spent with this consumer's sleeper. */
  Backoff backoff(long initialMillis, long maxMillis) {
    return Backoff.exponential(initialMillis, maxMillis, sleeper);
  }

  /** Where to start reading newly assigned partitions; by default Kafka's committed offsets. */
  void seekOnAssign(Collection<TopicPartition> partitions) {}

  @Override
  public void stop() {
    running = false;
    try {
      consumer.wakeup();
    } catch (RuntimeException alreadyClosed) {
      // a consumer that failed is closed already
    }
  }

  @Override
  public long lag() {
    return lag.get();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              // Nothing of the pending batch is committed: drop it; its records are read again
              // from the committed position by whoever owns the partition next.
              pending.removeIf(
                  r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              seekOnAssign(partitions);
            }
          });
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          if (pending.isEmpty()) {
            batchStarted = System.nanoTime();
          }
          pending.add(record);
        }
        if (!pending.isEmpty()
            && (pending.size() >= config.batchSize()
                || System.nanoTime() - batchStarted >= config.batchWindow().toNanos())) {
          flush();
        }
        checkLag();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void flush() throws InterruptedException {
    long started = System.nanoTime();
    List<ConsumerRecord<String, byte[]>> batch = List.copyOf(pending);
    Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(batch);
    List<Parsed> parsed = new ArrayList<>(batch.size());
    for (ConsumerRecord<String, byte[]> record : batch) {
      try {
        parsed.add(new Parsed(record, enricher.apply(ClickEventJson.decode(record.value()))));
      } catch (ClickEventJson.InvalidClickEvent
          | IllegalArgumentException
          | NullPointerException e) {
        deadLetter(record, e, 1, clock.instant());
      }
    }
    Backoff retry = backoff(500, MAX_BACKOFF_MS);
    Instant firstFailure = null;
    while (running) {
      try {
        write(parsed.stream().map(Parsed::click).toList(), offsets);
        retrying = false;
        break;
      } catch (RuntimeException e) {
        RuntimeException failure = e;
        if (!isTransient(e)) {
          try {
            writeOneByOne(parsed, offsets);
            break;
          } catch (RuntimeException meanwhile) {
            if (!isTransient(meanwhile)) {
              throw meanwhile;
            }
            failure = meanwhile; // the database went away while the events were isolated
          }
        }
        if (firstFailure == null) {
          firstFailure = clock.instant();
          LOG.warnf(
              "Consumer %s: sink unavailable (%s); retrying the batch with backoff, nothing committed",
              group, rootMessage(failure));
        }
        retrying = true;
        state.failing("sink unavailable: " + rootMessage(failure));
        if (!waitAndKeepMembership(retry.take(), batch)) {
          retrying = false;
          return; // partitions moved to another consumer during the outage
        }
      }
    }
    if (!running) {
      return;
    }
    if (firstFailure != null) {
      LOG.infof(
          "Consumer %s: sink is back after %s",
          group, Duration.between(firstFailure, clock.instant()));
    }
    if (commit(offsets, batch)) {
      pending.removeIf(identitySet(batch)::contains);
      metrics.batch(group, batch.size(), System.nanoTime() - started);
    }
  }

  /**
   * Commits the positions after a written batch. False when the batch is no longer this consumer's
   * to commit: the group moved its partitions, and what it had read is read again.
   */
  private boolean commit(
      Map<TopicPartition, OffsetAndMetadata> offsets, List<ConsumerRecord<String, byte[]>> batch)
      throws InterruptedException {
    Backoff retry = backoff(500, MAX_BACKOFF_MS);
    while (running) {
      try {
        consumer.commitSync(offsets, COMMIT_TIMEOUT);
        retrying = false;
        state.healthy();
        return true;
      } catch (CommitFailedException | RebalanceInProgressException e) {
        LOG.warnf(
            "Consumer %s: the group refused the commit (%s); re-reading from the committed position",
            group, e.getClass().getSimpleName());
        retrying = false;
        rewind();
        return false;
      } catch (RetriableException e) {
        retrying = true;
        state.failing("commit failed: " + rootMessage(e));
        LOG.warnf("Consumer %s: commit failed (%s); retrying", group, rootMessage(e));
        if (!waitAndKeepMembership(retry.take(), batch)) {
          retrying = false;
          return false;
        }
      }
    }
    return false;
  }

  /** Forgets what was read and not committed, and reads on from the committed positions. */
  private void rewind() {
    pending.clear();
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, COMMIT_TIMEOUT);
    for (TopicPartition p : assigned) {
      OffsetAndMetadata at = committed.get(p);
      if (at == null) {
        consumer.seekToBeginning(List.of(p));
      } else {
        consumer.seek(p, at.offset());
      }
    }
    seekOnAssign(assigned);
  }

  /**
   * Isolates the events that cannot be written; the rest are written, the bad ones dead-lettered.
   * Each event leaves {@code parsed} once it is written or dead-lettered, so that after a transient
   * failure the caller retries only those still to do, and dead-letters none twice.
   */
  private void writeOneByOne(List<Parsed> parsed, Map<TopicPartition, OffsetAndMetadata> offsets)
      throws InterruptedException {
    for (Iterator<Parsed> rest = parsed.iterator(); rest.hasNext(); ) {
      Parsed p = rest.next();
      keepMembership();
      Instant first = clock.instant();
      Backoff retry = backoff(100, 1_000);
      for (int attempt = 1; ; attempt++) {
        try {
          write(List.of(p.click()), Map.of());
          break;
        } catch (RuntimeException e) {
          if (isTransient(e)) {
            throw e; // the database went away meanwhile: the caller waits and retries the rest
          }
          if (attempt >= config.maxAttempts()) {
            deadLetter(p.record(), e, attempt, first);
            break;
          }
          retry.pause();
        }
      }
      rest.remove();
    }
    write(List.of(), offsets);
  }

  private void deadLetter(
      ConsumerRecord<String, byte[]> record, Throwable error, int attempts, Instant first) {
    // a second between tries, polling the paused partitions every 200 ms of it
    Backoff slice = Backoff.fixed(200, sleeper);
    while (running) {
      try {
        deadLetters.send(group, record, rootCause(error), attempts, first);
        LOG.warnf(
            "Consumer %s: %s-%d@%d dead-lettered after %d attempt(s): %s",
            group,
            record.topic(),
            record.partition(),
            record.offset(),
            attempts,
            rootMessage(error));
        return;
      } catch (Exception e) {
        LOG.warnf("Consumer %s: dead-letter topic unavailable (%s); retrying", group, e.toString());
        state.failing("dead-letter topic unavailable: " + e);
        try {
          for (int i = 0; i < 5 && running; i++) {
            slice.pause();
            keepMembership();
          }
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * One poll with every partition paused, so that a long isolation of poison events does not exceed
   * the poll interval and get this consumer evicted from its group. Records of partitions newly
   * assigned meanwhile are kept for the next batch.
   */
  private void keepMembership() {
    Set<TopicPartition> paused = consumer.assignment();
    consumer.pause(paused);
    try {
      consumer.poll(Duration.ZERO).forEach(pending::add);
    } finally {
      consumer.resume(consumer.paused());
    }
  }

  /** Sleeps, polling paused partitions now and then so the group does not evict us. */
  private boolean waitAndKeepMembership(long millis, List<ConsumerRecord<String, byte[]>> batch)
      throws InterruptedException {
    consumer.pause(consumer.assignment());
    try {
      long until = clock.millis() + millis;
      while (running && clock.millis() < until) {
        // only newly assigned partitions can return records here; keep them for the next batch
        consumer
            .poll(Duration.ofMillis(Math.min(200, Math.max(1, until - clock.millis()))))
            .forEach(pending::add);
        if (!identitySet(pending).containsAll(batch)) {
          return false;
        }
        checkLag();
      }
      return running;
    } finally {
      consumer.resume(consumer.paused());
    }
  }

  /**
   * The records as a set compared by identity, for one-pass membership tests: List.removeAll and
   * List.containsAll compare every record of one list with every record of the other (a million
   * comparisons for two batches of 1000).
   */
  private static <T> Set<T> identitySet(Collection<T> records) {
    Set<T> set = Collections.newSetFromMap(new IdentityHashMap<>(records.size() * 2));
    set.addAll(records);
    return set;
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      List<ConsumerRecord<String, byte[]>> batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : batch) {
      offsets.merge(
          new TopicPartition(r.topic(), r.partition()),
          new OffsetAndMetadata(r.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }

  /**
   * Records not yet written: the pending ones and those past the position. The end offsets are
   * asked for rather than taken from the last fetch, which paused partitions do not get: so the lag
   * keeps growing while the sink is away.
   */
  private void checkLag() {
    long now = clock.millis();
    if (now - lagCheckedAt < 5_000) {
      return;
    }
    lagCheckedAt = now;
    try {
      long total = pending.size();
      for (var end : consumer.endOffsets(consumer.assignment(), LAG_WAIT).entrySet()) {
        total += Math.max(0, end.getValue() - consumer.position(end.getKey(), LAG_WAIT));
      }
      lag.set(total);
      if (!retrying) {
        state.healthy();
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      // the broker is away: the last figure stays, and the consumer is not doing its job
      state.failing("Kafka unreachable: " + e.getMessage());
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = rootCause(e);
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
