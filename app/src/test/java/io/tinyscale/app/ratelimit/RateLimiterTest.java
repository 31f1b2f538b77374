package io.tinyscale.app.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinyscale.app.platform.FakeTime;
import io.tinyscale.app.platform.Redis;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.app.platform.TestPlatform;
import io.tinyscale.app.ratelimit.RateLimiter.Decision;
import io.tinyscale.app.ratelimit.RateLimiter.Scope;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With Redis down, the shared limits fall back to per-replica buckets with the same limits. */
class RateLimiterTest {
  private static Settings settings;
  private static Redis redis;

  private final FakeTime time = new FakeTime();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private RateLimiter limiter;

  @BeforeAll
  static void redisDown() {
    settings =
        TestPlatform.settings(
            Map.of(
                "tinyscale.api-rate-limit", "3",
                "tinyscale.auth-rate-limit", "2",
                "tinyscale.ip-rate-limit", "5",
                "tinyscale.miss-rate-limit", "4"));
    redis = TestPlatform.unreachableRedis(settings);
  }

  @AfterAll
  static void close() {
    TestPlatform.close(redis);
  }

  @BeforeEach
  void limiter() {
    TimeMeter clock =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return time.millis() * 1_000_000;
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        };
    limiter = new RateLimiter(settings, redis, meters, clock);
  }

  @Test
  void aSharedLimitIsEnforcedLocallyWithTheSameNumbersWhileRedisIsDown() {
    for (long remaining = 2; remaining >= 0; remaining--) {
      Decision d = limiter.check(Scope.API, "key-1");
      assertThat(d.allowed()).isTrue();
      assertThat(d.limit()).isEqualTo(3);
      assertThat(d.remaining()).isEqualTo(remaining);
      assertThat(d.retryAfterSeconds()).isZero();
    }

    Decision refused = limiter.check(Scope.API, "key-1");

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    // 3 a minute: a token every 20 s, the bucket full again in 60 s
    assertThat(refused.retryAfterSeconds()).isEqualTo(20);
    assertThat(refused.resetSeconds()).isEqualTo(60);
    assertThat(counter("tinyscale_ratelimit_fallback"))
        .as("every check answered locally")
        .isEqualTo(4);
    assertThat(meters.get("tinyscale_ratelimit_rejected").tag("scope", "api").counter().count())
        .isEqualTo(1);
  }

  @Test
  void tokensComeBackAsTimePasses() {
    for (int i = 0; i < 2; i++) {
      limiter.check(Scope.AUTH, "198.51.100.0");
    }
    assertThat(limiter.check(Scope.AUTH, "198.51.100.0").allowed()).isFalse();

    time.advance(29_999); // 2 a minute: a token every 30 s
    assertThat(limiter.check(Scope.AUTH, "198.51.100.0").allowed()).isFalse();
    time.advance(1);
    assertThat(limiter.check(Scope.AUTH, "198.51.100.0").allowed()).isTrue();
    assertThat(limiter.check(Scope.AUTH, "198.51.100.0").allowed()).isFalse();
  }

  @Test
  void eachKeyAndScopeHasItsOwnBucket() {
    for (int i = 0; i < 3; i++) {
      limiter.check(Scope.API, "key-1");
    }
    assertThat(limiter.check(Scope.API, "key-1").allowed()).isFalse();

    assertThat(limiter.check(Scope.API, "key-2").allowed()).isTrue();
    assertThat(limiter.check(Scope.AUTH, "key-1").allowed()).isTrue();
    assertThat(limiter.check(Scope.IP, "key-1").allowed()).isTrue();
  }

  @Test
  void theLocalOnlyLimitsAreNotAFallback() {
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.check(Scope.IP, "203.0.113.0").allowed()).isTrue();
    }
    assertThat(limiter.check(Scope.IP, "203.0.113.0").allowed()).isFalse();
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.check(Scope.MISS, "203.0.113.0").allowed()).isTrue();
    }
    assertThat(limiter.check(Scope.MISS, "203.0.113.0").allowed()).isFalse();

    assertThat(counter("tinyscale_ratelimit_fallback")).isZero();
  }

  private double counter(String name) {
    return meters.get(name).counter().count();
  }
}
