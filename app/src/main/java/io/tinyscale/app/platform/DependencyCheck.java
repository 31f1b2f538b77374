package io.tinyscale.app.platform;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A readiness check whose details (error messages, host names, figures) only admins see, at {@code
 * GET /api/admin/health}: anonymous callers of {@code /health} learn each dependency's state (UP or
 * DOWN, and whether it is degraded), nothing an attacker could map the system by.
 */
public interface DependencyCheck extends HealthCheck {
  /** The state with every detail. */
  HealthCheckResponse detailed();

  @Override
  default HealthCheckResponse call() {
    HealthCheckResponse full = detailed();
    boolean degraded =
        full.getData().map(d -> Boolean.TRUE.equals(d.get("degraded"))).orElse(false);
    return HealthCheckResponse.named(full.getName())
        .status(full.getStatus() == HealthCheckResponse.Status.UP)
        .withData("degraded", degraded)
        .build();
  }
}
