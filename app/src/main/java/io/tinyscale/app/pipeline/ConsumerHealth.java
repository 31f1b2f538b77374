package io.tinyscale.app.pipeline;

import io.tinyscale.app.platform.DependencyCheck;
import io.tinyscale.app.platform.Role;
import io.tinyscale.app.platform.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the click consumers: a consumer that has failed, or made no progress (its sink, the
 * broker or the dead-letter topic away), for longer than TINYSCALE_CONSUMER_DOWN_GRACE. A worker is
 * then DOWN, so its orchestrator restarts or replaces it; in role {@code all} the check reports it
 * degraded instead, since taking the process out of rotation would also stop its redirects.
 */
@Readiness
@ApplicationScoped
class ConsumerHealth implements DependencyCheck {
  private final Pipeline pipeline;
  private final Duration grace;
  private final boolean workerOnly;

  ConsumerHealth(Pipeline pipeline, Settings settings) {
    this.pipeline = pipeline;
    this.grace = settings.pipeline().consumerDownGrace();
    this.workerOnly = settings.role() == Role.WORKER;
  }

  @Override
  public HealthCheckResponse detailed() {
    HealthCheckResponseBuilder check = HealthCheckResponse.named("consumers").up();
    List<ConsumerSupervisor> consumers = pipeline.consumers();
    long now = System.nanoTime();
    int down = 0;
    for (ConsumerSupervisor c : consumers) {
      long since = c.failingSince();
      if (since != 0 && now - since > grace.toNanos()) {
        down++;
        check.withData(
            c.name(), c.failure() + " for " + Duration.ofNanos(now - since).toSeconds() + " s");
      }
    }
    check.withData("running", consumers.size()).withData("down", down);
    if (down > 0) {
      if (workerOnly) {
        check.down();
      } else {
        check.withData("degraded", true);
      }
    }
    return check.build();
  }
}
