package io.tinyscale.app.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every TinyScale setting, mapped from the TINYSCALE_* variables in application.properties. */
@ConfigMapping(prefix = "tinyscale")
public interface Settings {
  Role role();

  String baseUrl();

  int apiRateLimit();

  int authRateLimit();

  /** Requests per minute per client network to /api, counted before authentication. */
  int ipRateLimit();

  /** Redirect cache misses per minute per client network. */
  int missRateLimit();

  /** API keys one account may hold. */
  int maxKeys();

  Optional<List<String>> trustedProxies();

  Optional<List<String>> blockedHosts();

  String redisUrl();

  Duration sessionTtl();

  Cache cache();

  /** Keep client IPs whole instead of truncating them to /24 (IPv4) or /48 (IPv6) at the edge. */
  boolean keepFullIp();

  Optional<List<String>> adminEmails();

  Kafka kafka();

  Spool spool();

  Pipeline pipeline();

  interface Kafka {
    String bootstrap();

    int partitions();

    /** Of the topics TinyScale creates; empty: min(3, brokers). */
    Optional<Integer> replicationFactor();

    /** How long a click may wait for an unreachable broker before it goes to the spool. */
    Duration deliveryTimeout();
  }

  interface Spool {
    String dir();

    long maxBytes();
  }

  interface Pipeline {
    int batchSize();

    Duration batchWindow();

    int consumersPerGroup();

    int maxAttempts();

    /**
     * The consumer groups this worker runs: {@code raw-writer}, {@code aggregator} or both (the
     * default), so each can be scaled, or measured, on its own.
     */
    List<String> groups();

    /** How long a consumer may be down or failing before a worker's readiness says so. */
    Duration consumerDownGrace();
  }

  interface Cache {
    @WithDefault("250000")
    long l1MaxEntries();

    Duration l1Ttl();

    Duration l2Ttl();

    Duration negativeTtl();
  }
}
