package io.tinyscale.app.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Each TINYSCALE_* variable of README's "Configuration" table reaches its setting, and with none
 * set each setting has the documented default; built as Quarkus builds it (application.properties,
 * environment, the mapping's defaults), without starting the app.
 */
class SettingsTest {
  private static final URL PROPERTIES =
      SettingsTest.class.getClassLoader().getResource("application.properties");

  private static SmallRyeConfig config(Map<String, String> env) {
    return StandaloneConfig.of(env);
  }

  private static Settings settings(Map<String, String> env) {
    return config(env).getConfigMapping(Settings.class);
  }

  @Test
  void withNoVariableEachSettingHasItsDocumentedDefault() {
    Settings s = settings(Map.of());
    assertThat(s.role()).isEqualTo(Role.ALL);
    assertThat(s.baseUrl()).isEqualTo("http://localhost:8080");
    assertThat(s.apiRateLimit()).isEqualTo(600);
    assertThat(s.authRateLimit()).isEqualTo(10);
    assertThat(s.ipRateLimit()).isEqualTo(1200);
    assertThat(s.missRateLimit()).isEqualTo(600);
    assertThat(s.maxKeys()).isEqualTo(20);
    assertThat(s.passwordHashConcurrency()).isEmpty();
    assertThat(s.trustedProxies()).isEmpty();
    assertThat(s.blockedHosts()).isEmpty();
    assertThat(s.adminEmails()).isEmpty();
    assertThat(s.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(s.opensearchUrl()).isEqualTo("http://127.0.0.1:9200");
    assertThat(s.retention()).isEqualTo(Period.ofMonths(13));
    assertThat(s.keepFullIp()).isFalse();
    assertThat(s.sessionTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(s.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(s.kafka().partitions()).isEqualTo(6);
    assertThat(s.kafka().replicationFactor()).isEmpty();
    assertThat(s.kafka().deliveryTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.spool().maxBytes()).isEqualTo(1L << 30);
    assertThat(s.journal().home()).isEqualTo(".tinyscale");
    assertThat(s.journal().instanceId()).isEmpty();
    assertThat(s.journal().journalFsync()).isEqualTo("PT0.05S");
    assertThat(s.exposeEventId()).isFalse();
    assertThat(s.pipeline().batchSize()).isEqualTo(1000);
    assertThat(s.pipeline().batchWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.pipeline().consumersPerGroup()).isEqualTo(2);
    assertThat(s.pipeline().maxAttempts()).isEqualTo(3);
    assertThat(s.pipeline().groups()).containsExactly("raw-writer", "aggregator", "indexer");
    assertThat(s.pipeline().consumerDownGrace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.cache().l1MaxEntries()).isEqualTo(250_000);
    assertThat(s.cache().l1Enabled()).isTrue();
    assertThat(s.cache().l2Enabled()).isTrue();
    assertThat(s.clickCapture()).isEqualTo(ClickCapture.ASYNC);
    assertThat(s.live().sseMaxPerKey()).isEqualTo(10);
    assertThat(s.live().sseBuffer()).isEqualTo(1000);
    assertThat(s.live().sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void eachDocumentedVariableSetsItsSetting() {
    Settings s =
        settings(
            Map.ofEntries(
                Map.entry("TINYSCALE_ROLE", "worker"),
                Map.entry("TINYSCALE_BASE_URL", "https://sho.rt"),
                Map.entry("TINYSCALE_API_RATE_LIMIT", "61"),
                Map.entry("TINYSCALE_AUTH_RATE_LIMIT", "62"),
                Map.entry("TINYSCALE_IP_RATE_LIMIT", "63"),
                Map.entry("TINYSCALE_MISS_RATE_LIMIT", "64"),
                Map.entry("TINYSCALE_MAX_KEYS", "65"),
                Map.entry("TINYSCALE_PASSWORD_HASH_CONCURRENCY", "2"),
                Map.entry("TINYSCALE_TRUSTED_PROXIES", "10.0.0.0/8,::1/128"),
                Map.entry("TINYSCALE_BLOCKED_HOSTS", "evil.example"),
                Map.entry("TINYSCALE_ADMIN_EMAILS", "a@example.com"),
                Map.entry("TINYSCALE_REDIS_URL", "redis://cache:6380"),
                Map.entry("TINYSCALE_OPENSEARCH_URL", "http://search:9200"),
                Map.entry("TINYSCALE_RETENTION", "P2Y"),
                Map.entry("TINYSCALE_KEEP_FULL_IP", "true"),
                Map.entry("TINYSCALE_SESSION_TTL", "PT1H"),
                Map.entry("TINYSCALE_KAFKA_BOOTSTRAP", "kafka:9092"),
                Map.entry("TINYSCALE_KAFKA_PARTITIONS", "12"),
                Map.entry("TINYSCALE_KAFKA_REPLICATION_FACTOR", "3"),
                Map.entry("TINYSCALE_SPOOL_MAX_BYTES", "4096"),
                Map.entry("TINYSCALE_BATCH_SIZE", "250"),
                Map.entry("TINYSCALE_BATCH_WINDOW", "PT0.5S"),
                Map.entry("TINYSCALE_CONSUMERS_PER_GROUP", "4"),
                Map.entry("TINYSCALE_PIPELINE_GROUPS", "aggregator"),
                Map.entry("TINYSCALE_CONSUMER_DOWN_GRACE", "PT2S"),
                Map.entry("TINYSCALE_HOME", "/var/lib/tinyscale"),
                Map.entry("TINYSCALE_INSTANCE_ID", "server-1"),
                Map.entry("TINYSCALE_JOURNAL_FSYNC", "always"),
                Map.entry("TINYSCALE_SSE_MAX_PER_KEY", "3"),
                Map.entry("TINYSCALE_SSE_BUFFER", "50"),
                Map.entry("TINYSCALE_SSE_HEARTBEAT", "PT5S"),
                Map.entry("TINYSCALE_CACHE_L1_ENABLED", "false"),
                Map.entry("TINYSCALE_CACHE_L2_ENABLED", "false"),
                Map.entry("TINYSCALE_CLICK_CAPTURE", "sync-db")));
    assertThat(s.role()).isEqualTo(Role.WORKER);
    assertThat(s.baseUrl()).isEqualTo("https://sho.rt");
    assertThat(s.apiRateLimit()).isEqualTo(61);
    assertThat(s.authRateLimit()).isEqualTo(62);
    assertThat(s.ipRateLimit()).isEqualTo(63);
    assertThat(s.missRateLimit()).isEqualTo(64);
    assertThat(s.maxKeys()).isEqualTo(65);
    assertThat(s.passwordHashConcurrency()).contains(2);
    assertThat(s.trustedProxies()).contains(List.of("10.0.0.0/8", "::1/128"));
    assertThat(s.blockedHosts()).contains(List.of("evil.example"));
    assertThat(s.adminEmails()).contains(List.of("a@example.com"));
    assertThat(s.redisUrl()).isEqualTo("redis://cache:6380");
    assertThat(s.opensearchUrl()).isEqualTo("http://search:9200");
    assertThat(s.retention()).isEqualTo(Period.ofYears(2));
    assertThat(s.keepFullIp()).isTrue();
    assertThat(s.sessionTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(s.kafka().bootstrap()).isEqualTo("kafka:9092");
    assertThat(s.kafka().partitions()).isEqualTo(12);
    assertThat(s.kafka().replicationFactor()).contains(3);
    assertThat(s.spool().maxBytes()).isEqualTo(4096);
    assertThat(s.journal().home()).isEqualTo("/var/lib/tinyscale");
    assertThat(s.journal().instanceId()).contains("server-1");
    assertThat(s.journal().journalFsync()).isEqualTo("always");
    assertThat(s.pipeline().batchSize()).isEqualTo(250);
    assertThat(s.pipeline().batchWindow()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.pipeline().consumersPerGroup()).isEqualTo(4);
    assertThat(s.pipeline().groups()).containsExactly("aggregator");
    assertThat(s.pipeline().consumerDownGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.live().sseMaxPerKey()).isEqualTo(3);
    assertThat(s.live().sseBuffer()).isEqualTo(50);
    assertThat(s.live().sseHeartbeat()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.cache().l1Enabled()).isFalse();
    assertThat(s.cache().l2Enabled()).isFalse();
    assertThat(s.clickCapture()).isEqualTo(ClickCapture.SYNC_DB);
    assertThat(settings(Map.of("TINYSCALE_CLICK_CAPTURE", "off")).clickCapture())
        .isEqualTo(ClickCapture.OFF);
  }

  @Test
  void anOverrideWinsOverTheEnvironment() {
    Settings s =
        StandaloneConfig.of(
                Map.of("TINYSCALE_BATCH_SIZE", "250"), Map.of("tinyscale.batch-size", "7"))
            .getConfigMapping(Settings.class);
    assertThat(s.pipeline().batchSize()).isEqualTo(7);
  }

  @Test
  void anEmptyOptionalVariableMeansUnset() {
    Settings s =
        settings(Map.of("TINYSCALE_TRUSTED_PROXIES", "", "TINYSCALE_KAFKA_REPLICATION_FACTOR", ""));
    assertThat(s.trustedProxies()).isEmpty();
    assertThat(s.kafka().replicationFactor()).isEmpty();
  }

  @Test
  void theQuarkusPropertiesFollowTheirVariables() {
    SmallRyeConfig defaults = config(Map.of());
    assertThat(defaults.getValue("quarkus.http.port", int.class)).isEqualTo(8080);
    // the CORS origin defaults to the base URL, whose default is Settings'
    assertThat(defaults.getValue("quarkus.http.cors.origins", String.class))
        .isEqualTo("http://localhost:8080");
    assertThat(defaults.getValue("quarkus.datasource.jdbc.url", String.class))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/tinyscale");

    SmallRyeConfig set =
        config(
            Map.of(
                "TINYSCALE_HTTP_PORT", "9090",
                "TINYSCALE_BASE_URL", "https://sho.rt",
                "TINYSCALE_DB_URL", "jdbc:postgresql://db/ts",
                "TINYSCALE_DB_USER", "ts",
                "TINYSCALE_DB_PASSWORD", "secret",
                "TINYSCALE_DB_SOCKET_TIMEOUT", "5"));
    assertThat(set.getValue("quarkus.http.port", int.class)).isEqualTo(9090);
    assertThat(set.getValue("quarkus.http.cors.origins", String.class)).isEqualTo("https://sho.rt");
    assertThat(set.getValue("quarkus.datasource.jdbc.url", String.class))
        .isEqualTo("jdbc:postgresql://db/ts");
    assertThat(set.getValue("quarkus.datasource.username", String.class)).isEqualTo("ts");
    assertThat(set.getValue("quarkus.datasource.password", String.class)).isEqualTo("secret");
    assertThat(
            set.getValue(
                "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout", int.class))
        .isEqualTo(5);
  }

  @Test
  void migrationsTakeTheDirectUrlOnlyWhenOneIsGiven() {
    SmallRyeConfig pooled =
        config(Map.of("TINYSCALE_DB_USER", "ts", "TINYSCALE_DB_PASSWORD", "secret"));
    assertThat(pooled.getOptionalValue("quarkus.flyway.jdbc-url", String.class))
        .as("Flyway uses the app's pool")
        .isEmpty();
    assertThat(pooled.getOptionalValue("quarkus.flyway.username", String.class)).isEmpty();
    assertThat(pooled.getOptionalValue("quarkus.flyway.password", String.class)).isEmpty();

    SmallRyeConfig direct =
        config(
            Map.of(
                "TINYSCALE_DB_URL", "jdbc:postgresql://pgbouncer:6432/ts?prepareThreshold=0",
                "TINYSCALE_DB_DIRECT_URL", "jdbc:postgresql://postgres:5432/ts",
                "TINYSCALE_DB_USER", "ts",
                "TINYSCALE_DB_PASSWORD", "secret"));
    assertThat(direct.getValue("quarkus.flyway.jdbc-url", String.class))
        .isEqualTo("jdbc:postgresql://postgres:5432/ts");
    assertThat(direct.getValue("quarkus.flyway.username", String.class)).isEqualTo("ts");
    assertThat(direct.getValue("quarkus.flyway.password", String.class)).isEqualTo("secret");
    assertThat(direct.getValue("quarkus.datasource.jdbc.url", String.class))
        .isEqualTo("jdbc:postgresql://pgbouncer:6432/ts?prepareThreshold=0");
  }

  @Test
  void applicationPropertiesHoldsNoTinyScaleDefault() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = PROPERTIES.openStream()) {
      properties.load(in);
    }
    assertThat(properties.stringPropertyNames())
        .as("tinyscale.* settings have their defaults in Settings' @WithDefault")
        .noneMatch(name -> name.startsWith("tinyscale."));
    assertThat(Optional.ofNullable(properties.getProperty("quarkus.http.port")))
        .contains("${TINYSCALE_HTTP_PORT:8080}");
  }
}
