package io.tinyscale.bench;

import static io.tinyscale.bench.Bench.admin;
import static io.tinyscale.bench.Bench.connect;
import static io.tinyscale.bench.Bench.env;
import static io.tinyscale.bench.Bench.fail;
import static io.tinyscale.bench.Bench.log;
import static io.tinyscale.bench.ClickBacklog.TOPIC;
import static io.tinyscale.storage.jooq.Tables.AGGREGATED_EVENTS;
import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.CONSUMER_OFFSETS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;
import static io.tinyscale.storage.jooq.Tables.USERS;

import io.tinyscale.core.clickstream.ClickEventJson;
import io.tinyscale.core.clickstream.ClickTopics;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.clickstream.KafkaClients;
import io.tinyscale.core.enrich.EnrichedClick;
import io.tinyscale.core.enrich.Enricher;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 *           [--rows-before N] [--counted-before C]
 *                                        times a worker's group from its first commit until it has
 *                                        caught up with the topic, then checks its table (which
 *                                        held N rows before: clicks, or aggregated_events, and C the
 *                                        sum of url_stats_hourly.count; bench/pipeline-scale.sh)
 * reset-groups                           forgets where the consumer groups are: deletes them on the
 *                                        broker and their rows in consumer_offsets, so that the
 *                                        next worker reads the topic from its start again
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

  // the app's consumer groups (RawClickWriter, HourlyAggregator)
  static final String RAW_WRITER_GROUP = ConsumerGroup.RAW_WRITER.groupId();
  static final String AGGREGATOR_GROUP = ConsumerGroup.AGGREGATOR.groupId();
  static final String PER_EVENT_GROUP = "tinyscale-bench-per-event";

  static final String USER_EMAIL = "pipeline-bench@example.com";
  static final String CODE_PREFIX = "pb";

  private final Bench.Args args;

  private PipelineBench(Bench.Args args) {
    this.args = args;
  }

  public static void main(String[] argv) {
    Bench.Args args =
        Bench.Args.parse(
            argv,
            "PipelineBench prepare|produce|watch|per-event|reset-groups|profile [--option value ...]");
    PipelineBench bench = new PipelineBench(args);
    Map<String, Bench.Step> steps = new LinkedHashMap<>();
    steps.put("prepare", bench::prepare);
    steps.put("produce", bench::produce);
    steps.put("watch", bench::watch);
    steps.put("per-event", bench::perEvent);
    steps.put("reset-groups", bench::resetGroups);
    steps.put(
        "profile",
        () -> {
          Pattern threads = Pattern.compile(args.get("threads", JfrSummary.WORKER_THREADS));
          for (String file : args.positional()) {
            JfrSummary.print(Path.of(file), threads, System.out);
          }
        });
    Bench.run(args, steps);
  }

  // ---------------------------------------------------------------------------------------------
  // prepare

  private void prepare() throws Exception {
    int partitions = args.getInt("partitions", 6);
    int links = args.getInt("links", 5000);
    Bench.migrate();
    ClickBacklog.recreateTopics(
        partitions, List.of(RAW_WRITER_GROUP, AGGREGATOR_GROUP, PER_EVENT_GROUP));
    try (Connection connection = connect()) {
      DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
      ClickBacklog.emptyClickTables(db);
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
      int added =
          ClickBacklog.insertLinks(db, CODE_PREFIX, "https://example.com/articles/", links, user);
      log(
          "database: clicks, url_stats_hourly, aggregated_events and consumer_offsets emptied; %d links %s00001..%s%05d (%d new)",
          links, CODE_PREFIX, CODE_PREFIX, links, added);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // produce

  private void produce() throws Exception {
    long events = args.getLong("events", 1_000_000);
    int links = args.getInt("links", 5000);
    int hours = args.getInt("hours", 6);
    List<SyntheticClicks.Link> clicked;
    try (Connection connection = connect()) {
      clicked = ClickBacklog.links(DSL.using(connection, SQLDialect.POSTGRES), CODE_PREFIX, links);
    }
    Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    ClickBacklog.produce(
        clicked, args.getLong("seed", 42), to.minus(Duration.ofHours(hours)), to, events);
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
    String name = args.get("group");
    long pid = args.getLong("pid", 0);
    if (!name.equals("raw-writer") && !name.equals("aggregator")) {
      fail("--group must be raw-writer or aggregator");
    }
    boolean aggregator = name.equals("aggregator");
    try (Admin admin = admin();
        Connection connection = connect()) {
      DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
      String topicKey = ClickTopics.key(env("TINYSCALE_KAFKA_BOOTSTRAP"), TOPIC);
      long total = ClickBacklog.endOffsets(admin, TOPIC);
      ClickBacklog.Timed timed =
          ClickBacklog.watch(
              name,
              aggregator
                  ? () -> storedPositions(db, topicKey)
                  : () -> ClickBacklog.committedOffsets(admin, RAW_WRITER_GROUP),
              total,
              pid,
              watched(pid),
              args.getInt("stall-seconds", 120),
              args.has("started-file") ? Path.of(args.get("started-file")) : null);
      verify(
          db,
          admin,
          name,
          total,
          args.getLong("rows-before", 0),
          args.getLong("counted-before", 0));
      timed.print();
    }
  }

  /**
   * Fails unless the group's table holds exactly the topic's events (on top of the {@code before}
   * rows it held before the worker started: clicks, or aggregated_events; and on top of {@code
   * countedBefore} in the sum of url_stats_hourly.count), and nothing was dead-lettered.
   */
  private static void verify(
      DSLContext db, Admin admin, String name, long total, long before, long countedBefore)
      throws Exception {
    ClickBacklog.requireNoDeadLetters(admin);
    if (name.equals("raw-writer")) {
      long rows = db.fetchCount(CLICKS) - before;
      int bots = db.fetchCount(CLICKS, CLICKS.IS_BOT.isTrue());
      int countries = db.fetchCount(CLICKS, CLICKS.COUNTRY.isNotNull());
      if (rows != total) {
        fail("clicks holds " + rows + " new rows (" + before + " before), expected " + total);
      }
      log(
          "check: clicks holds %,d new rows = events on the topic (%,d before; %.1f %% bots, %.1f %% with a country, of all rows)",
          rows, before, 100.0 * bots / (rows + before), 100.0 * countries / (rows + before));
    } else {
      long counted =
          db.select(DSL.sum(URL_STATS_HOURLY.COUNT)).from(URL_STATS_HOURLY).fetchOne(0, Long.class)
              - countedBefore;
      int buckets = db.fetchCount(URL_STATS_HOURLY);
      long ids = db.fetchCount(AGGREGATED_EVENTS) - before;
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

  // ---------------------------------------------------------------------------------------------
  // reset-groups

  /**
   * The raw writer's position is its group's offsets in Kafka, the aggregator's its rows in
   * consumer_offsets (and its group's offsets in Kafka, if any): both forgotten, so that a worker
   * started next reads the whole topic again.
   */
  private void resetGroups() throws Exception {
    try (Admin admin = admin();
        Connection connection = connect()) {
      ClickBacklog.deleteGroups(
          admin, List.of(RAW_WRITER_GROUP, AGGREGATOR_GROUP, PER_EVENT_GROUP));
      int rows = DSL.using(connection, SQLDialect.POSTGRES).deleteFrom(CONSUMER_OFFSETS).execute();
      log(
          "groups: %s, %s and %s deleted on the broker; %d rows of consumer_offsets deleted",
          RAW_WRITER_GROUP, AGGREGATOR_GROUP, PER_EVENT_GROUP, rows);
    }
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
    long maxEvents = args.getLong("max-events", 50_000);
    int maxSeconds = args.getInt("max-seconds", 60);
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
        total = ClickBacklog.endOffsets(admin, TOPIC);
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
            log(
                "per-event: %,d events (%s)",
                done, ClickBacklog.progress(reported, m, done - reportedDone));
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
      ClickBacklog.Timed timed = new ClickBacklog.Timed("per-event", 0, done, first, last);
      int rows = db.fetchCount(CLICKS);
      if (rows != done) {
        fail("per-event: clicks holds " + rows + " rows after " + done + " events");
      }
      log(
          "per-event: stopped after %,d events in %.2f s (%s); clicks holds %,d rows = events processed",
          done, timed.seconds(), done >= limit ? "event limit" : "time limit", rows);
      timed.print();
    }
  }

  /** With --jfr FILE, a JFR recording (settings "profile") of the timed stretch only. */
  private Recording startRecording() throws Exception {
    if (!args.has("jfr")) {
      return null;
    }
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.setDestination(Path.of(args.get("jfr")));
    recording.start();
    return recording;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The consumer's process, the broker's (--broker-pid, when devstack started it) and the
   * database's backends.
   */
  private Machine.Watched watched(long consumerPid) {
    return new Machine.Watched(consumerPid, args.getLong("broker-pid", 0), Bench.database(), 0);
  }
}
