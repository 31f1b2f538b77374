package io.tinyscale.app.link;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinyscale.app.platform.InvalidationBus;
import io.tinyscale.app.platform.Redis;
import io.tinyscale.app.platform.Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The redirect's three tiers: Caffeine (L1, this replica) → Redis (L2, shared) → Postgres.
 *
 * <p>Unknown codes are remembered in L1 for a short time, so a scan of random codes costs one
 * database query per code and replica, not one per request. A change of a link goes to Postgres
 * first, then drops the Redis entry and tells every replica to drop its L1 entry.
 */
@Singleton
public class LinkCache {
  static final String TOPIC = "link";
  private static final String REDIS_PREFIX = "link:";

  private final MemoryTier memory;
  private final Map<String, CompletableFuture<Optional<CachedLink>>> loading =
      new ConcurrentHashMap<>();
  private final Redis redis;
  private final Function<String, Optional<CachedLink>> findLive;
  private final InvalidationBus invalidations;
  private final long l2TtlSeconds;
  // off only to measure what each tier saves (bench/cache.sh): every lookup then skips it
  private final boolean l1Enabled;
  private final boolean l2Enabled;
  private final LongAdder l2Hit;
  private final LongAdder l2Miss;
  private final LongAdder l2Error;
  private final LongAdder dbHit;
  private final LongAdder dbMiss;

  @Inject
  LinkCache(
      Settings settings,
      Redis redis,
      LinkRepository links,
      InvalidationBus invalidations,
      MeterRegistry meters) {
    this(
        settings,
        redis,
        code -> links.findLive(code).map(Link::cached),
        invalidations,
        meters,
        Ticker.systemTicker());
  }

  /** For tests: the database lookup and L1's clock given. */
  LinkCache(
      Settings settings,
      Redis redis,
      Function<String, Optional<CachedLink>> findLive,
      InvalidationBus invalidations,
      MeterRegistry meters,
      Ticker ticker) {
    this.redis = redis;
    this.findLive = findLive;
    this.invalidations = invalidations;
    Settings.Cache cfg = settings.cache();
    memory = new MemoryTier(cfg.l1MaxEntries(), cfg.l1Ttl(), cfg.negativeTtl(), ticker);
    l2TtlSeconds = cfg.l2Ttl().toSeconds();
    l1Enabled = cfg.l1Enabled();
    l2Enabled = cfg.l2Enabled();
    register(meters, "l1", "hit", memory.hits());
    register(meters, "l1", "miss", memory.misses());
    register(meters, "l1", "negative", memory.negatives());
    l2Hit = counter(meters, "l2", "hit");
    l2Miss = counter(meters, "l2", "miss");
    l2Error = counter(meters, "l2", "error");
    dbHit = counter(meters, "db", "hit");
    dbMiss = counter(meters, "db", "miss");
    invalidations.listen(TOPIC, this::dropLocal);
    invalidations.onEveryMissedMessage(memory::dropAll);
  }

  /**
   * One tier's result count: a LongAdder read when metrics are scraped, since the L1 hit is counted
   * on every redirect and a Micrometer counter goes through Quarkus' composite registry.
   */
  private static LongAdder counter(MeterRegistry meters, String tier, String result) {
    return register(meters, tier, result, new LongAdder());
  }

  private static LongAdder register(
      MeterRegistry meters, String tier, String result, LongAdder count) {
    FunctionCounter.builder("tinyscale_cache_requests", count, LongAdder::sum)
        .description("Link lookups by cache tier and result")
        .tag("tier", tier)
        .tag("result", result)
        .register(meters);
    return count;
  }

  /** L1 only; never leaves the calling thread. */
  public LinkLookup fromMemory(String code) {
    return l1Enabled ? memory.lookup(code) : LinkLookup.UNKNOWN;
  }

  /**
   * L2 then Postgres, off the event loop; completes on the caller's Vert.x context. Concurrent
   * misses of one code share a single load, so a burst on a link that just left L1 (or a scan
   * repeating one code) costs one Redis and at most one database query.
   */
  public Future<Optional<CachedLink>> load(String code, Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Optional<CachedLink>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<CachedLink>> shared = loading.putIfAbsent(code, mine);
    if (shared == null) {
      shared = mine;
      fromRedis(code)
          .thenCompose(
              hit ->
                  hit.isPresent()
                      ? CompletableFuture.completedFuture(hit)
                      : vertx.executeBlocking(() -> fromDatabase(code), false).toCompletionStage())
          .whenComplete(
              (found, error) -> {
                if (error != null) {
                  loading.remove(code, mine);
                  mine.completeExceptionally(error);
                  return;
                }
                // cached before the load is forgotten, so a request in between finds one or the
                // other
                if (l1Enabled) {
                  found.ifPresentOrElse(
                      link -> memory.putLive(code, link), () -> memory.putUnknown(code));
                }
                loading.remove(code, mine);
                mine.complete(found);
              });
    }
    return Future.fromCompletionStage(shared, context);
  }

  private CompletionStage<Optional<CachedLink>> fromRedis(String code) {
    if (!l2Enabled) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    try {
      return redis
          .async()
          .get(REDIS_PREFIX + code)
          .handle(
              (value, error) -> {
                if (error != null) {
                  l2Error.increment();
                  return Optional.<CachedLink>empty();
                }
                Optional<CachedLink> hit = CachedLink.decode(value);
                (hit.isPresent() ? l2Hit : l2Miss).increment();
                return hit;
              });
    } catch (Redis.RedisUnavailableException e) {
      l2Error.increment();
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }

  private Optional<CachedLink> fromDatabase(String code) {
    Optional<CachedLink> found = findLive.apply(code);
    (found.isPresent() ? dbHit : dbMiss).increment();
    if (!l2Enabled) {
      return found;
    }
    found.ifPresent(
        link -> {
          try {
            redis.async().setex(REDIS_PREFIX + code, l2TtlSeconds, link.encode());
          } catch (Redis.RedisUnavailableException e) {
            l2Error.increment();
          }
        });
    return found;
  }

  /** After a committed change: drop Redis' copy, then every replica's L1 copy. */
  void invalidate(String code) {
    try {
      redis.sync().del(REDIS_PREFIX + code);
    } catch (RuntimeException e) {
      // Redis down: its copy cannot be read either, and it expires by itself.
      l2Error.increment();
    }
    invalidations.publish(TOPIC, code);
  }

  private void dropLocal(String code) {
    memory.drop(code);
  }
}
