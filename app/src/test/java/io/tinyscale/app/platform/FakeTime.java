package io.tinyscale.app.platform;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when slept on or advanced, and remembers every sleep: retry loops are
 * tested without waiting, and their waits asserted exactly.
 */
public final class FakeTime implements InstantSource, Backoff.Sleeper {
  private final AtomicLong millis =
      new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();

  @Override
  public void sleep(long millis) {
    sleeps.add(millis);
    advance(millis);
  }

  public void advance(long millis) {
    this.millis.addAndGet(millis);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  /** Every sleep so far, in order. */
  public List<Long> sleeps() {
    return List.copyOf(sleeps);
  }
}
