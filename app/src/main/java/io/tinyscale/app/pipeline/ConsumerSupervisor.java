package io.tinyscale.app.pipeline;

import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps one consumer running: when its poll loop ends with an exception, a fresh consumer (a new
 * Kafka client, reading from the committed positions) starts after a backoff of 1 s, doubling to 30
 * s while failures follow each other without progress in between. The failure is reported ({@link
 * #failingSince}) from the first one until a consumer makes progress again.
 */
final class ConsumerSupervisor implements Runnable {
  private static final Logger LOG = Logger.getLogger(ConsumerSupervisor.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  final String group;
  private final String name;
  private final Supplier<? extends Supervised> factory;
  private volatile Supervised current;
  private volatile boolean stopped;
  private final long firstBackoffMs;
  private volatile int restarts;

  ConsumerSupervisor(String group, String name, Supplier<? extends Supervised> factory) {
    this(group, name, factory, 1_000);
  }

  ConsumerSupervisor(
      String group, String name, Supplier<? extends Supervised> factory, long firstBackoffMs) {
    this.group = group;
    this.name = name;
    this.factory = factory;
    this.firstBackoffMs = firstBackoffMs;
  }

  @Override
  public void run() {
    long backoff = firstBackoffMs;
    long failingSince = 0;
    String failure = null;
    while (!stopped) {
      Supervised consumer;
      try {
        consumer = factory.get();
      } catch (RuntimeException e) {
        failure = "cannot create the consumer: " + e.getMessage();
        failingSince = failingSince == 0 ? System.nanoTime() : failingSince;
        LOG.errorf("Consumer %s: %s; retrying in %d ms", name, failure, backoff);
        if (!pause(backoff)) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      if (failingSince != 0) {
        consumer.failingSince(failingSince, failure);
      }
      current = consumer;
      if (stopped) {
        consumer.stop();
      }
      try {
        consumer.run();
        return; // stopped
      } catch (RuntimeException | Error e) {
        if (stopped) {
          return;
        }
        restarts++;
        // progress made since the last failure resets the backoff
        backoff = consumer.failingSince() == 0 ? firstBackoffMs : backoff;
        failingSince = consumer.failingSince() != 0 ? consumer.failingSince() : System.nanoTime();
        failure = "consumer failed: " + e;
        consumer.failingSince(failingSince, failure); // reported during the pause too
        LOG.errorf(e, "Consumer %s failed; a new one starts in %d ms", name, backoff);
      }
      if (!pause(backoff)) {
        return;
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return !stopped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void stop() {
    stopped = true;
    Supervised consumer = current;
    if (consumer != null) {
      consumer.stop();
    }
  }

  /** {@link System#nanoTime()} since the consumer has not been doing its job, or 0. */
  long failingSince() {
    Supervised consumer = current;
    return consumer == null ? 0 : consumer.failingSince();
  }

  String failure() {
    Supervised consumer = current;
    return consumer == null ? null : consumer.failure();
  }

  /** The current consumer's lag (records not yet written). */
  long lag() {
    Supervised consumer = current;
    return consumer == null ? 0 : consumer.lag();
  }

  String name() {
    return name;
  }

  int restarts() {
    return restarts;
  }
}
