package io.tinyscale.app.live;

import io.tinyscale.app.platform.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most TINYSCALE_SSE_MAX_PER_KEY open streams per API key (or session user) on this replica: an
 * open stream holds a connection and a buffer, so one key must not be able to open them without
 * end. Counted per replica, not in Redis, so that a replica that dies takes its counts with it; a
 * key may hold that many on each replica.
 */
@ApplicationScoped
class StreamSlots {
  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  StreamSlots(Settings settings) {
    this.max = settings.live().sseMaxPerKey();
  }

  int max() {
    return max;
  }

  /** Takes one of the key's slots; false when it holds them all. */
  boolean take(String key) {
    boolean[] taken = {false};
    open.compute(
        key,
        (k, n) -> {
          int held = n == null ? 0 : n;
          if (held >= max) {
            return n;
          }
          taken[0] = true;
          return held + 1;
        });
    return taken[0];
  }

  /** Gives one back; a key with none left is forgotten, so the map holds only open streams. */
  void give(String key) {
    open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }
}
