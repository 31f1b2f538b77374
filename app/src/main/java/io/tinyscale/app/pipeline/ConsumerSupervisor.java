package io.tinyscale.app.pipeline;

import io.tinyscale.app.platform.Backoff;
import java.util.function.Function;
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
  private final Function<FailureState, ? extends Supervised> factory;
  private final FailureState state = new FailureState();
  private volatile Supervised current;
  private volatile boolean stopped;
  private final Backoff backoff;
  private volatile int restarts;

  ConsumerSupervisor(
      String group, String name, Function<FailureState, ? extends Supervised> factory) {
    this(group, name, factory, Backoff.exponential(1_000, MAX_BACKOFF_MS, Backoff.REAL_TIME));
  }

  ConsumerSupervisor(
      String group,
      String name,
      Function<FailureState, ? extends Supervised> factory,
      Backoff backoff) {
    this.group = group;
    this.name = name;
    this.factory = factory;
    this.backoff = backoff;
  }

  @Override
  public void run() {
    while (!stopped) {
      Supervised consumer;
      try {
        consumer = factory.apply(state);
      } catch (RuntimeException e) {
        state.failing("cannot create the consumer: " + e.getMessage());
        LOG.errorf("Consumer %s: %s; retrying in %d ms", name, state.why(), backoff.nextMillis());
        if (!pause()) {
          return;
        }
        continue;
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
        if (state.since() == 0) {
          backoff.reset();
        }
        state.failing("consumer failed: " + e);
        LOG.errorf(e, "Consumer %s failed; a new one starts in %d ms", name, backoff.nextMillis());
      }
      if (!pause()) {
        return;
      }
    }
  }

  private boolean pause() {
    try {
      backoff.pause();
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
    return state.since();
  }

  String failure() {
    return state.why();
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
