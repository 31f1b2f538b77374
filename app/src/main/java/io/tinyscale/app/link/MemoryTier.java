package io.tinyscale.app.link;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The link cache's first tier (L1, this replica's memory): live links and recently unknown codes,
 * with its hit and miss counts. Plain Caffeine and no framework, so that the redirect's lookup can
 * be measured on its own (bench/, JMH).
 */
public final class MemoryTier {
  private final Cache<String, LinkLookup.Hit> live;
  private final Cache<String, Boolean> unknown;
  // LongAdders read when metrics are scraped: the L1 hit is counted on every redirect, and a
  // Micrometer counter goes through Quarkus' composite registry
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder negatives = new LongAdder();

  public MemoryTier(long maxEntries, Duration ttl, Duration negativeTtl, Ticker ticker) {
    live =
        Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).ticker(ticker).build();
    unknown =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(negativeTtl)
            .ticker(ticker)
            .build();
  }

  /** What this replica's memory knows of the code; never leaves the calling thread. */
  public LinkLookup lookup(String code) {
    LinkLookup.Hit hit = live.getIfPresent(code);
    if (hit != null) {
      hits.increment();
      return hit;
    }
    if (unknown.getIfPresent(code) != null) {
      negatives.increment();
      return LinkLookup.KNOWN_MISSING;
    }
    misses.increment();
    return LinkLookup.UNKNOWN;
  }

  public void putLive(String code, CachedLink link) {
    live.put(code, new LinkLookup.Hit(link));
  }

  public void putUnknown(String code) {
    unknown.put(code, Boolean.TRUE);
  }

  void drop(String code) {
    live.invalidate(code);
    unknown.invalidate(code);
  }

  void dropAll() {
    live.invalidateAll();
    unknown.invalidateAll();
  }

  LongAdder hits() {
    return hits;
  }

  LongAdder misses() {
    return misses;
  }

  LongAdder negatives() {
    return negatives;
  }
}
