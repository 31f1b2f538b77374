package io.tinyscale.app.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/** Headers every response carries. Values are pre-encoded: this runs on every redirect. */
@Singleton
public class SecurityHeaders {
  private static final CharSequence CSP = HttpHeaders.createOptimized("Content-Security-Policy");
  private static final CharSequence STRICT_CSP =
      HttpHeaders.createOptimized(
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  // Swagger UI is a page with inline scripts and styles of its own.
  private static final CharSequence DOCS_CSP =
      HttpHeaders.createOptimized(
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
              + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'");
  // The dashboard (dashboard/, Vite) has no inline script or style: only its own files run, and
  // it talks to this origin's API alone.
  private static final CharSequence DASHBOARD_CSP =
      HttpHeaders.createOptimized(
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              + "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
              + "form-action 'self'");
  private static final CharSequence NOSNIFF_NAME =
      HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence REFERRER_NAME = HttpHeaders.createOptimized("Referrer-Policy");
  private static final CharSequence REFERRER =
      HttpHeaders.createOptimized("strict-origin-when-cross-origin");
  private static final CharSequence FRAME_NAME = HttpHeaders.createOptimized("X-Frame-Options");
  private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
  private static final CharSequence HSTS_NAME =
      HttpHeaders.createOptimized("Strict-Transport-Security");
  private static final CharSequence HSTS =
      HttpHeaders.createOptimized("max-age=31536000; includeSubDomains");

  private final ClientAddress clients;

  SecurityHeaders(ClientAddress clients) {
    this.clients = clients;
  }

  public void apply(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    String path = ctx.request().path();
    headers.add(
        CSP,
        path.startsWith("/dashboard")
            ? DASHBOARD_CSP
            : path.startsWith("/api/docs") ? DOCS_CSP : STRICT_CSP);
    headers.add(NOSNIFF_NAME, NOSNIFF);
    headers.add(REFERRER_NAME, REFERRER);
    headers.add(FRAME_NAME, DENY);
    if (clients.isSecure(ctx.request())) {
      headers.add(HSTS_NAME, HSTS);
    }
  }
}
