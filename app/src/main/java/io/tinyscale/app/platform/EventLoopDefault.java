package io.tinyscale.app.platform;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One Vert.x event loop per CPU the process may use, also when that is one. Quarkus sizes its event
 * loops by the CPUs too, but never below two, so in a one-CPU container (and in the redirect
 * benchmark, which pins the server to one core) two loops shared the core. Nothing blocks an event
 * loop here (database work runs on worker threads), so the second loop only added context switches
 * (measured in docs/benchmarks-log.md).
 *
 * <p>A default only: its ordinal is below application.properties and the environment, so {@code
 * QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE} still sets the number.
 */
public class EventLoopDefault implements ConfigSource {
  public static final String NAME = "tinyscale-event-loop-default";
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
    return PROPERTY.equals(name)
        ? String.valueOf(Runtime.getRuntime().availableProcessors())
        : null;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public int getOrdinal() {
    return 50;
  }
}
