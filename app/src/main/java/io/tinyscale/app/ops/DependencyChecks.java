package io.tinyscale.app.ops;

import io.tinyscale.app.click.KafkaClickSink;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jooq.DSLContext;

/**
 * Readiness checks of the dependencies. Each reports its state, and none takes the replica out of
 * rotation: without Postgres, Redis or Kafka a replica still answers what it can (cached
 * redirects, clicks into the spool), which beats answering nothing. A dependency that is down
 * shows as {@code "degraded": true} with its error.
 */
final class DependencyChecks {
  private DependencyChecks() {}

  @Readiness
  @ApplicationScoped
  static class PostgresCheck implements HealthCheck {
    private final DSLContext dsl;

    PostgresCheck(DSLContext dsl) {
      this.dsl = dsl;
    }

    @Override
    public HealthCheckResponse call() {
      try {
        dsl.selectOne().fetch();
        return HealthCheckResponse.up("postgres");
      } catch (RuntimeException e) {
        // Links in the caches keep redirecting without Postgres, while the API and unknown codes
        // answer 503 with Retry-After. An outage of the one shared database would take every
        // replica out of rotation at once and turn that degradation into a total outage.
        return HealthCheckResponse.named("postgres")
            .up()
            .withData("degraded", true)
            .withData("error", String.valueOf(e.getMessage()))
            .build();
      }
    }
  }

  @Readiness
  @ApplicationScoped
  static class RedisCheck implements HealthCheck {
    private final Redis redis;

    RedisCheck(Redis redis) {
      this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
      try {
        redis.sync().ping();
        return HealthCheckResponse.up("redis");
      } catch (RuntimeException e) {
        // Redirects and API-key calls keep working without Redis (L1 + Postgres, local rate
        // limits), so pulling the replica out of rotation would turn a degradation into an outage.
        return HealthCheckResponse.named("redis")
            .up()
            .withData("degraded", true)
            .withData("error", String.valueOf(e.getMessage()))
            .build();
      }
    }
  }

  @Readiness
  @ApplicationScoped
  static class KafkaCheck implements HealthCheck {
    private final KafkaClickSink clicks;

    KafkaCheck(KafkaClickSink clicks) {
      this.clicks = clicks;
    }

    @Override
    public HealthCheckResponse call() {
      // A broker outage only delays analytics: clicks wait in the spool, redirects go on.
      return HealthCheckResponse.named("kafka")
          .up()
          .withData("degraded", clicks.isDegraded())
          .withData("spoolBytes", clicks.spoolBytes())
          .build();
    }
  }
}
