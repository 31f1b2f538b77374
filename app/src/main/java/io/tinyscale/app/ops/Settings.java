package io.tinyscale.app.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every TinyScale setting, mapped from the TINYSCALE_* variables in application.properties. */
@ConfigMapping(prefix = "tinyscale")
public interface Settings {
  String role();

  String baseUrl();

  int apiRateLimit();

  int authRateLimit();

  Optional<List<String>> trustedProxies();

  Optional<List<String>> blockedHosts();

  String redisUrl();

  Duration sessionTtl();

  Cache cache();

  interface Cache {
    @WithDefault("250000")
    long l1MaxEntries();

    Duration l1Ttl();

    Duration l2Ttl();

    Duration negativeTtl();
  }
}
