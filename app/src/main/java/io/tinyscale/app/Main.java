package io.tinyscale.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The app's entry point: Quarkus' own, with two system properties that must be set before Quarkus'
 * Vert.x layer loads. Both switch off per-request work that every redirect paid for and TinyScale
 * does not use. Tests set the same properties through the build (jvm.flags in the root pom).
 *
 * <p>{@code vertx.disableURIValidation}: Quarkus parses every request's URI with {@code
 * java.net.URI} before routing it and answers a bare, empty 400 when that fails. The redirect
 * checks the shape of its path itself (a code is letters, digits, '_' and '-'), and every other
 * request is checked by {@code web/Routes}, which answers a malformed URI with a {@code
 * malformed-uri} problem document. The parse was 1 % of a redirect's CPU.
 *
 * <p>{@code VertxContextSafetyToggle.I_HAVE_CHECKED_EVERYTHING}: Quarkus marks every request's
 * Vert.x context as "safe" (a map created per request, 1 % of a redirect's CPU) so that Hibernate
 * Reactive can check it. Nothing in TinyScale reads the mark: it has no Hibernate Reactive, and
 * Quarkus REST and Vert.x routes only set it.
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
