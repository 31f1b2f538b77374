package io.tinyscale.app.platform;

/**
 * The waits of one retry loop: {@code initial}, then multiplied by {@code multiplier} after each
 * wait, up to {@code max}; {@link #reset} starts again from {@code initial}. Every retry loop waits
 * through one, so a test can hand it a {@link Sleeper} that moves a fake clock instead of waiting.
 * Not thread-safe: one per loop.
 */
public final class Backoff {

  /** How a wait is spent: {@link #REAL_TIME} outside tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  public static final Sleeper REAL_TIME = Thread::sleep;

  private final long initialMillis;
  private final long maxMillis;
  private final long multiplier;
  private final Sleeper sleeper;
  private long next;

  public Backoff(long initialMillis, long maxMillis, long multiplier, Sleeper sleeper) {
    if (initialMillis < 0 || maxMillis < initialMillis || multiplier < 1) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initial <= max and multiplier >= 1, not "
              + initialMillis
              + ", "
              + maxMillis
              + ", "
              + multiplier);
    }
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.multiplier = multiplier;
    this.sleeper = sleeper;
    this.next = initialMillis;
  }

  /** Waits doubling from {@code initialMillis} up to {@code maxMillis}. */
  public static Backoff exponential(long initialMillis, long maxMillis, Sleeper sleeper) {
    return new Backoff(initialMillis, maxMillis, 2, sleeper);
  }

  /** The same wait every time. */
  public static Backoff fixed(long millis, Sleeper sleeper) {
    return new Backoff(millis, millis, 1, sleeper);
  }

  /** How long the next wait lasts. */
  public long nextMillis() {
    return next;
  }

  /**
   * The next wait's length, for a loop that spends it otherwise than sleeping (polling, say); the
   * wait after it is longer, as after {@link #pause}.
   */
  public long take() {
    long wait = next;
    next = next > maxMillis / multiplier ? maxMillis : next * multiplier;
    return wait;
  }

  /** Waits the next wait. */
  public void pause() throws InterruptedException {
    sleeper.sleep(take());
  }

  /** Progress was made: the next wait is the first one again. */
  public void reset() {
    next = initialMillis;
  }
}
