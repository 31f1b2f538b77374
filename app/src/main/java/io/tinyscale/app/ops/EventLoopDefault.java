package io.tinyscale.app.ops;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One Vert.x event loop per CPU the process may use, as nginx runs one worker per core, instead
 * of Quarkus' default of two per CPU. Nothing blocks an event loop here (database work runs on
 * worker threads), so a second loop per CPU only adds context switches: on one core, one loop
 * answered redirects with 10 % less CPU and steadier latency than two
 * ({@code ./tinyscale bench ab-redirect}, docs/benchmarks.md).
 *
 * <p>A default only: its ordinal is below application.properties and the environment, so
 * {@code QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE} still sets the number.
 */
public class EventLoopDefault implements ConfigSource {
  static final String PROPERTY = "quarkus.vertx.event-loops-pool-size";

  @Override
  public Set<String> getPropertyNames() {
    return Set.of(PROPERTY);
  }

  @Override
  public Map<String, String> getProperties() {
    return Map.of(PROPERTY, getValue(PROPERTY));
  }

  @Override
  public String getValue(String name) {
    return PROPERTY.equals(name) ? String.valueOf(Runtime.getRuntime().availableProcessors()) : null;
  }

  @Override
  public String getName() {
    return "tinyscale-event-loop-default";
  }

  @Override
  public int getOrdinal() {
    return 50;
  }
}
