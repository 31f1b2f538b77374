package io.tinyscale.app.capture;

import io.tinyscale.core.clickstream.ClickEvent;

/**
 * Where the redirect hands each click, before it answers. Implementations must return at once and
 * never throw: the redirect does not wait for analytics.
 */
public interface ClickSink {
  /** Takes the click; returns a ticket for {@link #whenDurable}, or -1 when it was dropped. */
  long accept(ClickEvent event);

  /** True when each answer should wait for its click to be durable ({@link #whenDurable}). */
  boolean syncsEachClick();

  /**
   * Runs {@code answer} once the click of {@code ticket} is durable, at once when it was dropped.
   */
  void whenDurable(long ticket, Runnable answer);
}
