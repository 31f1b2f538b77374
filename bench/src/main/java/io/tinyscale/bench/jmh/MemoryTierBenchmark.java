package io.tinyscale.bench.jmh;

import com.github.benmanes.caffeine.cache.Ticker;
import io.tinyscale.app.link.CachedLink;
import io.tinyscale.app.link.LinkLookup;
import io.tinyscale.app.link.MemoryTier;
import io.tinyscale.core.RedirectType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The L1 lookup as the redirect does it ({@code LinkCache.fromMemory}): the app's tier with its
 * default size and expiry, holding {@code links} links; each call asks for the next code of a
 * shuffled list, so consecutive lookups touch different entries, as random traffic does. 1,000
 * links fit in the CPU's caches, 100,000 (the redirect benchmark's) do not.
 */
@State(Scope.Thread)
public class MemoryTierBenchmark {
  @Param({"1000", "100000"})
  int links;

  MemoryTier tier;
  String[] known;
  String[] unknown;
  int next;

  @Setup
  public void fill() {
    tier =
        new MemoryTier(
            250_000, Duration.ofMinutes(10), Duration.ofSeconds(30), Ticker.systemTicker());
    known = new String[links];
    unknown = new String[1024];
    for (int i = 0; i < links; i++) {
      known[i] = "b%07d".formatted(i + 1);
      tier.putLive(
          known[i],
          new CachedLink(
              i + 1,
              "https://example.com/p/%07d".formatted(i + 1),
              RedirectType.FOUND,
              null,
              false));
    }
    for (int i = 0; i < unknown.length; i++) {
      unknown[i] = "x%07d".formatted(i);
    }
    Collections.shuffle(Arrays.asList(known), new Random(42));
  }

  @Benchmark
  public LinkLookup hit() {
    String code = known[next];
    next = next + 1 == known.length ? 0 : next + 1;
    return tier.lookup(code);
  }

  /** A code L1 does not hold: two Caffeine probes, then the redirect goes to Redis. */
  @Benchmark
  public LinkLookup miss() {
    String code = unknown[next & (unknown.length - 1)];
    next++;
    return tier.lookup(code);
  }
}
