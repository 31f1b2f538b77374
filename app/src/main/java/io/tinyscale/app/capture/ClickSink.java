package io.tinyscale.app.capture;

import io.tinyscale.core.clickstream.ClickEvent;

/**
 * Where the redirect hands each click, before it answers (TINYSCALE_CLICK_CAPTURE chooses which).
 * Implementations must return at once and never throw: the redirect does not wait for analytics,
 * unless {@link #syncsEachClick} says it must.
 */
public interface ClickSink {
  /** Takes the click without waiting; returns -1 when it was dropped. */
  long accept(ClickEvent event);

  /** True when each answer must wait for its click to be durable ({@link #acceptDurably}). */
  boolean syncsEachClick();

  /**
   * Takes the click and runs {@code answer}, on any thread, once it is durable; also when it was
   * dropped (the redirect is answered either way).
   */
  void acceptDurably(ClickEvent event, Runnable answer);
}
