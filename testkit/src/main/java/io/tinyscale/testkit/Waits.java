package io.tinyscale.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/** Waits on conditions (Awaitility), each with a deadline; never a bare sleep. */
public final class Waits {
  /** How long a condition may take before the test fails. */
  public static final Duration DEADLINE = Duration.ofSeconds(60);

  private Waits() {}

  /** Awaitility's wait for {@code what}: up to {@link #DEADLINE}, checking every 200 ms. */
  public static ConditionFactory await(String what) {
    return Awaitility.await(what)
        .atMost(DEADLINE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200));
  }

  /** Waits until the condition holds; else fails with {@code what}. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, () -> "");
  }

  /** Waits until the condition holds; else fails with {@code what}, and what was seen instead. */
  public static void until(String what, BooleanSupplier condition, Supplier<String> seen) {
    try {
      await(what).until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "not within " + DEADLINE.toSeconds() + " s: " + what + " " + seen.get(), e);
    }
  }

  /** {@link #untilEquals(String, long, LongSupplier)} of a count. */
  public static void untilEquals(long expected, LongSupplier actual) {
    untilEquals("the count", expected, actual);
  }

  /**
   * Waits until {@code actual} reaches {@code expected}, then checks that it stays there for a
   * second: room for a wrong extra count to show up.
   */
  public static void untilEquals(String what, long expected, LongSupplier actual) {
    long[] last = {Long.MIN_VALUE};
    try {
      // longer than other waits: a pipeline catching up on thousands of clicks
      await(what + " = " + expected)
          .atMost(Duration.ofSeconds(90))
          .until(() -> (last[0] = actual.getAsLong()) >= expected);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "not within 90 s: " + what + " = " + expected + " (last seen " + last[0] + ")", e);
    }
    try {
      await(what + " stays " + expected)
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> (last[0] = actual.getAsLong()) == expected);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + ": expected " + expected + ", was " + last[0], e);
    }
  }
}
