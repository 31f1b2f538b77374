package io.tinyscale.app.platform;

import java.util.Map;

/**
 * The platform's real objects for unit tests, without Quarkus: settings as application.properties
 * maps them, and Redis as it is while unreachable.
 */
public final class TestPlatform {
  private TestPlatform() {}

  /** The settings the app would run with, with {@code overrides} (tinyscale.* keys) on top. */
  public static Settings settings(Map<String, String> overrides) {
    return StandaloneConfig.of(Map.of(), overrides).getConfigMapping(Settings.class);
  }

  /**
   * A Redis that never connected (never started): every command throws {@link
   * Redis.RedisUnavailableException}, as while the server is down. {@link #close} it.
   */
  public static Redis unreachableRedis(Settings settings) {
    return new Redis(settings);
  }

  public static void close(Redis redis) {
    redis.onStop(null);
  }

  public static InvalidationBus invalidationBus(Redis redis) {
    return new InvalidationBus(redis);
  }
}
