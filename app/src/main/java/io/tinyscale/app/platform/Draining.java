package io.tinyscale.app.platform;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
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

  /**
   * While draining, an HTTP/1.1 response closes its connection. A proxy keeps connections to each
   * replica open between requests; one still open when the server closes is reset, and a request
   * the proxy had just sent on it fails (nginx retries it elsewhere only when it is a GET or HEAD).
   * Closed after each answer, they are gone before the server stops; new requests come on new
   * connections, refused once it has stopped listening, which a proxy retries for any method.
   */
  public void closeConnectionWhileDraining(RoutingContext ctx) {
    if (draining && ctx.request().version() != HttpVersion.HTTP_2) {
      HttpServerResponse response = ctx.response();
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      ctx.addEndHandler(done -> response.close());
    }
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
