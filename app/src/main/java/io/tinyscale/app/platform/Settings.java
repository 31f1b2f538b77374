package io.tinyscale.app.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Optional;

/**
 * Every TinyScale setting with its default, the one place each default is written (README's
 * "Configuration" table documents them). Each property's path is its variable's name: {@code
 * tinyscale.batch-size} is set by TINYSCALE_BATCH_SIZE, so application.properties needs no line for
 * it (a line there would need a default of its own: an expression that expands to nothing does not
 * fall back to {@code @WithDefault}).
 */
@ConfigMapping(prefix = "tinyscale")
public interface Settings {
  @WithDefault("all")
  Role role();

  @WithDefault("http://localhost:8080")
  String baseUrl();

  /** Requests per minute per API key or session. */
  @WithDefault("600")
  int apiRateLimit();

  /** Sign-up and login requests per minute per client network. */
  @WithDefault("10")
  int authRateLimit();

  /** Requests per minute per client network to /api, counted before authentication. */
  @WithDefault("1200")
  int ipRateLimit();

  /** Redirect cache misses per minute per client network. */
  @WithDefault("600")
  int missRateLimit();

  /** Passwords hashed at the same time (sign-up, login); empty: the CPUs this process may use. */
  Optional<Integer> passwordHashConcurrency();

  /** API keys one account may hold. */
  @WithDefault("20")
  int maxKeys();

  Optional<List<String>> trustedProxies();

  Optional<List<String>> blockedHosts();

  @WithDefault("redis://127.0.0.1:6379")
  String redisUrl();

  @WithDefault("http://127.0.0.1:9200")
  String opensearchUrl();

  /** How long raw clicks stay searchable in OpenSearch (whole months are deleted). */
  @WithDefault("P13M")
  Period retention();

  @WithDefault("P7D")
  Duration sessionTtl();

  Cache cache();

  /**
   * What the redirect does with each click: {@code async} (the journal, then Kafka), {@code off}
   * (nothing), or {@code sync-db} (one insert into Postgres before the answer, bypassing Kafka: the
   * design most shorteners use, here only so that benchmarks can compare it).
   */
  @WithDefault("async")
  ClickCapture clickCapture();

  /** Keep client IPs whole instead of truncating them to /24 (IPv4) or /48 (IPv6) at the edge. */
  @WithDefault("false")
  boolean keepFullIp();

  Optional<List<String>> adminEmails();

  /**
   * For tests only: each redirect names its click's event id in a response header, so that a test
   * can compare the clicks it was answered for with the clicks counted.
   */
  @WithDefault("false")
  boolean exposeEventId();

  Kafka kafka();

  Spool spool();

  /** At the top level (tinyscale.home, tinyscale.journal-fsync, …), as the variables name them. */
  @WithParentName
  Journal journal();

  /** At the top level (tinyscale.batch-size, …), where the documented variables put them. */
  @WithParentName
  Pipeline pipeline();

  /** At the top level (tinyscale.sse-max-per-key, …), as the variables name them. */
  @WithParentName
  Live live();

  interface Kafka {
    @WithDefault("127.0.0.1:9092")
    String bootstrap();

    @WithDefault("6")
    int partitions();

    /** Of the topics TinyScale creates; empty: min(3, brokers). */
    Optional<Integer> replicationFactor();

    /** How long the producer keeps trying to deliver a click before the shipper sends it again. */
    @WithDefault("PT30S")
    Duration deliveryTimeout();
  }

  interface Spool {
    /** 1 GiB. */
    @WithDefault("1073741824")
    long maxBytes();
  }

  interface Journal {
    /** TINYSCALE_HOME: where a server keeps its local state. */
    @WithDefault(".tinyscale")
    String home();

    /** Names this process's click journal; empty: the host name. */
    Optional<String> instanceId();

    /** How often the click journal is forced to disk, or {@code always}: before each answer. */
    @WithDefault("PT0.05S")
    String journalFsync();

    /** 16 MiB: about 60,000 clicks. */
    @WithDefault("16777216")
    long journalSegmentBytes();
  }

  interface Pipeline {
    @WithDefault("1000")
    int batchSize();

    /**
     * Also how long a lone click waits before it is written: 2 s keeps a click visible in the
     * analytics API within 5 s (docs/benchmarks.md, "Analytics").
     */
    @WithDefault("PT2S")
    Duration batchWindow();

    @WithDefault("2")
    int consumersPerGroup();

    @WithDefault("3")
    int maxAttempts();

    /**
     * The consumer groups this worker runs: any of {@code raw-writer}, {@code aggregator} and
     * {@code indexer} (all three by default), so each can be scaled, or measured, on its own.
     */
    @WithName("pipeline-groups")
    @WithDefault("raw-writer,aggregator,indexer")
    List<String> groups();

    /** How long a consumer may be down or failing before a worker's readiness says so. */
    @WithDefault("PT1M")
    Duration consumerDownGrace();
  }

  interface Live {
    /** Live streams (/api/stream) one API key or session may hold open at once, per replica. */
    @WithDefault("10")
    int sseMaxPerKey();

    /**
     * Events a live stream's client may have waiting to be written to its socket; one more and it
     * is sent {@code overflow} and closed, so that a slow client never holds up the others.
     */
    @WithDefault("1000")
    int sseBuffer();

    /** How often a live stream sends a comment, so that proxies keep an idle connection open. */
    @WithDefault("PT15S")
    Duration sseHeartbeat();
  }

  interface Cache {
    /** Caffeine, in this process: off only to measure what it saves (bench/cache.sh). */
    @WithDefault("true")
    boolean l1Enabled();

    /** Redis, shared by the replicas: off only to measure what it saves (bench/cache.sh). */
    @WithDefault("true")
    boolean l2Enabled();

    /** The hot working set of links; 100k entries take a few tens of MB. */
    @WithDefault("250000")
    long l1MaxEntries();

    @WithDefault("PT10M")
    Duration l1Ttl();

    @WithDefault("PT1H")
    Duration l2Ttl();

    @WithDefault("PT30S")
    Duration negativeTtl();
  }
}
