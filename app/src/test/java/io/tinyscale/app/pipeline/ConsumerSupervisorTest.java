package io.tinyscale.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.app.Api;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A consumer whose poll loop throws is replaced, and reported failing until one makes progress. */
class ConsumerSupervisorTest {

  /**
   * Fails on its first {@code failures} runs; the next one makes progress and runs until stopped.
   */
  static final class FlakyLoop implements Supervised {
    static final AtomicInteger RUNS = new AtomicInteger();
    private final FailureState state;
    private final int failures;
    private final CountDownLatch stopped = new CountDownLatch(1);

    FlakyLoop(FailureState state, int failures) {
      this.state = state;
      this.failures = failures;
    }

    @Override
    public void run() {
      if (RUNS.incrementAndGet() <= failures) {
        throw new IllegalStateException("poll loop failed, run " + RUNS.get());
      }
      state.healthy(); // progress
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void stop() {
      stopped.countDown();
    }

    @Override
    public long lag() {
      return 0;
    }
  }

  @Test
  void aLoopThatThrowsIsRestartedAndReportedUntilOneMakesProgress() throws InterruptedException {
    FlakyLoop.RUNS.set(0);
    long before = System.nanoTime();
    ConsumerSupervisor supervisor =
        new ConsumerSupervisor("g", "g-0", state -> new FlakyLoop(state, 2), 200);
    Thread thread = Thread.ofPlatform().start(supervisor);

    Api.await("a failure reported", () -> supervisor.failingSince() != 0);
    assertThat(supervisor.failingSince()).isGreaterThanOrEqualTo(before);
    assertThat(supervisor.failure()).contains("poll loop failed");
    Api.await(
        "a third loop running, after two restarts",
        () -> FlakyLoop.RUNS.get() == 3 && supervisor.failingSince() == 0);
    assertThat(supervisor.restarts()).isEqualTo(2);
    assertThat(supervisor.failure()).isNull();

    supervisor.stop();
    thread.join(5_000);
    assertThat(thread.isAlive()).as("stop ends the supervisor").isFalse();
    assertThat(FlakyLoop.RUNS.get()).as("no restart after stop").isEqualTo(3);
  }
}
