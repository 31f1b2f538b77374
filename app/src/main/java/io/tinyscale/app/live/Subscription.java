package io.tinyscale.app.live;

import io.tinyscale.app.account.Caller;

/** Whose clicks a live stream shows. */
sealed interface Subscription {
  /** One link's, checked against {@code link/LinkAccess} when the stream was opened. */
  record OneLink(long urlId) implements Subscription {}

  /**
   * Every link the caller may see at the time of each click, links made after connecting included.
   */
  record AllLinks(Caller caller) implements Subscription {}
}
