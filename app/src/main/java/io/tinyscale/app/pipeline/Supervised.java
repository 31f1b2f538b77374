package io.tinyscale.app.pipeline;

/**
 * A poll loop that {@link ConsumerSupervisor} keeps running: {@link #run} returns when stopped and
 * throws when it fails.
 */
interface Supervised extends Runnable {
  void stop();

  /** {@link System#nanoTime()} since it has not been doing its job, or 0 while it does it. */
  long failingSince();

  /** Why it is failing, or null. */
  String failure();

  /** Started in place of a failed one, it inherits the failure until it has made progress. */
  void failingSince(long since, String why);

  /** Records not yet written. */
  long lag();
}
