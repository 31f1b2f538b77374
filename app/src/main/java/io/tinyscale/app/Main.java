package io.tinyscale.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Quarkus' entry point, with two properties that must be set before its Vert.x layer loads. Each
 * switches off per-request work that every redirect paid for and TinyScale does not need: the URI
 * parse (the redirect checks its path itself; {@code http/Routes} answers a malformed URI with a
 * problem document) and the context-safety mark (read only by Hibernate Reactive, which TinyScale
 * does not use). Tests get the same properties from the root pom's jvm.flags; the cost of each is
 * in docs/benchmarks-log.md.
 */
@QuarkusMain
public class Main {
  public static void main(String... args) {
    System.setProperty("vertx.disableURIValidation", "true");
    System.setProperty(
        "io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.I_HAVE_CHECKED_EVERYTHING",
        "true");
    Quarkus.run(args);
  }
}
