package io.tinyscale.app.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinyscale.app.platform.Redis;
import io.tinyscale.app.platform.Settings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Token buckets, one limit per {@link Scope}. The API and sign-in limits are shared by every
 * replica through Redis (Bucket4j's compare-and-swap on Lettuce, so concurrent replicas never
 * over-grant); when Redis is unreachable each replica falls back to local buckets with the same
 * limits, says so once in the log and counts it in tinyscale_ratelimit_fallback_total. The two
 * limits that protect the dependencies themselves (per client IP in front of authentication, and on
 * redirect cache misses) are local to each replica: they must cost no Redis call.
 */
@Singleton
public class RateLimiter {
  private static final Logger LOG = Logger.getLogger(RateLimiter.class);

  /** The limits TinyScale enforces, and whether a limit is shared by every replica. */
  public enum Scope {
    /** Requests per minute per API key or session (TINYSCALE_API_RATE_LIMIT). */
    API("api", true),
    /** Sign-up and login per client network (TINYSCALE_AUTH_RATE_LIMIT). */
    AUTH("auth", true),
    /** Every /api request per client network, before authentication (TINYSCALE_IP_RATE_LIMIT). */
    IP("ip", false),
    /** Redirect cache misses per client network (TINYSCALE_MISS_RATE_LIMIT). */
    MISS("miss", false);

    final String tag;
    final boolean shared;

    Scope(String tag, boolean shared) {
      this.tag = tag;
      this.shared = shared;
    }
  }

  /** The outcome of one request's check, with what the RateLimit-* headers need. */
  public record Decision(
      boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

  private final Redis redis;
  private final Map<Scope, BucketConfiguration> limits = new EnumMap<>(Scope.class);
  private final Map<Scope, Counter> rejected = new EnumMap<>(Scope.class);
  private final Cache<String, Bucket> local =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(5)).build();
  private final Counter fallback;
  private final TimeMeter localTime;
  private volatile ProxyManager<String> shared;
  private volatile boolean degraded;

  @Inject
  RateLimiter(Settings settings, Redis redis, MeterRegistry meters) {
    this(settings, redis, meters, TimeMeter.SYSTEM_MILLISECONDS);
  }

  /** {@code localTime}: the local buckets' clock (a fake one in tests). */
  RateLimiter(Settings settings, Redis redis, MeterRegistry meters, TimeMeter localTime) {
    this.redis = redis;
    this.localTime = localTime;
    limits.put(Scope.API, perMinute(settings.apiRateLimit()));
    limits.put(Scope.AUTH, perMinute(settings.authRateLimit()));
    limits.put(Scope.IP, perMinute(settings.ipRateLimit()));
    limits.put(Scope.MISS, perMinute(settings.missRateLimit()));
    for (Scope scope : Scope.values()) {
      rejected.put(
          scope,
          Counter.builder("tinyscale_ratelimit_rejected")
              .description("Requests answered 429")
              .tag("scope", scope.tag)
              .register(meters));
    }
    fallback =
        Counter.builder("tinyscale_ratelimit_fallback")
            .description(
                "Rate-limit checks answered by the local fallback because Redis was unreachable")
            .register(meters);
  }

  private static BucketConfiguration perMinute(int limit) {
    return BucketConfiguration.builder()
        .addLimit(l -> l.capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)))
        .build();
  }

  /** Takes one token for {@code key} in {@code scope}. */
  public Decision check(Scope scope, String key) {
    BucketConfiguration config = limits.get(scope);
    String bucketKey = "ratelimit:" + scope.tag + ":" + key;
    ConsumptionProbe probe =
        scope.shared ? sharedProbe(bucketKey, config) : localProbe(bucketKey, config);
    long limit = config.getBandwidths()[0].getCapacity();
    if (!probe.isConsumed()) {
      rejected.get(scope).increment();
    }
    return new Decision(
        probe.isConsumed(),
        limit,
        probe.getRemainingTokens(),
        seconds(probe.getNanosToWaitForReset()),
        probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
  }

  private ConsumptionProbe sharedProbe(String bucketKey, BucketConfiguration config) {
    try {
      ConsumptionProbe probe =
          shared().builder().build(bucketKey, () -> config).tryConsumeAndReturnRemaining(1);
      if (degraded) {
        degraded = false;
        LOG.info("Redis is back: rate limits are shared across replicas again");
      }
      return probe;
    } catch (RuntimeException e) {
      if (!degraded) {
        degraded = true;
        LOG.warnf(
            "Redis unreachable (%s): rate limits fall back to per-replica buckets", e.getMessage());
      }
      fallback.increment();
      return localProbe(bucketKey, config);
    }
  }

  private ConsumptionProbe localProbe(String bucketKey, BucketConfiguration config) {
    return local
        .get(
            bucketKey,
            k ->
                Bucket.builder()
                    .addLimit(config.getBandwidths()[0])
                    .withCustomTimePrecision(localTime)
                    .build())
        .tryConsumeAndReturnRemaining(1);
  }

  private ProxyManager<String> shared() {
    ProxyManager<String> p = shared;
    if (p == null) {
      synchronized (this) {
        if (shared == null) {
          shared =
              Bucket4jLettuce.casBasedBuilder(redis.bytes())
                  .expirationAfterWrite(
                      ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                          Duration.ofSeconds(10)))
                  .build();
        }
        p = shared;
      }
    }
    return p;
  }

  private static long seconds(long nanos) {
    return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
  }
}
