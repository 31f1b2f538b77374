package io.tinyscale.app.platform;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;

/**
 * The app's configuration outside a running app (./tinyscale admin): application.properties and the
 * given environment, with {@link Settings}' defaults, read as Quarkus reads them, so a tool run
 * beside the server finds the same database and Redis without a copy of their defaults. The
 * packaged app's {@code quarkus/generated-bytecode.jar} must be on the class path (it holds the
 * generated implementation of {@link Settings}).
 */
public final class StandaloneConfig {
  private static final int PROPERTIES_ORDINAL = 250;
  private static final int ENVIRONMENT_ORDINAL = 300;
  private static final int OVERRIDES_ORDINAL = 500;

  private StandaloneConfig() {}

  public static SmallRyeConfig of(Map<String, String> env) {
    return of(env, Map.of());
  }

  /** With {@code overrides} (property names, e.g. tinyscale.batch-size) above everything else. */
  public static SmallRyeConfig of(Map<String, String> env, Map<String, String> overrides) {
    URL properties = StandaloneConfig.class.getClassLoader().getResource("application.properties");
    if (properties == null) {
      throw new IllegalStateException("application.properties is not on the class path");
    }
    try {
      return new SmallRyeConfigBuilder()
          .addDefaultInterceptors()
          .withSources(new PropertiesConfigSource(properties, PROPERTIES_ORDINAL))
          .withSources(new EnvConfigSource(env, ENVIRONMENT_ORDINAL))
          .withSources(new MigrationConnection(env))
          .withSources(new PropertiesConfigSource(overrides, "overrides", OVERRIDES_ORDINAL))
          .withMapping(Settings.class)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
