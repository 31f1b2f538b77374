package io.tinyscale.app.platform;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown, its first step: on SIGTERM Quarkus announces the shutdown, this replica's
 * readiness goes DOWN at once, and it goes on serving for {@code TINYSCALE_DRAIN_DELAY} ({@code
 * quarkus.shutdown.delay}, PT5S) so that a load balancer that polls readiness stops sending to it
 * before it stops listening. Then the HTTP server finishes the requests in flight (answering new
 * ones 503, which nginx retries on another replica) within {@code quarkus.shutdown.timeout}, and
 * the rest closes: the click journal forced to disk, the consumers' offsets committed and their
 * groups left. Live streams are told at the start ({@code event: shutdown}) and new ones refused
 * with 503 {@code shutting-down} while draining, so that clients reconnect elsewhere.
 */
@ApplicationScoped
public class Draining {
  private static final Logger LOG = Logger.getLogger(Draining.class);
  private volatile boolean draining;

  void drain(@Observes ShutdownDelayInitiatedEvent event) {
    draining = true;
    LOG.info("Shutting down: readiness is DOWN; serving on for the drain delay");
  }

  /** Whether the replica is on its way down. */
  public boolean draining() {
    return draining;
  }

  /** The readiness check (a qualified bean of its own: {@code @Readiness} is a qualifier). */
  @Readiness
  @ApplicationScoped
  static class Check implements DependencyCheck {
    private final Draining draining;

    Check(Draining draining) {
      this.draining = draining;
    }

    @Override
    public HealthCheckResponse detailed() {
      return HealthCheckResponse.named("draining").status(!draining.draining()).build();
    }
  }
}
