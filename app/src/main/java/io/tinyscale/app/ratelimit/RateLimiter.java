package io.tinyscale.app.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinyscale.app.ops.Redis;
import io.tinyscale.app.ops.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Token buckets shared by every replica through Redis (Bucket4j's compare-and-swap on Lettuce, so
 * concurrent replicas never over-grant). When Redis is unreachable each replica falls back to
 * local buckets with the same limits, says so once in the log and counts it in
 * tinyscale_ratelimit_fallback_total.
 */
@ApplicationScoped
public class RateLimiter {
  private static final Logger LOG = Logger.getLogger(RateLimiter.class);

  /** The two limits TinyScale enforces. */
  public enum Scope {
    API("api"),
    AUTH("auth");

    final String tag;

    Scope(String tag) {
      this.tag = tag;
    }
  }

  /** The outcome of one request's check, with what the RateLimit-* headers need. */
  public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

  private final Redis redis;
  private final BucketConfiguration api;
  private final BucketConfiguration auth;
  private final Cache<String, Bucket> local =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(5)).build();
  private final Counter rejectedApi;
  private final Counter rejectedAuth;
  private final Counter fallback;
  private volatile ProxyManager<String> shared;
  private volatile boolean degraded;

  RateLimiter(Settings settings, Redis redis, MeterRegistry meters) {
    this.redis = redis;
    api = perMinute(settings.apiRateLimit());
    auth = perMinute(settings.authRateLimit());
    rejectedApi = rejected(meters, Scope.API);
    rejectedAuth = rejected(meters, Scope.AUTH);
    fallback = Counter.builder("tinyscale_ratelimit_fallback")
        .description("Rate-limit checks answered by the local fallback because Redis was unreachable")
        .register(meters);
  }

  private static Counter rejected(MeterRegistry meters, Scope scope) {
    return Counter.builder("tinyscale_ratelimit_rejected")
        .description("Requests answered 429")
        .tag("scope", scope.tag)
        .register(meters);
  }

  private static BucketConfiguration perMinute(int limit) {
    return BucketConfiguration.builder()
        .addLimit(l -> l.capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)))
        .build();
  }

  /** Takes one token for {@code key} in {@code scope}. */
  public Decision check(Scope scope, String key) {
    BucketConfiguration config = scope == Scope.API ? api : auth;
    String bucketKey = "ratelimit:" + scope.tag + ":" + key;
    ConsumptionProbe probe;
    try {
      probe = shared().builder().build(bucketKey, () -> config).tryConsumeAndReturnRemaining(1);
      if (degraded) {
        degraded = false;
        LOG.info("Redis is back: rate limits are shared across replicas again");
      }
    } catch (RuntimeException e) {
      if (!degraded) {
        degraded = true;
        LOG.warnf("Redis unreachable (%s): rate limits fall back to per-replica buckets", e.getMessage());
      }
      fallback.increment();
      probe = local.get(bucketKey, k -> Bucket.builder().addLimit(config.getBandwidths()[0]).build())
          .tryConsumeAndReturnRemaining(1);
    }
    long limit = config.getBandwidths()[0].getCapacity();
    if (!probe.isConsumed()) {
      (scope == Scope.API ? rejectedApi : rejectedAuth).increment();
    }
    return new Decision(
        probe.isConsumed(),
        limit,
        probe.getRemainingTokens(),
        seconds(probe.getNanosToWaitForReset()),
        probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
  }

  public boolean isDegraded() {
    return degraded;
  }

  private ProxyManager<String> shared() {
    ProxyManager<String> p = shared;
    if (p == null) {
      synchronized (this) {
        if (shared == null) {
          shared = Bucket4jLettuce.casBasedBuilder(redis.bytes())
              .expirationAfterWrite(
                  ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
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
