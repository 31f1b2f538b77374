package io.tinyscale.devstack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One engine as TinyScale will use it: what to tell the application, and, for fault tests, a way to
 * stop it and start it again when devstack started it and can restart it (the Kafka broker, the
 * OpenSearch node and the embedded Postgres).
 *
 * <p>A handle rather than a value: two engines with the same name and endpoint are still two
 * engines.
 */
public final class Engine {

  /** Stops and restarts an engine devstack started, on the same port and data. */
  interface Control {
    void stop();

    void start();

    boolean running();

    /** Suspends the engine's processes; see {@link Engine#freeze()}. */
    default void freeze() {
      throw new UnsupportedOperationException("only the embedded Postgres can be frozen");
    }

    /** Resumes what {@link #freeze()} suspended. */
    default void thaw() {
      throw new UnsupportedOperationException("only the embedded Postgres can be frozen");
    }
  }

  private final String name;
  private final Origin origin;
  private final String endpoint;
  private final Map<String, String> env;
  private final Control control;

  /**
   * @param name e.g. {@code postgres}, {@code redis}
   * @param origin given, found or started
   * @param endpoint what to show a person: the URL with any password masked
   * @param env the {@code TINYSCALE_*} variables that point the application at it, in a stable
   *     order
   */
  public Engine(String name, Origin origin, String endpoint, Map<String, String> env) {
    this(name, origin, endpoint, env, null);
  }

  Engine(String name, Origin origin, String endpoint, Map<String, String> env, Control control) {
    this.name = Objects.requireNonNull(name, "name");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    this.control = control;
  }

  /** e.g. {@code postgres}, {@code redis}, {@code kafka}. */
  public String name() {
    return name;
  }

  /** Given, found or started. */
  public Origin origin() {
    return origin;
  }

  /** What to show a person: the URL with any password masked. */
  public String endpoint() {
    return endpoint;
  }

  /** The {@code TINYSCALE_*} variables that point the application at it, in a stable order. */
  public Map<String, String> env() {
    return env;
  }

  /** Whether devstack started it (and so stops it on close). */
  public boolean started() {
    return origin == Origin.STARTED;
  }

  /**
   * Whether {@link #stop()} and {@link #start()} work: devstack started it and knows how to restart
   * it.
   */
  public boolean restartable() {
    return control != null;
  }

  /**
   * Stops the engine cleanly and keeps its data: the broker and the OpenSearch node with SIGTERM
   * (SIGKILL if it has not stopped within 30 s), Postgres with a fast shutdown (open sessions are
   * ended). Returns once it is gone; clients then see connections refused. For fault tests. Does
   * nothing if it is stopped.
   *
   * @throws UnsupportedOperationException unless {@link #restartable()}
   */
  public void stop() {
    control().stop();
  }

  /**
   * Starts the engine again after {@link #stop()}, on the same port with the same data, and returns
   * once it serves. Does nothing if it runs.
   *
   * @throws UnsupportedOperationException unless {@link #restartable()}
   * @throws DevStackException when it does not come back
   */
  public void start() {
    control().start();
  }

  /**
   * Suspends the engine's processes (SIGSTOP) without closing anything: open connections stay open
   * and go silent, as with a frozen host or a network that drops packets, and new ones are accepted
   * by the kernel but never answered. For fault tests; {@link #thaw()} resumes it. Only the
   * embedded Postgres supports it.
   *
   * @throws UnsupportedOperationException for any other engine
   */
  public void freeze() {
    control().freeze();
  }

  /** Resumes an engine {@link #freeze()} suspended (SIGCONT); it carries on where it stopped. */
  public void thaw() {
    control().thaw();
  }

  /**
   * Whether it runs: always true for an engine devstack cannot restart, which it never stops but on
   * close.
   */
  public boolean running() {
    return control == null || control.running();
  }

  private Control control() {
    if (control == null) {
      throw new UnsupportedOperationException(
          "devstack cannot stop and restart "
              + name
              + " ("
              + origin.label()
              + "): only an engine it started and knows how to restart, the Kafka broker, the"
              + " OpenSearch node or the embedded Postgres.");
    }
    return control;
  }

  @Override
  public String toString() {
    return name + " " + origin.label() + " " + endpoint;
  }
}
