package io.tinyscale.devstack;

import java.util.Optional;

/**
 * Provides one engine by the rule of {@code ./tinyscale up}, kept here in one place: the engine's
 * variable is used as is; else the engine on its default local port, when it answers; else one that
 * devstack starts, with its data under the home directory.
 *
 * <p>Extension point: another engine becomes a further implementation, listed in {@link
 * DevStack#PROVISIONERS}, as Kafka's ({@link KafkaProvisioner}) and OpenSearch's ({@link
 * OpenSearchProvisioner}) did; its variables then reach {@link Engines#env()} and the env file
 * without other changes. An engine run as a child JVM ({@link ChildEngine}) gets a classpath of its
 * own ({@link ChildJvm}).
 */
interface Provisioner {

  /** The engine's name as printed, e.g. {@code postgres}. */
  String name();

  /** The engine named by its variable, if that is set. Starts and checks nothing. */
  Optional<Provision> given(Options options);

  /**
   * The engine on its default local port, if it answers (made ready for use, e.g. database
   * created).
   */
  Optional<Provision> found(Options options);

  /**
   * Starts the engine; throws {@link DevStackException} saying what to do when it cannot. Returns
   * once it serves, unless {@link #readyInBackground()}.
   */
  Provision start(Options options);

  /**
   * Whether {@link #start} only launches the engine and leaves the wait for it to {@link
   * Provision#awaitReady()}: such engines (a broker's JVM, which takes seconds) are launched first,
   * so the others start meanwhile.
   */
  default boolean readyInBackground() {
    return false;
  }

  default Provision provide(Options options) {
    return given(options).or(() -> found(options)).orElseGet(() -> start(options));
  }
}

/**
 * An engine, how to stop it (a no-op unless devstack started it), and how to wait until it serves
 * (a no-op unless it was launched in the background).
 */
record Provision(Engine engine, AutoCloseable stopper, Runnable awaitReady) {

  Provision(Engine engine, AutoCloseable stopper) {
    this(engine, stopper, () -> {});
  }

  static Provision untouched(Engine engine) {
    return new Provision(engine, () -> {});
  }
}
