package io.tinyscale.bench;

import static io.tinyscale.storage.jooq.Tables.AGGREGATED_EVENTS;
import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.CONSUMER_OFFSETS;
import static io.tinyscale.storage.jooq.Tables.URLS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;
import static io.tinyscale.storage.jooq.Tables.USERS;

import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ClickTopics;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.core.enrich.EnrichedClick;
import io.tinyscale.core.enrich.Enricher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The Java half of {@code bench/pipeline.sh} ({@code ./tinyscale bench pipeline}): the steps a
 * shell cannot do. Each command is one step; the script runs them in order and starts and stops the
 * workers in between.
 *
 * <pre>
 * prepare   --partitions P --links L     schema (Flyway), topic clicks deleted and created anew,
 *                                        the bench's tables emptied, L links
 * produce   --events N --links L --seed S --hours H
 *                                        N synthetic click events on topic clicks
 * watch     --group raw-writer|aggregator --pid PID [--started-file F] [--stall-seconds S]
 *                                        times a worker's group from its first commit until it has
 *                                        caught up with the topic, then checks its table
 * per-event --max-events M --max-seconds S [--jfr FILE]
 *                                        the baseline: one insert, one DB commit and one Kafka commit
 *                                        per event, on the same topic (group of its own)
 * profile   [--threads REGEX] FILE.jfr   where the consumer threads spent their time
 * </pre>
 *
 * Connections come from {@code TINYSCALE_DB_URL}, {@code _DB_USER}, {@code _DB_PASSWORD} and {@code
 * TINYSCALE_KAFKA_BOOTSTRAP}, as for the app. Progress goes to stderr; each measuring command ends
 * with one {@code RESULT key=value …} line on stdout. Exit status 1, with a sentence, when a step
 * fails or a check does not hold.
 */
public final class PipelineBench {

  // the app's topic and consumer groups (application.properties, RawClickWriter, HourlyAggregator)
  static final String TOPIC = Topics.CLICKS;
  static final String DLT_TOPIC = Topics.DEAD_LETTERS;
  static final String RAW_WRITER_GROUP = ConsumerGroup.RAW_WRITER.groupId();
  static final String AGGREGATOR_GROUP = ConsumerGroup.AGGREGATOR.groupId();
  static final String PER_EVENT_GROUP = "tinyscale-bench-per-event";

  static final String USER_EMAIL = "pipeline-bench@example.com";
  static final String CODE_PREFIX = "pb";

  private final Map<String, String> options;

