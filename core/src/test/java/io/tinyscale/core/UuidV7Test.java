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
    assertThat(UuidV7.millis(id)).isBetween(before, after + 1);
  }

  @Test
  void idsFromLaterMillisecondsSortAfterEarlierOnes() throws InterruptedException {
    var first = UuidV7.next();
    Thread.sleep(5);
    var second = UuidV7.next();
    assertThat(UuidV7.millis(second)).isGreaterThan(UuidV7.millis(first));
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
  void theOrderIsTimeOrderAndUnsigned() {
    var ids = new ArrayList<UUID>();
    for (int i = 0; i < 1_000; i++) {
      ids.add(UuidV7.next());
    }
    for (int i = 1; i < ids.size(); i++) {
      assertThat(UuidV7.ORDER.compare(ids.get(i - 1), ids.get(i))).isNegative();
    }
    // one millisecond, one rand_a: the random bits decide, read as unsigned numbers
    UUID low = new UUID(0x0190_0000_0000_7000L, 0x8000_0000_0000_0001L);
    UUID high = new UUID(0x0190_0000_0000_7000L, 0xbfff_ffff_ffff_ffffL);
    assertThat(UuidV7.ORDER.compare(low, high)).isNegative();
    assertThat(UuidV7.ORDER.compare(high, high)).isZero();
  }

  @Test
  void tellsAVersion7IdFromOthers() {
    assertThat(UuidV7.isV7(UuidV7.next())).isTrue();
    assertThat(UuidV7.isV7(UUID.randomUUID())).isFalse();
    assertThat(UuidV7.millis(UUID.fromString("01936b2e-5a40-7000-8000-000000000000")))
        .isEqualTo(0x01936b2e5a40L);
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
