package io.tinyscale.app.pipeline;

/**
 * Since when a consumer slot has not been doing its job, and why. One per slot, shared by every
 * consumer {@link ConsumerSupervisor} starts in it, so a failure lasts across a restart until a
 * consumer makes progress again.
 */
final class FailureState {
  private volatile long since;
  private volatile String why;

  /** Failing from now on, unless already failing (then only the reason changes). */
  void failing(String reason) {
    if (since == 0) {
      since = System.nanoTime();
    }
    why = reason;
  }

  /** Progress made: no longer failing. */
  void healthy() {
    since = 0;
    why = null;
  }

  /** {@link System#nanoTime()} when the failure began, or 0 while the job is being done. */
  long since() {
    return since;
  }

  /** Why it is failing, or null. */
  String why() {
    return why;
  }
}
