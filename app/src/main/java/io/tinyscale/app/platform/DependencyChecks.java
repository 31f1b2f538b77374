package io.tinyscale.app.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jooq.DSLContext;

/**
 * Readiness checks of the dependencies. Each reports its state, and none takes the replica out of
 * rotation: without Postgres, Redis or Kafka a replica still answers what it can (cached redirects,
 * clicks into the spool), which beats answering nothing. A dependency that is down shows as {@code
 * "degraded": true}; its error is in the details only admins see.
 */
final class DependencyChecks {
  private DependencyChecks() {}

  /** A dependency that is down: reported, while the replica stays ready. */
  private static HealthCheckResponse degraded(String name, String error) {
    return HealthCheckResponse.named(name)
        .up()
        .withData("degraded", true)
        .withData("error", error)
        .build();
  }

  @Readiness
  @ApplicationScoped
  static class PostgresCheck implements DependencyCheck {
    // A probe has a timeout of its own (a few seconds), while a statement a hung Postgres never
    // answers fails only after TINYSCALE_DB_SOCKET_TIMEOUT: the check waits this long, no longer.
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    private final DSLContext dsl;

    PostgresCheck(DSLContext dsl) {
      this.dsl = dsl;
    }

    // Links in the caches keep redirecting without Postgres, while the API and unknown codes answer
    // 503 with Retry-After. An outage of the one shared database would take every replica out of
    // rotation at once and turn that degradation into a total outage.
    @Override
    public HealthCheckResponse detailed() {
      try {
        CompletableFuture.runAsync(
                () -> dsl.selectOne().fetch(),
                task -> Thread.ofVirtual().name("postgres-check").start(task))
            .get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        return HealthCheckResponse.up("postgres");
      } catch (TimeoutException e) {
        return degraded("postgres", "no answer within " + ANSWER_WITHIN.toSeconds() + " s");
      } catch (ExecutionException e) {
        return degraded("postgres", String.valueOf(e.getCause().getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return degraded("postgres", "interrupted");
      }
    }
  }

  @Readiness
  @ApplicationScoped
  static class RedisCheck implements DependencyCheck {
    private final Redis redis;

    RedisCheck(Redis redis) {
      this.redis = redis;
    }

    @Override
    public HealthCheckResponse detailed() {
      try {
        redis.sync().ping();
        return HealthCheckResponse.up("redis");
      } catch (RuntimeException e) {
        // Redirects and API-key calls keep working without Redis (L1 + Postgres, local rate
        // limits), so pulling the replica out of rotation would turn a degradation into an outage.
        return degraded("redis", String.valueOf(e.getMessage()));
      }
    }
  }

  @Readiness
  @ApplicationScoped
  static class OpenSearchCheck implements DependencyCheck {
    private final OpenSearch openSearch;

    OpenSearchCheck(OpenSearch openSearch) {
      this.openSearch = openSearch;
    }

    @Override
    public HealthCheckResponse detailed() {
      try {
        var health = openSearch.call(c -> c.cluster().health());
        if (health.status() == org.opensearch.client.opensearch._types.HealthStatus.Red) {
          return degraded("opensearch", "cluster status red");
        }
        return HealthCheckResponse.named("opensearch")
            .up()
            .withData("status", health.status().jsonValue())
            .build();
      } catch (RuntimeException e) {
        // Redirects, links and counts never need OpenSearch; analytics fall back or answer 503.
        return degraded("opensearch", String.valueOf(e.getMessage()));
      }
    }
  }
}
