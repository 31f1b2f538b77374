package io.tinyscale.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.app.platform.Backoff;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A consumer whose poll loop throws is replaced after a backoff, and reported failing until one
 * makes progress. The supervisor runs on the test's thread; its waits are only recorded.
 */
class ConsumerSupervisorTest {

  /** What a run saw of the slot's failure state when it started. */
  record Seen(long failingSince, String why) {}

  /**
   * Its runs, counted across the slot: each of the first {@code failures} fails (after making
   * progress when {@code progressFirst}); the next one returns, which ends the supervisor as a stop
   * does.
   */
  static final class Loop implements Supervised {
    private final FailureState state;
    private final AtomicInteger runs;
    private final int failures;
    private final boolean progressFirst;
    private final List<Seen> seen;

    Loop(
        FailureState state,
        AtomicInteger runs,
        int failures,
        boolean progressFirst,
        List<Seen> seen) {
      this.state = state;
      this.runs = runs;
      this.failures = failures;
      this.progressFirst = progressFirst;
      this.seen = seen;
    }

    @Override
    public void run() {
      seen.add(new Seen(state.since(), state.why()));
      if (progressFirst) {
        state.healthy();
      }
      if (runs.incrementAndGet() <= failures) {
        throw new IllegalStateException("poll loop failed, run " + runs.get());
      }
      state.healthy();
    }

    @Override
    public void stop() {}

    @Override
    public long lag() {
      return 0;
    }
  }

  private final List<Long> waits = new ArrayList<>();
  private final Backoff backoff = Backoff.exponential(1_000, 30_000, waits::add);

  @Test
  void failuresWithoutProgressAreRestartedAfterDoublingWaitsAndReported() {
    AtomicInteger runs = new AtomicInteger();
    List<Seen> seen = new ArrayList<>();
    long before = System.nanoTime();
    ConsumerSupervisor supervisor =
        new ConsumerSupervisor("g", "g-0", state -> new Loop(state, runs, 2, false, seen), backoff);

    supervisor.run();

    assertThat(runs).hasValue(3);
    assertThat(supervisor.restarts()).isEqualTo(2);
    assertThat(waits).containsExactly(1_000L, 2_000L);
    assertThat(seen.get(0).failingSince()).isZero();
    assertThat(seen.get(1).failingSince()).isGreaterThanOrEqualTo(before);
    assertThat(seen.get(1).why()).contains("poll loop failed, run 1");
    assertThat(seen.get(2).failingSince())
        .as("reported from the first failure on, across restarts")
        .isEqualTo(seen.get(1).failingSince());
    assertThat(seen.get(2).why()).contains("poll loop failed, run 2");
    assertThat(supervisor.failingSince()).as("progress ends the failure").isZero();
    assertThat(supervisor.failure()).isNull();
  }

  @Test
  void progressBetweenFailuresStartsTheWaitsAgain() {
    AtomicInteger runs = new AtomicInteger();
    ConsumerSupervisor supervisor =
        new ConsumerSupervisor(
            "g", "g-0", state -> new Loop(state, runs, 3, true, new ArrayList<>()), backoff);

    supervisor.run();

    assertThat(waits).containsExactly(1_000L, 1_000L, 1_000L);
  }

  @Test
  void aConsumerThatCannotBeCreatedIsRetriedAndReported() {
    AtomicReference<ConsumerSupervisor> supervisor = new AtomicReference<>();
    Backoff stopAfterThree =
        Backoff.exponential(
            1_000,
            30_000,
            millis -> {
              waits.add(millis);
              if (waits.size() == 3) {
                supervisor.get().stop();
              }
            });
    supervisor.set(
        new ConsumerSupervisor(
            "g",
            "g-0",
            state -> {
              throw new IllegalArgumentException("no bootstrap servers");
            },
            stopAfterThree));

    supervisor.get().run();

    assertThat(waits).containsExactly(1_000L, 2_000L, 4_000L);
    assertThat(supervisor.get().failingSince()).isNotZero();
    assertThat(supervisor.get().failure())
        .isEqualTo("cannot create the consumer: no bootstrap servers");
  }

  @Test
  void stopDuringAWaitEndsTheSupervisorWithoutAnotherRun() {
    AtomicInteger runs = new AtomicInteger();
    AtomicReference<ConsumerSupervisor> supervisor = new AtomicReference<>();
    Backoff stopWhileWaiting =
        Backoff.exponential(1_000, 30_000, millis -> supervisor.get().stop());
    supervisor.set(
        new ConsumerSupervisor(
            "g",
            "g-0",
            state -> new Loop(state, runs, 5, false, new ArrayList<>()),
            stopWhileWaiting));

    supervisor.get().run();

    assertThat(runs).as("no restart after stop").hasValue(1);
  }
}
