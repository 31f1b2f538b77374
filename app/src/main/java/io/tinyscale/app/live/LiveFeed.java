package io.tinyscale.app.live;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.tinyscale.app.account.Caller;
import io.tinyscale.app.http.LogText;
import io.tinyscale.app.link.LinkAccess;
import io.tinyscale.app.platform.Enrichment;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.core.enrich.Enricher;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The live fan-out of one server replica: it reads {@code clicks} itself, with {@code assign()} on
 * every partition, no consumer group and no commits, from the end of the topic (nothing is polled
 * from a database), and hands each click to the streams that want it.
 *
 * <p>The reader starts with the first stream and stops once no stream has been open for {@link
 * #IDLE}: a replica nobody watches reads nothing, and clients that reconnect (a browser retries
 * within seconds) find it still positioned. The {@link Enricher} is taken when the reader first
 * starts (the process's one, see {@code platform/Enrichment}), and runs only for clicks some stream
 * wants: a click is enriched once, framed once, and the same bytes go to each of its streams.
 *
 * <p>A stream that resumes ({@code Last-Event-ID}) joins the fan-out at once, holding what the feed
 * sends it, and gets a reader of its own ({@link CatchUp}) that reads from the time of its last
 * click up to the positions the feed had reached when it joined; then the held clicks follow. Each
 * partition is read by the catch-up below that position and by the feed from it on, so the
 * hand-over neither loses nor repeats a click; which clicks the client is owed is {@link Resume}'s
 * rule.
 */
@ApplicationScoped
@Startup // its metrics are there, at zero, before the first stream
class LiveFeed {
  private static final Logger LOG = Logger.getLogger(LiveFeed.class);

  /** How long the reader keeps reading with no stream open. */
  static final Duration IDLE = Duration.ofSeconds(60);

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final Duration NEW_PARTITIONS_EVERY = Duration.ofMinutes(1);
  // clicks of one link come in bursts: who may see it is asked once a minute, not per click
  private static final Duration AUDIENCE_TTL = Duration.ofMinutes(1);
  private static final int CATCH_UP_THREADS = 4;
  // how long a shutdown waits for the streams' farewells to be written
  private static final Duration FAREWELL = Duration.ofSeconds(2);

  private final Settings settings;
  private final LinkAccess access;
  private final Enrichment enrichment;
  private final Vertx vertx;
  private final Set<LiveClient> clients = ConcurrentHashMap.newKeySet();
  // the same clients by what they want: a click is matched against its link's and the accounts'
  private final Map<Long, Set<LiveClient>> byLink = new ConcurrentHashMap<>();
  private final Set<LiveClient> byAccount = ConcurrentHashMap.newKeySet();
  private final Cache<String, Predicate<Caller>> audiences =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(AUDIENCE_TTL).build();
  private final ExecutorService catchUps =
      Executors.newFixedThreadPool(
          CATCH_UP_THREADS, Thread.ofPlatform().daemon().name("live-catch-up-", 0).factory());
  private final Counter events;
  private final Counter dropped;
  private final Object lock = new Object();
  // guarded by lock
  private Reader reader;
  private Map<TopicPartition, Long> next; // the feed's position: null until positioned
  private long idleSince;
  private boolean shutDown;
  private volatile long lastWarning;

  LiveFeed(
      Settings settings,
      LinkAccess access,
      Enrichment enrichment,
      Vertx vertx,
      MeterRegistry meters) {
    this.settings = settings;
    this.access = access;
    this.enrichment = enrichment;
    this.vertx = vertx;
    Gauge.builder("tinyscale_sse_clients", clients, Set::size)
        .description("Live streams open on this replica")
        .register(meters);
    events =
        Counter.builder("tinyscale_sse_events")
            .description("Clicks sent to live streams (one per stream a click went to)")
            .register(meters);
    dropped =
        Counter.builder("tinyscale_sse_dropped")
            .description("Live streams closed because their client fell behind (overflow)")
            .register(meters);
  }

  /**
   * Adds a stream: it is sent {@code : ready} as soon as the feed is positioned (at once when it
   * already is), and a resuming one catches up first. False while the server shuts down.
   */
  boolean join(LiveClient client) {
    synchronized (lock) {
      if (shutDown) {
        return false;
      }
      clients.add(client);
      switch (client.subscription) {
        case Subscription.OneLink one ->
            byLink.computeIfAbsent(one.urlId(), id -> ConcurrentHashMap.newKeySet()).add(client);
        case Subscription.AllLinks all -> byAccount.add(client);
      }
      if (reader == null) {
        reader = new Reader();
        Thread.ofPlatform().daemon().name("live-feed").start(reader);
      }
      if (next != null) {
        start(client, Map.copyOf(next));
      }
      return true;
    }
  }

  /** The stream ended, however: the feed forgets it. */
  void leave(LiveClient client) {
    synchronized (lock) {
      switch (client.subscription) {
        case Subscription.OneLink one ->
            byLink.computeIfPresent(
                one.urlId(),
                (id, streams) -> {
                  streams.remove(client);
                  return streams.isEmpty() ? null : streams;
                });
        case Subscription.AllLinks all -> byAccount.remove(client);
      }
      if (clients.remove(client) && clients.isEmpty()) {
        idleSince = System.nanoTime();
      }
    }
  }

  void dropped() {
    dropped.increment();
  }

  /** Whether the client wants this click. Blocking: may ask the database who owns the link. */
  boolean wants(LiveClient client, ClickEvent click) {
    return switch (client.subscription) {
      case Subscription.OneLink one -> one.urlId() == click.urlId();
      case Subscription.AllLinks all -> audience(click.code()).test(all.caller());
    };
  }

  /** The click as a frame; {@code enricher} is the feed's. */
  static Buffer frame(Enricher enricher, ClickEvent click) {
    return Frames.click(enricher.enrich(click));
  }

  void counted() {
    events.increment();
  }

  /**
   * The server is going down: each stream is sent {@code shutdown}, before the HTTP server closes
   * the connections (Quarkus announces the shutdown first, since {@code quarkus.shutdown
   * .delay-enabled} is on); waits up to {@link #FAREWELL} for the farewells to be written.
   */
  void announce(@Observes ShutdownDelayInitiatedEvent event) {
    List<LiveClient> open;
    synchronized (lock) {
      shutDown = true;
      open = List.copyOf(clients);
    }
    if (open.isEmpty()) {
      return;
    }
    LOG.infof("Telling %d live stream(s) that the server shuts down", open.size());
    try {
      CompletableFuture.allOf(
              open.stream().map(LiveClient::shutdown).toArray(CompletableFuture[]::new))
          .get(FAREWELL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // a client that reads nothing is cut when the server stops
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The reader and the catch-ups stop (and any stream still open is told, if it can be). */
  void stop(@Observes ShutdownEvent event) {
    Reader stopping;
    List<LiveClient> open;
    synchronized (lock) {
      shutDown = true;
      stopping = reader;
      open = List.copyOf(clients);
    }
    open.forEach(LiveClient::shutdown);
    if (stopping != null) {
      stopping.stop();
    }
    catchUps.shutdownNow();
  }

  private void start(LiveClient client, Map<TopicPartition, Long> positions) {
    if (client.resume == null) {
      client.ready();
    } else {
      catchUps.execute(new CatchUp(this, client, positions, settings.kafka().bootstrap()));
    }
  }

  private Predicate<Caller> audience(String code) {
    try {
      return audiences.get(code, access::audience);
    } catch (RuntimeException e) {
      // the database is away: nobody is shown the click rather than the wrong people
      warn("cannot tell who may see /" + code + " (" + e.getMessage() + "); click not shown");
      return caller -> false;
    }
  }

  private void warn(String message) {
    long now = System.nanoTime();
    if (now - lastWarning > TimeUnit.MINUTES.toNanos(1) || lastWarning == 0) {
      lastWarning = now;
      LOG.warn(LogText.of(message));
    }
  }

  Enricher enricher() {
    return enrichment.get();
  }

  /**
   * The feed's thread: positions on every partition at the first stream's request, then reads and
   * fans out. A consumer that fails is replaced by one that goes on from the same positions, so the
   * open streams miss nothing.
   */
  private final class Reader implements Runnable {
    // the first stream's request: the first positioning starts here, not at the end, so that the
    // clicks made while the reader starts (the enricher is built, the consumer connects: seconds
    // on a fresh server) reach the streams that were already open
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, byte[]> consumer;

    void stop() {
      stopped = true;
      KafkaConsumer<String, byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }

    @Override
    public void run() {
      boolean done = false;
      long heartbeats = -1;
      try {
        Enricher enricher = enricher();
        heartbeats =
            vertx.setPeriodic(
                settings.live().sseHeartbeat().toMillis(),
                t -> clients.forEach(LiveClient::heartbeat));
        while (!stopped) {
          try (KafkaConsumer<String, byte[]> c =
              new KafkaConsumer<>(
                  KafkaClients.liveReader(settings.kafka().bootstrap()),
                  new StringDeserializer(),
                  new ByteArrayDeserializer())) {
            consumer = c;
            if (stopped || read(c, enricher)) {
              break;
            }
          } catch (WakeupException e) {
            break;
          } catch (RuntimeException e) {
            warn("the live feed cannot read " + Topics.CLICKS + ": " + e.getMessage());
          }
          pause();
        }
        done = true;
      } finally {
        if (heartbeats != -1) {
          vertx.cancelTimer(heartbeats);
        }
        List<LiveClient> orphans = List.of();
        synchronized (lock) {
          if (reader == this) {
            reader = null;
            next = null;
          }
          if (!done) {
            orphans = List.copyOf(clients);
          }
        }
        // a bug, not a broker outage: the clients reconnect to a fresh feed
        orphans.forEach(LiveClient::abort);
      }
    }

    /** True when the reader should stop (idle or shut down); an exception to start over. */
    private boolean read(KafkaConsumer<String, byte[]> c, Enricher enricher) {
      List<TopicPartition> partitions = partitions(c);
      while (partitions.isEmpty()) {
        synchronized (lock) {
          if (stopped || idle()) {
            return true;
          }
        }
        pause(); // the topic is made by the first server that ships a click
        partitions = partitions(c);
      }
      position(c, partitions);
      long checkPartitions = System.nanoTime() + NEW_PARTITIONS_EVERY.toNanos();
      while (!stopped) {
        var records = c.poll(POLL);
        synchronized (lock) {
          for (ConsumerRecord<String, byte[]> r : records) {
            fanOut(r, enricher);
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          }
          if (idle()) {
            reader = null;
            next = null;
            return true;
          }
        }
        if (System.nanoTime() > checkPartitions) {
          checkPartitions = System.nanoTime() + NEW_PARTITIONS_EVERY.toNanos();
          if (!Set.copyOf(partitions(c)).equals(c.assignment())) {
            // partitions were added: a new consumer takes them all, the old ones where this left
            throw new IllegalStateException(Topics.CLICKS + " has new partitions");
          }
        }
      }
      return true;
    }

    /**
     * The first time, every partition from the reader's start ({@link #startedAt}); after a
     * failure, where the feed had got to (and a partition added since, from its beginning: all of
     * it is new).
     */
    private void position(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions) {
      c.assign(partitions);
      Map<TopicPartition, Long> reached;
      synchronized (lock) {
        reached = next == null ? null : Map.copyOf(next);
      }
      if (reached == null) {
        Map<TopicPartition, Long> since = new HashMap<>();
        partitions.forEach(p -> since.put(p, startedAt));
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(since);
        for (TopicPartition p : partitions) {
          OffsetAndTimestamp at = found.get(p);
          if (at == null) {
            c.seekToEnd(List.of(p)); // nothing since: from its end
          } else {
            c.seek(p, at.offset());
          }
        }
      } else {
        for (TopicPartition p : partitions) {
          if (reached.containsKey(p)) {
            c.seek(p, reached.get(p));
          } else {
            c.seekToBeginning(List.of(p));
          }
        }
      }
      Map<TopicPartition, Long> positions = new HashMap<>();
      for (TopicPartition p : partitions) {
        positions.put(p, c.position(p));
      }
      synchronized (lock) {
        boolean first = next == null;
        next = positions;
        if (first) {
          clients.forEach(client -> start(client, Map.copyOf(positions)));
        }
      }
    }

    private void fanOut(ConsumerRecord<String, byte[]> record, Enricher enricher) {
      if (clients.isEmpty()) {
        return;
      }
      ClickEvent click;
      try {
        click = ClickEventJson.decode(record.value());
      } catch (ClickEventJson.InvalidClickEvent e) {
        return; // the pipeline sends it to the dead letters
      }
      List<LiveClient> targets = new ArrayList<>(byLink.getOrDefault(click.urlId(), Set.of()));
      for (LiveClient client : byAccount) {
        if (wants(client, click)) {
          targets.add(client);
        }
      }
      if (targets.isEmpty()) {
        return;
      }
      Buffer frame = frame(enricher, click);
      for (LiveClient client : targets) {
        if (client.offer(frame)) {
          counted();
        }
      }
    }

    /** Guarded by lock. */
    private boolean idle() {
      return shutDown || clients.isEmpty() && System.nanoTime() - idleSince > IDLE.toNanos();
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
      var infos = c.partitionsFor(Topics.CLICKS);
      return infos == null
          ? List.of()
          : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void pause() {
      try {
        Thread.sleep(RETRY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }
  }
}
