package io.tinyscale.app.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinyscale.app.platform.Redis;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.app.platform.TestPlatform;
import io.tinyscale.core.RedirectType;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The redirect's cache tiers with Redis down (L2 always misses) and a map standing in for Postgres:
 * L1 hits, codes known to be missing, one load for concurrent misses, invalidation and expiry on a
 * fake clock.
 */
class LinkCacheTest {
  private static final CachedLink LINK =
      new CachedLink(7, "https://example.com/a", RedirectType.FOUND, null, false);

  private static Settings settings;
  private static Redis redis;
  private static Vertx vertx;

  /** The links "in Postgres", and how often each code was asked for there. */
  private final Map<String, CachedLink> database = new ConcurrentHashMap<>();

  private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
  private final AtomicLong nanos = new AtomicLong();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private volatile CountDownLatch databaseAnswers = new CountDownLatch(0);
  private volatile RuntimeException databaseFailure;
  private LinkCache cache;

  @BeforeAll
  static void start() {
    settings =
        TestPlatform.settings(
            Map.of("tinyscale.cache.l1-ttl", "PT10M", "tinyscale.cache.negative-ttl", "PT30S"));
    redis = TestPlatform.unreachableRedis(settings);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    TestPlatform.close(redis);
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void cache() {
    database.put("abc", LINK);
    cache =
        new LinkCache(
            settings,
            redis,
            this::findLive,
            TestPlatform.invalidationBus(redis),
            meters,
            nanos::get);
  }

  private Optional<CachedLink> findLive(String code) {
    queries.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
    try {
      databaseAnswers.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RuntimeException failure = databaseFailure;
    if (failure != null) {
      throw failure;
    }
    return Optional.ofNullable(database.get(code));
  }

  private int queries(String code) {
    AtomicInteger n = queries.get(code);
    return n == null ? 0 : n.get();
  }

  private Optional<CachedLink> load(String code) throws Exception {
    return loading(code).get(5, TimeUnit.SECONDS);
  }

  private CompletableFuture<Optional<CachedLink>> loading(String code) {
    return cache.load(code, vertx).toCompletionStage().toCompletableFuture();
  }

  private double requests(String tier, String result) {
    return meters
        .get("tinyscale_cache_requests")
        .tag("tier", tier)
        .tag("result", result)
        .functionCounter()
        .count();
  }

  @Test
  void aLoadedLinkIsThenServedFromMemory() throws Exception {
    assertThat(cache.fromMemory("abc")).isEqualTo(LinkLookup.UNKNOWN);

    assertThat(load("abc")).contains(LINK);

    assertThat(cache.fromMemory("abc")).isEqualTo(new LinkLookup.Hit(LINK));
    assertThat(cache.fromMemory("abc")).isEqualTo(new LinkLookup.Hit(LINK));
    assertThat(queries("abc")).isEqualTo(1);
    assertThat(requests("l1", "miss")).isEqualTo(1);
    assertThat(requests("l1", "hit")).isEqualTo(2);
    assertThat(requests("l2", "error")).as("Redis is down: its read and its fill").isEqualTo(2);
    assertThat(requests("db", "hit")).isEqualTo(1);
  }

  @Test
  void anUnknownCodeIsRememberedAsMissing() throws Exception {
    assertThat(load("nope")).isEmpty();

    assertThat(cache.fromMemory("nope")).isEqualTo(LinkLookup.KNOWN_MISSING);
    assertThat(cache.fromMemory("nope")).isEqualTo(LinkLookup.KNOWN_MISSING);
    assertThat(queries("nope")).isEqualTo(1);
    assertThat(requests("l1", "negative")).isEqualTo(2);
    assertThat(requests("db", "miss")).isEqualTo(1);
  }

  @Test
  void concurrentMissesOfOneCodeShareOneLoad() throws Exception {
    databaseAnswers = new CountDownLatch(1);
    List<CompletableFuture<Optional<CachedLink>>> misses =
        List.of(loading("abc"), loading("abc"), loading("abc"));
    CompletableFuture<Optional<CachedLink>> other = loading("nope");

    databaseAnswers.countDown();

    for (CompletableFuture<Optional<CachedLink>> miss : misses) {
      assertThat(miss.get(5, TimeUnit.SECONDS)).contains(LINK);
    }
    assertThat(other.get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(queries("abc")).isEqualTo(1);
    assertThat(queries("nope")).as("another code loads on its own").isEqualTo(1);
  }

  @Test
  void aFailedLoadIsNeitherRememberedNorShared() throws Exception {
    databaseFailure = new IllegalStateException("database away");
    assertThatThrownBy(() -> load("abc"))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("database away");
    assertThat(cache.fromMemory("abc"))
        .as("not taken for a missing link")
        .isEqualTo(LinkLookup.UNKNOWN);

    databaseFailure = null;
    assertThat(load("abc")).contains(LINK);
    assertThat(queries("abc")).isEqualTo(2);
  }

  @Test
  void invalidationDropsTheLinkAndTheMissingMark() throws Exception {
    load("abc");
    load("new");
    database.put(
        "abc", new CachedLink(7, "https://example.com/b", RedirectType.FOUND, null, false));
    database.put("new", LINK);

    cache.invalidate("abc");
    cache.invalidate("new");

    assertThat(cache.fromMemory("abc")).isEqualTo(LinkLookup.UNKNOWN);
    assertThat(cache.fromMemory("new")).isEqualTo(LinkLookup.UNKNOWN);
    assertThat(load("abc")).map(CachedLink::url).contains("https://example.com/b");
    assertThat(load("new")).contains(LINK);
  }

  @Test
  void missingMarksAndLinksExpireAfterTheirTtl() throws Exception {
    load("abc");
    load("nope");

    advance(Duration.ofSeconds(30).minusNanos(1));
    assertThat(cache.fromMemory("nope")).isEqualTo(LinkLookup.KNOWN_MISSING);
    advance(Duration.ofNanos(1));
    assertThat(cache.fromMemory("nope")).isEqualTo(LinkLookup.UNKNOWN);

    advance(Duration.ofMinutes(10).minusSeconds(30).minusNanos(1));
    assertThat(cache.fromMemory("abc")).isEqualTo(new LinkLookup.Hit(LINK));
    advance(Duration.ofNanos(1));
    assertThat(cache.fromMemory("abc")).isEqualTo(LinkLookup.UNKNOWN);
  }

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }
}
