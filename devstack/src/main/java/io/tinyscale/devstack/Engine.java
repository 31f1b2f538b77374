package io.tinyscale.devstack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One engine as TinyScale will use it.
 *
 * @param name     e.g. {@code postgres}, {@code redis}
 * @param origin   given, found or started
 * @param endpoint what to show a person: the URL with any password masked
 * @param env      the {@code TINYSCALE_*} variables that point the application at it, in a stable order
 */
public record Engine(String name, Origin origin, String endpoint, Map<String, String> env) {

    public Engine {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(endpoint, "endpoint");
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** Whether devstack started it (and so stops it on close). */
    public boolean started() {
        return origin == Origin.STARTED;
    }
}
