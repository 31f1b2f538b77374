package io.tinyscale.app.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.time.Duration;
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

  /** API keys one account may hold. */
  @WithDefault("20")
  int maxKeys();

  Optional<List<String>> trustedProxies();

  Optional<List<String>> blockedHosts();

  @WithDefault("redis://127.0.0.1:6379")
  String redisUrl();

  @WithDefault("P7D")
  Duration sessionTtl();

  Cache cache();

  /** Keep client IPs whole instead of truncating them to /24 (IPv4) or /48 (IPv6) at the edge. */
  @WithDefault("false")
  boolean keepFullIp();

  Optional<List<String>> adminEmails();

  Kafka kafka();

  Spool spool();

  /** At the top level (tinyscale.batch-size, …), where the documented variables put them. */
  @WithParentName
  Pipeline pipeline();

  interface Kafka {
    @WithDefault("127.0.0.1:9092")
    String bootstrap();

    @WithDefault("6")
    int partitions();

    /** Of the topics TinyScale creates; empty: min(3, brokers). */
    Optional<Integer> replicationFactor();

    /** How long a click may wait for an unreachable broker before it goes to the spool. */
    @WithDefault("PT30S")
    Duration deliveryTimeout();
  }

  interface Spool {
    @WithDefault("${TINYSCALE_HOME:.tinyscale}/spool")
    String dir();

    /** 1 GiB. */
    @WithDefault("1073741824")
    long maxBytes();
  }

  interface Pipeline {
    @WithDefault("1000")
    int batchSize();

    @WithDefault("PT5S")
    Duration batchWindow();

    @WithDefault("2")
    int consumersPerGroup();

    @WithDefault("3")
    int maxAttempts();

    /**
     * The consumer groups this worker runs: {@code raw-writer}, {@code aggregator} or both (the
     * default), so each can be scaled, or measured, on its own.
     */
    @WithName("pipeline-groups")
    @WithDefault("raw-writer,aggregator")
    List<String> groups();

    /** How long a consumer may be down or failing before a worker's readiness says so. */
    @WithDefault("PT1M")
    Duration consumerDownGrace();
  }

  interface Cache {
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
