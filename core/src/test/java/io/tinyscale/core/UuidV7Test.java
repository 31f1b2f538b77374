package io.tinyscale.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UuidV7Test {

  private static long millis(UUID id) {
    return id.getMostSignificantBits() >>> 16;
  }

  @Test
  void hasVersion7AndTheRfc9562Variant() {
    var id = UuidV7.next();
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2); // binary 10
    assertThat(id.toString())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void carriesTheCurrentUnixMillisecondsInTheFirst48Bits() {
    long before = System.currentTimeMillis();
    var id = UuidV7.next();
    long after = System.currentTimeMillis();
    // +1: an id may have borrowed the next millisecond after a burst in the same one.
    assertThat(millis(id)).isBetween(before, after + 1);
  }

  @Test
  void idsFromLaterMillisecondsSortAfterEarlierOnes() throws InterruptedException {
    var first = UuidV7.next();
    Thread.sleep(5);
    var second = UuidV7.next();
    assertThat(millis(second)).isGreaterThan(millis(first));
    assertThat(second).isGreaterThan(first);
    assertThat(second.toString()).isGreaterThan(first.toString());
  }

  @Test
  void consecutiveIdsStrictlyIncreaseEvenWithinOneMillisecond() {
    var ids = new ArrayList<UUID>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(UuidV7.next());
    }
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
      assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
    }
  }

  @Test
  void randomTailDiffersBetweenIds() {
    var a = UuidV7.next();
    var b = UuidV7.next();
    assertThat(a.getLeastSignificantBits()).isNotEqualTo(b.getLeastSignificantBits());
  }

  @Test
  void idsAreUniqueAcrossThreads() throws InterruptedException {
    Set<UUID> ids = ConcurrentHashMap.newKeySet();
    try (var pool = Executors.newFixedThreadPool(8)) {
      for (int t = 0; t < 8; t++) {
        pool.execute(
            () -> {
              for (int i = 0; i < 5_000; i++) {
                ids.add(UuidV7.next());
              }
            });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(ids).hasSize(40_000);
  }
}
