package io.tinyscale.bench;

import static io.tinyscale.bench.Bench.admin;
import static io.tinyscale.bench.Bench.env;
import static io.tinyscale.bench.Bench.fail;
import static io.tinyscale.bench.Bench.log;
import static io.tinyscale.storage.jooq.Tables.AGGREGATED_EVENTS;
import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.CONSUMER_OFFSETS;
import static io.tinyscale.storage.jooq.Tables.URLS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;

import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ClickTopics;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.DSLContext;

/**
 * What the benchmarks of the click pipeline's consumers share: topic {@code clicks} created anew,
 * links to click, a backlog of synthetic click events on the topic, and a consumer group timed from
 * its first commit until it has caught up with the topic, with the machine's readings over that
 * time.
 */
final class ClickBacklog {
  // the app's topics (application.properties, ClickTopics)
  static final String TOPIC = Topics.CLICKS;
  static final String DLT_TOPIC = Topics.DEAD_LETTERS;

  private ClickBacklog() {}

  /**
   * Deletes topics {@code clicks} and {@code clicks.dlt} and the consumer {@code groups}, then
   * creates the topics as the app does.
   */
  static void recreateTopics(int partitions, List<String> groups) throws Exception {
    try (Admin admin = admin()) {
      Set<String> existing =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.equals(TOPIC) || t.equals(DLT_TOPIC))
              .collect(Collectors.toSet());
      if (!existing.isEmpty()) {
        admin.deleteTopics(existing).all().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
            .anyMatch(existing::contains)) {
          if (System.nanoTime() > deadline) {
            fail("the broker did not delete " + existing + " within 60 s");
          }
          Thread.sleep(200);
        }
      }
      deleteGroups(admin, groups);
      // created exactly as the app creates them
      if (!ClickTopics.ensure(env("TINYSCALE_KAFKA_BOOTSTRAP"), partitions, Optional.empty())) {
        fail("cannot create topic " + TOPIC + " on " + env("TINYSCALE_KAFKA_BOOTSTRAP"));
      }
      TopicDescription topic =
          admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
      log(
          "topic %s: %s, %d partitions, id %s",
          TOPIC,
          existing.contains(TOPIC) ? "deleted and created anew" : "created (the broker had none)",
          topic.partitions().size(),
          topic.topicId());
    }
  }

  /** Deletes the consumer {@code groups} from the broker; those it does not know are skipped. */
  static void deleteGroups(Admin admin, List<String> groups) throws Exception {
    for (String group : groups) {
      try {
        admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
          throw new IllegalStateException(
              "cannot delete consumer group "
                  + group
                  + " (is a worker of it still running against this broker?)",
              e);
        }
      }
    }
  }

  /** Empties what the consumers write in Postgres: the clicks, their rollups and positions. */
  static void emptyClickTables(DSLContext db) {
    db.truncate(CLICKS, URL_STATS_HOURLY, AGGREGATED_EVENTS, CONSUMER_OFFSETS).execute();
  }

  /**
   * Links {@code PREFIX00001} … {@code PREFIX<count>} to {@code url00001} …, owned by {@code user};
   * those that exist are left as they are. Returns how many were added.
   */
  static int insertLinks(DSLContext db, String prefix, String url, int count, long user) {
    var insert = db.insertInto(URLS, URLS.SHORT_CODE, URLS.ORIGINAL_URL, URLS.USER_ID);
    for (int i = 1; i <= count; i++) {
      String n = "%05d".formatted(i);
      insert = insert.values(prefix + n, url + n, user);
    }
    return insert.onConflict(URLS.SHORT_CODE).doNothing().execute();
  }

  /** The links {@code PREFIX00001} … {@code PREFIX<count>}, in that order; all must exist. */
  static List<SyntheticClicks.Link> links(DSLContext db, String prefix, int count) {
    List<SyntheticClicks.Link> links =
        db.select(URLS.SHORT_CODE, URLS.ID)
            .from(URLS)
            .where(URLS.SHORT_CODE.between(prefix + "00001", prefix + "%05d".formatted(count)))
            .orderBy(URLS.SHORT_CODE)
            .fetch(r -> new SyntheticClicks.Link(r.value1(), r.value2()));
    if (links.size() != count) {
      fail(
          "expected "
              + count
              + " links "
              + prefix
              + "00001.. in urls, found "
              + links.size()
              + ": run prepare first");
    }
    return links;
  }

  /**
   * {@code events} synthetic click events (the app's v1 JSON, keyed by short code, with the bulk
   * producer's settings) on the links, their times spread over {@code [from, to)}; fails unless the
   * topic then holds exactly that many.
   */
  static void produce(
      List<SyntheticClicks.Link> links, long seed, Instant from, Instant to, long events)
      throws Exception {
    SyntheticClicks clicks = new SyntheticClicks(links, seed, from, to, events);
    Properties props = KafkaClients.bulkProducer(env("TINYSCALE_KAFKA_BOOTSTRAP"));
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> firstError = new AtomicReference<>();
    Set<String> userAgents = new HashSet<>();
    long bytes = 0;
    long started = System.nanoTime();
    long reported = started;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < events; i++) {
        ClickEvent event = clicks.next(i);
        if (event.userAgent() != null) {
          userAgents.add(event.userAgent());
        }
        byte[] value = ClickEventJson.encode(event);
        bytes += value.length;
        producer.send(
            new ProducerRecord<>(TOPIC, event.code(), value),
            (metadata, error) -> {
              if (error != null) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, error);
              }
            });
        if (System.nanoTime() - reported > 5_000_000_000L) {
          reported = System.nanoTime();
          log("produce: %,d of %,d events sent", i + 1, events);
        }
      }
      producer.flush();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (failed.get() > 0) {
      fail(
          failed.get() + " events were not acknowledged by the broker, first: " + firstError.get());
    }
    long inTopic;
    try (Admin admin = admin()) {
      inTopic = endOffsets(admin, TOPIC);
    }
    if (inTopic != events) {
      fail(
          "topic "
              + TOPIC
              + " holds "
              + inTopic
              + " events, expected "
              + events
              + " (was it fresh?)");
    }
    log(
        "produce: %,d events (%.0f MB of JSON, %d links, %d distinct user agents, times from %s to %s) on %s in %.1f s (%,.0f events/s)",
        events,
        bytes / 1e6,
        links.size(),
        userAgents.size(),
        from,
        to,
        TOPIC,
        seconds,
        events / seconds);
  }

  /** How many of the topic's events a group has done (the sum of its positions). */
  interface Progress {
    long done() throws Exception;
  }

  /**
   * A group timed from the first commit seen to catching up: {@code firstDone} events were done at
   * the first reading (left out of the rate), {@code done} at the last.
   */
  record Timed(String name, long firstDone, long done, Machine first, Machine last) {
    long counted() {
      return done - firstDone;
    }

    double seconds() {
      return first.secondsTo(last);
    }

    /** The line the scripts read: {@code RESULT name=… events=… rate=… …}. */
    void print() {
      System.out.printf(
          "RESULT name=%s events=%d seconds=%.3f rate=%.0f consumer_cpu_s=%.2f postgres_cpu_s=%.2f"
              + " broker_cpu_s=%.2f search_cpu_s=%.2f busy_pct=%.0f pressure_pct=%.0f skipped=%d%n",
          name,
          counted(),
          seconds(),
          counted() / seconds(),
          first.workerCpuSecondsTo(last),
          first.postgresCpuSecondsTo(last),
          first.brokerCpuSecondsTo(last),
          first.searchCpuSecondsTo(last),
          first.busyPercentTo(last),
          first.pressurePercentTo(last),
          firstDone);
      System.out.flush();
    }
  }

  /**
   * Times a worker's group: the clock starts at the first commit seen (the worker's start-up,
   * analyzer build and group join are not the pipeline's rate) and stops when {@code progress}
   * reaches {@code total}; the events of the commits before the first one seen are left out of the
   * rate. Fails when the group had committed before the watch began, stalls for {@code
   * stallSeconds} or its worker ({@code pid}) exits. With {@code startedFile}, writes it at the
   * first commit (the script then starts a profile).
   */
  static Timed watch(
      String name,
      Progress progress,
      long total,
      long pid,
      Machine.Watched watched,
      int stallSeconds,
      Path startedFile)
      throws Exception {
    log("%s: waiting for the worker's first commit (%,d events on %s)", name, total, TOPIC);
    Machine first = null;
    long firstDone = 0;
    long lastDone = -1;
    long lastChange = System.nanoTime();
    Machine reported = Machine.now(watched);
    long reportedDone = 0;
    long done;
    while (true) {
      done = progress.done();
      long now = System.nanoTime();
      if (first == null && done > 0) {
        if (lastDone < 0) {
          fail(
              name + " had committed " + done + " events before the watch started: cannot time it");
        }
        first = Machine.now(watched);
        firstDone = done;
        reported = first;
        reportedDone = done;
        log("%s: first commit seen (%,d events), clock started", name, done);
        if (startedFile != null) {
          Files.writeString(startedFile, Long.toString(done));
        }
      }
      if (done >= total) {
        break;
      }
      if (done != lastDone) {
        lastDone = done;
        lastChange = now;
      } else if (now - lastChange > TimeUnit.SECONDS.toNanos(stallSeconds)) {
        fail(
            name
                + " made no progress for "
                + stallSeconds
                + " s at "
                + done
                + " of "
                + total
                + " events");
      }
      if (pid > 0 && !Machine.alive(pid)) {
        fail(
            "the worker (pid "
                + pid
                + ") exited at "
                + done
                + " of "
                + total
                + " events (see its log)");
      }
      if (first != null && now - reported.nanos() > 5_000_000_000L) {
        Machine m = Machine.now(watched);
        log(
            "%s: %,d of %,d events (%s)",
            name, done, total, progress(reported, m, done - reportedDone));
        reported = m;
        reportedDone = done;
      }
      Thread.sleep(100);
    }
    Machine last = Machine.now(watched);
    if (first == null) { // caught up between two looks: no interval to time
      fail(
          name
              + " went from 0 to all "
              + total
              + " events between two looks 100 ms apart: use more events");
    }
    Timed timed = new Timed(name, firstDone, done, first, last);
    log(
        "%s: caught up, %,d events in %.2f s after the first commit",
        name, timed.counted(), timed.seconds());
    return timed;
  }

  /** Events per second, CPU busy and pressure between two samples, for a progress line. */
  static String progress(Machine from, Machine to, long events) {
    return String.format(
        "%,.0f events/s over the last %.0f s; CPU busy %.0f %%, pressure %.0f %%",
        events / from.secondsTo(to),
        from.secondsTo(to),
        from.busyPercentTo(to),
        from.pressurePercentTo(to));
  }

  /** The group's committed offsets on topic clicks, summed over the partitions. */
  static long committedOffsets(Admin admin, String group) throws Exception {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS)
        .entrySet()
        .stream()
        .filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  /** The topic's end offsets, summed over the partitions: how many events it holds. */
  static long endOffsets(Admin admin, String topic) throws Exception {
    TopicDescription description =
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    Map<TopicPartition, OffsetSpec> latest =
        description.partitions().stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
        .mapToLong(r -> r.offset())
        .sum();
  }

  /** Fails when any event went to the dead-letter topic. */
  static void requireNoDeadLetters(Admin admin) throws Exception {
    long deadLetters = endOffsets(admin, DLT_TOPIC);
    if (deadLetters != 0) {
      fail(deadLetters + " events went to " + DLT_TOPIC + " (see the worker's log)");
    }
  }
}
