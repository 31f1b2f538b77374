package io.tinyscale.app.capture;

import io.tinyscale.core.clickstream.ClickEvent;

/**
 * Where the redirect hands each click. Implementations must return at once and never throw: the
 * redirect does not wait for analytics.
 */
public interface ClickSink {
  void accept(ClickEvent event);
}
