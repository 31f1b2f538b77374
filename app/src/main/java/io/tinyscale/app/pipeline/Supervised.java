package io.tinyscale.app.pipeline;

/**
 * A poll loop that {@link ConsumerSupervisor} keeps running: {@link #run} returns when stopped and
 * throws when it fails. It reports failures and progress in the {@link FailureState} it is given.
 */
interface Supervised extends Runnable {
  void stop();

  /** Records not yet written. */
  long lag();
}
