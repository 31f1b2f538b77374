package io.tinyscale.devstack;

/**
 * An engine devstack started and can stop and start again for fault tests ({@link Engine.Control}),
 * until it is closed with its Engines. {@link #start()} does nothing while it runs; after {@link
 * #close()} it refuses.
 */
abstract class RestartableEngine implements Engine.Control, AutoCloseable {

  private final String name;
  private boolean closed;

  /**
   * @param name as a sentence starts with it, e.g. {@code The Kafka broker}
   */
  RestartableEngine(String name) {
    this.name = name;
  }

  @Override
  public final synchronized void start() {
    if (closed) {
      throw new IllegalStateException(name + " was closed with its Engines; start a new devstack.");
    }
    if (!running()) {
      startStopped();
    }
  }

  /** Starts the engine, which is stopped, on its port with its data; returns once it serves. */
  abstract void startStopped();

  /** Stops the engine for good. */
  @Override
  public synchronized void close() {
    try {
      stop();
    } finally {
      closed = true;
    }
  }
}
