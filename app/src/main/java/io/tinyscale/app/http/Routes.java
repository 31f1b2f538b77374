package io.tinyscale.app.http;

import io.tinyscale.app.platform.Draining;
import io.tinyscale.app.platform.Settings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The HTTP route table outside the REST resources, in the order Vert.x runs it:
 *
 * <ol>
 *   <li>{@link #HOT_PATH}: {@code GET|HEAD /{code}}, the redirect ({@code redirect/RedirectRoute});
 *   <li>{@link #REQUEST_GUARD}: every other request's checks, registered here;
 *   <li>{@link #PAGES}: the dashboard's files ({@code dashboard/DashboardRoute});
 *   <li>then Quarkus' own: CORS, the REST API (/api/**), health, metrics and OpenAPI.
 * </ol>
 */
@ApplicationScoped
public class Routes {
  static final int MAX_BODY_BYTES = 16 * 1024;

  /**
   * Quarkus' own first routes (the one that resumes the paused request) hold the two lowest orders.
   * The redirect comes right after, before Quarkus' CORS, HTTP security and RESTEasy routes, none
   * of which it needs: a cache hit ends the request before the router walks them.
   */
  public static final int HOT_PATH = Integer.MIN_VALUE + 2;

  static final int REQUEST_GUARD = HOT_PATH + 1;

  /** Pages outside the REST API, after the guard: /dashboard. */
  public static final int PAGES = REQUEST_GUARD + 1;

  void register(
      @Observes Router router,
      SecurityHeaders securityHeaders,
      HttpMetrics metrics,
      Responses responses,
      Draining draining,
      Settings settings) {
    boolean servesRequests = settings.role().servesRequests();
    // Every request the redirect passes on: an unknown method refused before anything is
    // recorded per method; then security headers on whatever answers it, its metric, a malformed
    // URI refused with a problem document (Quarkus' own check, which answers an empty 400, is
    // off: see Main), a path the router would read differently from its raw form refused
    // (RequestPaths), a worker's answer to anything but health and metrics, and declared
    // oversized bodies refused before anything reads them (Quarkus' own limit,
    // quarkus.http.limits.max-body-size, still catches chunked ones).
    router
        .route()
        .order(REQUEST_GUARD)
        .handler(
            ctx -> {
              securityHeaders.apply(ctx);
              draining.closeConnectionWhileDraining(ctx);
              if (!RequestPaths.isKnownMethod(ctx.request().method())) {
                responses.refuse(
                    ctx, ProblemType.NOT_IMPLEMENTED, RequestPaths.UNKNOWN_METHOD_DETAIL);
                return;
              }
              metrics.measure(ctx);
              String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              if (!isValidUri(ctx.request().uri())) {
                responses.refuse(
                    ctx,
                    ProblemType.MALFORMED_URI,
                    "the request URI is not a valid URI (RFC 3986)");
              } else if (!RequestPaths.isCanonical(ctx.request().path(), ctx.normalizedPath())) {
                responses.refuse(
                    ctx, ProblemType.NON_CANONICAL_PATH, RequestPaths.NON_CANONICAL_DETAIL);
              } else if (!servesRequests && !RequestPaths.isOperational(ctx.request().path())) {
                responses.refuse(
                    ctx,
                    ProblemType.NOT_FOUND,
                    "this process runs the click consumers (TINYSCALE_ROLE=worker): it answers"
                        + " /health and /metrics only");
              } else if (RequestPaths.isLinkPath(ctx.request().path())
                  && !RequestPaths.isRedirectMethod(ctx.request().method())
                  && ctx.request().method() != HttpMethod.OPTIONS) {
                ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
                responses.refuse(
                    ctx, ProblemType.METHOD_NOT_ALLOWED, "a short link answers GET and HEAD");
              } else if (length != null && isOver(length)) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                responses.refuse(
                    ctx, ProblemType.PAYLOAD_TOO_LARGE, "request bodies are limited to 16 KB");
              } else {
                ctx.next();
              }
            });
  }

  private static boolean isValidUri(String uri) {
    try {
      new URI(uri);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isOver(String length) {
    try {
      return Long.parseLong(length.trim()) > MAX_BODY_BYTES;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