  private PipelineBench(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) {
    if (args.length == 0) {
      fail("usage: PipelineBench prepare|produce|watch|per-event|profile [--option value ...]");
    }
    Map<String, String> options = new HashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--") && i + 1 < args.length) {
        options.put(args[i].substring(2), args[++i]);
      } else {
        positional.add(args[i]);
      }
    }
    PipelineBench bench = new PipelineBench(options);
    try {
      switch (args[0]) {
        case "prepare" -> bench.prepare();
        case "produce" -> bench.produce();
        case "watch" -> bench.watch();
        case "per-event" -> bench.perEvent();
        case "profile" -> {
          Pattern threads =
              Pattern.compile(options.getOrDefault("threads", JfrSummary.WORKER_THREADS));
          for (String file : positional) {
            JfrSummary.print(Path.of(file), threads, System.out);
          }
        }
        default -> fail("unknown command '" + args[0] + "'");
      }
    } catch (Exception e) {
      e.printStackTrace();
      fail(args[0] + " failed: " + e);
    }
    System.exit(0); // the Kafka clients' and yauaa's threads would otherwise keep the JVM alive
  }

  // ---------------------------------------------------------------------------------------------
  // prepare

  private void prepare() throws Exception {
    int partitions = intOption("partitions", 6);
    int links = intOption("links", 5000);
    Flyway.configure()
        .dataSource(env("TINYSCALE_DB_URL"), dbUser(), dbPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
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
      for (String group : List.of(RAW_WRITER_GROUP, AGGREGATOR_GROUP, PER_EVENT_GROUP)) {
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
    try (Connection connection = connect()) {
      DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
      db.truncate(CLICKS, URL_STATS_HOURLY, AGGREGATED_EVENTS, CONSUMER_OFFSETS).execute();
      Long user =
          db.select(USERS.ID).from(USERS).where(USERS.EMAIL.eq(USER_EMAIL)).fetchOne(USERS.ID);
      if (user == null) {
        // never logs in: no password hash can match "!"
        user =
            db.insertInto(USERS, USERS.EMAIL, USERS.PASSWORD_HASH)
                .values(USER_EMAIL, "!")
                .returning(USERS.ID)
                .fetchOne(USERS.ID);
      }
      var insert = db.insertInto(URLS, URLS.SHORT_CODE, URLS.ORIGINAL_URL, URLS.USER_ID);
      for (int i = 1; i <= links; i++) {
        String n = "%05d".formatted(i);
        insert = insert.values(CODE_PREFIX + n, "https://example.com/articles/" + n, user);
      }
      int added = insert.onConflict(URLS.SHORT_CODE).doNothing().execute();
      log(
          "database: clicks, url_stats_hourly, aggregated_events and consumer_offsets emptied; %d links %s00001..%s%05d (%d new)",
          links, CODE_PREFIX, CODE_PREFIX, links, added);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // produce

  private void produce() throws Exception {
    long events = longOption("events", 1_000_000);
    int links = intOption("links", 5000);
    long seed = longOption("seed", 42);
    int hours = intOption("hours", 6);
    List<SyntheticClicks.Link> clicked;
    try (Connection connection = connect()) {
      clicked =
          DSL.using(connection, SQLDialect.POSTGRES)
              .select(URLS.SHORT_CODE, URLS.ID)
              .from(URLS)
              .where(
                  URLS.SHORT_CODE.between(
                      CODE_PREFIX + "00001", CODE_PREFIX + "%05d".formatted(links)))
              .orderBy(URLS.SHORT_CODE)
              .fetch(r -> new SyntheticClicks.Link(r.value1(), r.value2()));
    }
    if (clicked.size() != links) {
      fail(
          "expected "
              + links
              + " links "
              + CODE_PREFIX
              + "00001.. in urls, found "
              + clicked.size()
              + ": run prepare first");
    }
    Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SyntheticClicks clicks =
        new SyntheticClicks(clicked, seed, to.minus(Duration.ofHours(hours)), to, events);

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
        "produce: %,d events (%.0f MB of JSON, %d links, %d distinct user agents, times over %d h) on %s in %.1f s (%,.0f events/s)",
        events, bytes / 1e6, links, userAgents.size(), hours, TOPIC, seconds, events / seconds);
  }

  // ---------------------------------------------------------------------------------------------
  // watch

  /**
   * A group's progress: Kafka's committed offsets for the raw writer; for the aggregator the
   * positions it stores in consumer_offsets in the same transaction as its counts (its truth). The
   * clock starts at the first commit seen (the worker's start-up, analyzer build and group join are
   * not the pipeline's rate) and stops when the group's position reaches the end of the topic; the
   * events of the commits before the first one seen are left out of the rate.
   */
  private void watch() throws Exception {
    String name = option("group");
    long pid = longOption("pid", 0);
    Machine.Watched watched = watched(pid);
    int stallSeconds = intOption("stall-seconds", 120);
    Path startedFile =
        options.containsKey("started-file") ? Path.of(options.get("started-file")) : null;
    if (!name.equals("raw-writer") && !name.equals("aggregator")) {
      fail("--group must be raw-writer or aggregator");
    }
    boolean aggregator = name.equals("aggregator");
    try (Admin admin = admin();
        Connection connection = connect()) {
      DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
      String topicKey = ClickTopics.key(env("TINYSCALE_KAFKA_BOOTSTRAP"), TOPIC);
      long total = endOffsets(admin, TOPIC);
      log("%s: waiting for the worker's first commit (%,d events on %s)", name, total, TOPIC);
      Machine first = null;
      long firstDone = 0;
      long lastDone = -1;
      long lastChange = System.nanoTime();
      Machine reported = Machine.now(watched);
      long reportedDone = 0;
      long done = 0;
      while (true) {
        done =
            aggregator ? storedPositions(db, topicKey) : committedOffsets(admin, RAW_WRITER_GROUP);
        long now = System.nanoTime();
        if (first == null && done > 0) {
          if (lastDone < 0) {
            fail(
                name
                    + " had committed "
                    + done
                    + " events before the watch started: cannot time it");
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
      long counted = done - firstDone;
      double seconds = first.secondsTo(last);
      log("%s: caught up, %,d events in %.2f s after the first commit", name, counted, seconds);
      verify(db, admin, name, total);
      result(name, counted, seconds, first, last, firstDone);
    }
  }

  /**
   * Fails unless the group's table holds exactly the topic's events, and nothing was dead-lettered.
   */
  private static void verify(DSLContext db, Admin admin, String name, long total) throws Exception {
    long deadLetters = endOffsets(admin, DLT_TOPIC);
    if (deadLetters != 0) {
      fail(deadLetters + " events went to " + DLT_TOPIC + " (see the worker's log)");
    }
    if (name.equals("raw-writer")) {
      int rows = db.fetchCount(CLICKS);
      int bots = db.fetchCount(CLICKS, CLICKS.IS_BOT.isTrue());
      int countries = db.fetchCount(CLICKS, CLICKS.COUNTRY.isNotNull());
      if (rows != total) {
        fail("clicks holds " + rows + " rows, expected " + total);
      }
      log(
          "check: clicks holds %,d rows = events on the topic (%.1f %% bots, %.1f %% with a country)",
          rows, 100.0 * bots / rows, 100.0 * countries / rows);
    } else {
      long counted =
          db.select(DSL.sum(URL_STATS_HOURLY.COUNT)).from(URL_STATS_HOURLY).fetchOne(0, Long.class);
      int buckets = db.fetchCount(URL_STATS_HOURLY);
      int ids = db.fetchCount(AGGREGATED_EVENTS);
      if (counted != total || ids != total) {
        fail(
            "sum(url_stats_hourly.count) = "
                + counted
                + " and aggregated_events holds "
                + ids
                + ", expected "
                + total);
      }
      log(
          "check: sum(url_stats_hourly.count) = %,d = events on the topic (%,d hourly buckets)",
          counted, buckets);
    }
  }

  private static long storedPositions(DSLContext db, String topicKey) {
    Long sum =
        db.select(DSL.sum(CONSUMER_OFFSETS.NEXT_OFFSET))
            .from(CONSUMER_OFFSETS)
            .where(
                CONSUMER_OFFSETS
                    .CONSUMER_GROUP
                    .eq(AGGREGATOR_GROUP)
                    .and(CONSUMER_OFFSETS.TOPIC.eq(topicKey)))
            .fetchOne(0, Long.class);
    return sum == null ? 0 : sum;
  }

  private static long committedOffsets(Admin admin, String group) throws Exception {
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

  private static long endOffsets(Admin admin, String topic) throws Exception {
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

  // ---------------------------------------------------------------------------------------------
  // per-event

  /**
   * The baseline the batched consumers are compared with: the same decoding and enrichment, then
   * for every event one INSERT into clicks in its own transaction (autocommit) and one {@code
   * commitSync} of its offset: what a consumer without batching does. It starts, like the raw
   * writer, with an empty clicks table, and runs for at most {@code max-events} events or {@code
   * max-seconds}, whichever comes first; its rate is what it managed in that time.
   */
  private void perEvent() throws Exception {
    long maxEvents = longOption("max-events", 50_000);
    int maxSeconds = intOption("max-seconds", 60);
    log("per-event: building the enricher (user agent analyzer, country database)");
    Enricher enricher = new Enricher();
    // Kafka's default poll size; the loop below writes and commits event by event
    Properties props =
        KafkaClients.groupConsumer(env("TINYSCALE_KAFKA_BOOTSTRAP"), PER_EVENT_GROUP, 500);
    try (Connection connection = connect();
        KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
      db.truncate(CLICKS).execute();
      consumer.subscribe(List.of(TOPIC));
      long total;
      try (Admin admin = admin()) {
        total = endOffsets(admin, TOPIC);
      }
      long limit = Math.min(maxEvents, total);
      long deadline = 0;
      long done = 0;
      Machine first = null;
      Machine reported = null;
      long reportedDone = 0;
      Recording recording = null;
      Machine.Watched watched = watched(ProcessHandle.current().pid());
      outer:
      while (done < limit) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (first == null) {
            recording = startRecording();
            first = Machine.now(watched);
            reported = first;
            deadline = first.nanos() + TimeUnit.SECONDS.toNanos(maxSeconds);
            log(
                "per-event: first event received, clock started; at most %,d events or %d s",
                limit, maxSeconds);
          }
          EnrichedClick c = enricher.enrich(ClickEventJson.decode(record.value()));
          db.insertInto(CLICKS)
              .set(CLICKS.EVENT_ID, c.eventId())
              .set(CLICKS.URL_ID, c.urlId())
              .set(CLICKS.CLICKED_AT, c.at().atOffset(ZoneOffset.UTC))
              .set(CLICKS.IP_ADDRESS, c.ip())
              .set(CLICKS.USER_AGENT, c.userAgent())
              .set(CLICKS.REFERRER, c.referrer())
              .set(CLICKS.COUNTRY, c.country())
              .set(CLICKS.BROWSER, c.browser())
              .set(CLICKS.OS, c.os())
              .set(CLICKS.DEVICE, c.device())
              .set(CLICKS.IS_BOT, c.bot())
              .onConflict(CLICKS.EVENT_ID)
              .doNothing()
              .execute();
          consumer.commitSync(
              Map.of(
                  new TopicPartition(record.topic(), record.partition()),
                  new OffsetAndMetadata(record.offset() + 1)));
          done++;
          long now = System.nanoTime();
          if (done >= limit || now >= deadline) {
            break outer;
          }
          if (now - reported.nanos() > 5_000_000_000L) {
            Machine m = Machine.now(watched);
            log("per-event: %,d events (%s)", done, progress(reported, m, done - reportedDone));
            reported = m;
            reportedDone = done;
          }
        }
      }
      Machine last = Machine.now(watched);
      if (recording != null) {
        recording.stop();
        recording.close();
      }
      double seconds = first.secondsTo(last);
      int rows = db.fetchCount(CLICKS);
      if (rows != done) {
        fail("per-event: clicks holds " + rows + " rows after " + done + " events");
      }
      log(
          "per-event: stopped after %,d events in %.2f s (%s); clicks holds %,d rows = events processed",
          done, seconds, done >= limit ? "event limit" : "time limit", rows);
      result("per-event", done, seconds, first, last, 0);
    }
  }

  /** With --jfr FILE, a JFR recording (settings "profile") of the timed stretch only. */
  private Recording startRecording() throws Exception {
    if (!options.containsKey("jfr")) {
      return null;
    }
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.setDestination(Path.of(options.get("jfr")));
    recording.start();
    return recording;
  }

  // ---------------------------------------------------------------------------------------------

  private static void result(
      String name, long events, double seconds, Machine first, Machine last, long skipped) {
    System.out.printf(
        "RESULT name=%s events=%d seconds=%.3f rate=%.0f consumer_cpu_s=%.2f postgres_cpu_s=%.2f"
            + " broker_cpu_s=%.2f busy_pct=%.0f pressure_pct=%.0f skipped=%d%n",
        name,
        events,
        seconds,
        events / seconds,
        first.workerCpuSecondsTo(last),
        first.postgresCpuSecondsTo(last),
        first.brokerCpuSecondsTo(last),
        first.busyPercentTo(last),
        first.pressurePercentTo(last),
        skipped);
    System.out.flush();
  }

  /**
   * The consumer's process, the broker's (--broker-pid, when devstack started it) and the
   * database's backends.
   */
  private Machine.Watched watched(long consumerPid) {
    String url = env("TINYSCALE_DB_URL");
    String database = url.replaceFirst("^jdbc:postgresql://[^/]*/", "").replaceFirst("[?].*$", "");
    return new Machine.Watched(consumerPid, longOption("broker-pid", 0), database);
  }

  private static Admin admin() {
    return Admin.create(KafkaClients.admin(env("TINYSCALE_KAFKA_BOOTSTRAP")));
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(env("TINYSCALE_DB_URL"), dbUser(), dbPassword());
  }

  private static String dbUser() {
    return System.getenv().getOrDefault("TINYSCALE_DB_USER", "postgres");
  }

  private static String dbPassword() {
    return System.getenv().getOrDefault("TINYSCALE_DB_PASSWORD", "");
  }

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      fail(name + " is not set (bench/pipeline.sh sets it from devstack)");
    }
    return value;
  }

  private String option(String name) {
    String value = options.get(name);
    if (value == null) {
      fail("--" + name + " is required");
    }
    return value;
  }

  private long longOption(String name, long fallback) {
    return options.containsKey(name) ? Long.parseLong(options.get(name)) : fallback;
  }

  private int intOption(String name, int fallback) {
    return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
  }

  static void log(String format, Object... args) {
    System.err.printf(
        "[bench %s] %s%n",
        LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), format.formatted(args));
  }

  static void fail(String message) {
    System.err.println("[bench] error: " + message);
    System.exit(1);
  }

  /** Events per second, CPU busy and pressure between two samples, for a progress line. */
  private static String progress(Machine from, Machine to, long events) {
    return String.format(
        "%,.0f events/s over the last %.0f s; CPU busy %.0f %%, pressure %.0f %%",
        events / from.secondsTo(to),
        from.secondsTo(to),
        from.busyPercentTo(to),
        from.pressurePercentTo(to));
  }
}
