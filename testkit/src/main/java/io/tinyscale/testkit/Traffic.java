package io.tinyscale.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of one kind of request from a few client threads, for as long as a test does
 * something else (a rolling restart): each request is answered as expected or recorded as a failure
 * (an unexpected status, a connection error), never retried by the client.
 */
public final class Traffic implements AutoCloseable {
  /** One request: null when it was answered as expected, else what went wrong. */
  @FunctionalInterface
  public interface Request {
    String send() throws Exception;
  }

  private final String name;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong answered = new AtomicLong();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean running = true;

  /** Starts {@code threads} threads sending {@code request}, each pausing {@code pauseMillis}. */
  public Traffic(String name, int threads, long pauseMillis, Request request) {
    this.name = name;
    for (int t = 0; t < threads; t++) {
      this.threads.add(
          Thread.ofPlatform()
              .daemon()
              .name("traffic-" + name + "-" + t)
              .start(
                  () -> {
                    while (running) {
                      try {
                        String failure = request.send();
                        if (failure == null) {
                          answered.incrementAndGet();
                        } else {
                          failures.add(failure);
                        }
                      } catch (Exception e) {
                        failures.add(e.toString());
                      }
                      TinyscaleUp.sleep(pauseMillis);
                    }
                  }));
    }
  }

  /** Requests answered as expected so far. */
  public long answered() {
    return answered.get();
  }

  /** What went wrong so far, one entry per failed request. */
  public List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /** Stops the threads after their request in flight. */
  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + ": " + answered() + " answered, " + failures.size() + " failed";
  }
}
