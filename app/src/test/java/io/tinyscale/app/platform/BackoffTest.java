package io.tinyscale.app.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waits of a retry loop, on a fake clock. */
class BackoffTest {

  @Test
  void exponentialWaitsDoubleUpToTheMaximumAndStayThere() throws InterruptedException {
    FakeTime time = new FakeTime();
    Backoff backoff = Backoff.exponential(500, 30_000, time);
    for (int i = 0; i < 9; i++) {
      backoff.pause();
    }
    assertThat(time.sleeps())
        .containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
  }

  @Test
  void fixedWaitsNeverGrow() throws InterruptedException {
    FakeTime time = new FakeTime();
    Backoff backoff = Backoff.fixed(2_000, time);
    for (int i = 0; i < 3; i++) {
      backoff.pause();
    }
    assertThat(time.sleeps()).containsExactly(2_000L, 2_000L, 2_000L);
  }

  @Test
  void resetStartsAgainFromTheFirstWait() throws InterruptedException {
    FakeTime time = new FakeTime();
    Backoff backoff = Backoff.exponential(1_000, 30_000, time);
    backoff.pause();
    backoff.pause();
    backoff.reset();
    backoff.pause();
    assertThat(time.sleeps()).containsExactly(1_000L, 2_000L, 1_000L);
  }

  @Test
  void takeHandsOverTheWaitWithoutSleepingAndGrowsTheNextOne() {
    FakeTime time = new FakeTime();
    Backoff backoff = Backoff.exponential(500, 30_000, time);
    assertThat(backoff.nextMillis()).isEqualTo(500);
    assertThat(backoff.take()).isEqualTo(500);
    assertThat(backoff.nextMillis()).isEqualTo(1_000);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void growthNeverOverflowsPastTheMaximum() {
    Backoff backoff = new Backoff(1, Long.MAX_VALUE, 10, millis -> {});
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      waits.add(backoff.take());
    }
    assertThat(waits).isSorted().allMatch(w -> w > 0);
    assertThat(waits.getLast()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> new Backoff(-1, 10, 2, Backoff.REAL_TIME))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(10, 5, 2, Backoff.REAL_TIME))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(10, 20, 0, Backoff.REAL_TIME))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
