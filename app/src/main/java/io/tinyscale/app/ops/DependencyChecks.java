package io.tinyscale.app.ops;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import io.tinyscale.app.click.KafkaClickSink;
import org.jooq.DSLContext;

/** Readiness checks of the dependencies: Postgres is required; Redis and Kafka only degrade service. */
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
        return HealthCheckResponse.named("postgres").down().withData("error", e.getMessage()).build();
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
