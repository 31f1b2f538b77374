package io.tinyscale.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tinyscale.devstack.DevStack;
import io.tinyscale.devstack.Engines;
import io.tinyscale.devstack.Options;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Ports;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives @QuarkusTest tests real engines: the machine's Postgres and Redis when they run, embedded
 * ones otherwise (devstack decides, exactly as for ./tinyscale up).
 */
public class DevStackTestResource implements QuarkusTestResourceLifecycleManager {
  /**
   * An address listed in TINYSCALE_ADMIN_EMAILS that has no account when the app starts (fresh,
   * since the test database outlives runs): registering it later must not make an admin.
   */
  public static final String LISTED_ADMIN = "admin-" + java.util.UUID.randomUUID() + "@example.com";

  /** The engines, for tests that stop and start one of them. */
  public static Engines engines;

  @Override
  public Map<String, String> start() {
    Map<String, String> env = new HashMap<>(System.getenv());
    // embedded engines, when needed, on ports of their own (a running ./tinyscale up keeps the
    // defaults)
    env.putIfAbsent("TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT", Integer.toString(Ports.free()));
    env.putIfAbsent("TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT", Integer.toString(Ports.free()));
    env.putIfAbsent("TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT", Integer.toString(Ports.free()));
    env.putIfAbsent("TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT", Integer.toString(Ports.free()));
    engines = DevStack.start(Options.of(Path.of("target/devstack-test"), "tinyscale_test", env));
    return Map.ofEntries(
        Map.entry("tinyscale.home", "target/home-" + ProcessHandle.current().pid()),
        Map.entry("quarkus.datasource.jdbc.url", engines.dbUrl()),
        Map.entry("quarkus.datasource.username", engines.dbUser()),
        Map.entry(
            "quarkus.datasource.password",
            engines.dbPassword() == null ? "" : engines.dbPassword()),
        Map.entry("tinyscale.redis-url", engines.redisUrl()),
        Map.entry("tinyscale.opensearch-url", engines.opensearchUrl()),
        // tests speak as many clients through a trusted local proxy (X-Forwarded-For)
        Map.entry("tinyscale.trusted-proxies", "127.0.0.1/32,::1/128"),
        Map.entry("tinyscale.base-url", "http://short.test"),
        Map.entry(
            "tinyscale.kafka.bootstrap",
            engines.env().getOrDefault("TINYSCALE_KAFKA_BOOTSTRAP", "127.0.0.1:9092")),
        // short batches so the tests see the pipeline's results within a second or two
        Map.entry("tinyscale.batch-window", "PT0.3S"),
        Map.entry("tinyscale.batch-size", "200"),
        // a broker outage of a few seconds then makes the shipper send again from the journal
        Map.entry("tinyscale.kafka.delivery-timeout", "PT2S"),
        Map.entry("tinyscale.admin-emails", LISTED_ADMIN),
        // a consumer that fails is reported after a second, not a minute
        Map.entry("tinyscale.consumer-down-grace", "PT1S"),
        // the limits in front of authentication and on redirect misses are tested against the
        // packaged app (TinyscaleUpIT); here many tests share 127.0.0.1
        Map.entry("tinyscale.ip-rate-limit", "1000000"),
        Map.entry("tinyscale.miss-rate-limit", "1000000"),
        // a live stream's buffer small enough that a client which stops reading overflows
        // after a few hundred clicks, and heartbeats a test can wait for
        Map.entry("tinyscale.sse-buffer", "16"),
        Map.entry("tinyscale.sse-heartbeat", "PT1S"));
  }

  /** The variables ./tinyscale admin reads, pointing at this run's engines. */
  public static Map<String, String> adminToolEnv() {
    return Map.of(
        "TINYSCALE_DB_URL",
        engines.dbUrl(),
        "TINYSCALE_DB_USER",
        engines.dbUser(),
        "TINYSCALE_DB_PASSWORD",
        engines.dbPassword() == null ? "" : engines.dbPassword(),
        "TINYSCALE_REDIS_URL",
        engines.redisUrl());
  }

  /**
   * {@code ./tinyscale admin ARGS} against this run's engines; returns its exit status and output.
   */
  public static AdminRun admin(String... args) {
    var out = new java.io.StringWriter();
    int exit =
        io.tinyscale.app.account.AdminTool.run(
            adminToolEnv(),
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(out, true),
            args);
    return new AdminRun(exit, out.toString());
  }

  public record AdminRun(int exit, String output) {}

  /** A registered account the operator made admin. */
  public static Api.User newAdmin(Api api) {
    Api.User admin = api.register();
    AdminRun granted = admin("grant", admin.email());
    if (granted.exit() != 0) {
      throw new AssertionError(granted.output());
    }
    return admin;
  }

  @Override
  public void stop() {
    if (engines != null) {
      engines.close();
    }
  }
}
