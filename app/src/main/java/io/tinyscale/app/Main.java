package io.tinyscale.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The app's entry point: Quarkus' own, with one system property that must be set before
 * Quarkus' HTTP layer loads.
 *
 * <p>{@code vertx.disableURIValidation}: Quarkus parses every request's URI with
 * {@code java.net.URI} before routing it and answers a bare, empty 400 when that fails. The
 * redirect checks the shape of its path itself (a code is letters, digits, '_' and '-'), and
 * every other request is checked by {@code web/Routes}, which answers a malformed URI with a
 * {@code malformed-uri} problem document. The parse was 1 % of a redirect's CPU. Tests set the
 * same property through the build (jvm.flags in the root pom).
 */
@QuarkusMain
public class Main {
  public static void main(String... args) {
    System.setProperty("vertx.disableURIValidation", "true");
    Quarkus.run(args);
  }
}
