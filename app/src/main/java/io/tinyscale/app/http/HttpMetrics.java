package io.tinyscale.app.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds{method,uri,status,outcome}}: Micrometer's HTTP server metric,
 * recorded here for every request instead of by Quarkus' HTTP binder (switched off in
 * application.properties), whose Vert.x hooks ran for every redirect even when told to skip it. The
 * redirect records itself through {@link #recordRedirect} with timers looked up by index; every
 * other request through {@link #measure}.
 *
 * <p>{@code uri} is a template, never the raw path, so the number of series stays bounded: the REST
 * resource's path template, else the path of the Vert.x route that answered (health, metrics,
 * OpenAPI, the dashboard), else {@code NOT_FOUND} for a 404 and {@code UNKNOWN} for the rest (CORS
 * preflights, requests refused before a resource matched), as Micrometer's own binders name them.
 */
@Singleton
public class HttpMetrics {
  private static final String REDIRECT_URI = "/{code}";
  // Where Quarkus REST puts the matched resource's path template (its observability handler,
  // present whenever Micrometer is): a local of the request's Vert.x context.
  private static final String REST_TEMPLATE = "UrlPathTemplate";
  private static final int FIRST_STATUS = 100;
  private static final int STATUSES = 500;

  private final MeterRegistry meters;
  // [0, STATUSES) for GET, [STATUSES, 2 × STATUSES) for HEAD; filled on first use
  private final Timer[] redirectTimers = new Timer[2 * STATUSES];

  HttpMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** GET|HEAD /{code}, answered by the redirect. */
  public void recordRedirect(HttpMethod method, int status, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    if (status < FIRST_STATUS || status >= FIRST_STATUS + STATUSES) {
      timer(method, status, REDIRECT_URI).record(nanos, TimeUnit.NANOSECONDS);
      return;
    }
    int index = (method == HttpMethod.HEAD ? STATUSES : 0) + status - FIRST_STATUS;
    Timer timer = redirectTimers[index];
    if (timer == null) {
      timer =
          timer(method, status, REDIRECT_URI); // a race registers the same meter twice: harmless
      redirectTimers[index] = timer;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Any other request: recorded when its response has been written. */
  void measure(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ended -> {
          int status = ctx.response().getStatusCode();
          timer(ctx.request().method(), status, uri(ctx, status))
              .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
  }

  private static String uri(RoutingContext ctx, int status) {
    if (ctx.request() instanceof HttpServerRequestInternal request
        && request.context().getLocal(REST_TEMPLATE) instanceof String template) {
      return template;
    }
    Route route = ctx.currentRoute();
    // "/" is Quarkus REST's own route, which answers requests that match no resource
    if (route != null && route.getPath() != null && !route.getPath().equals("/")) {
      return route.getPath();
    }
    return status == 404 ? "NOT_FOUND" : "UNKNOWN";
  }

  private Timer timer(HttpMethod method, int status, String uri) {
    return Timer.builder("http.server.requests")
        // Routes answers an unknown method before it is measured; this keeps the tag bounded anyway
        .tag("method", RequestPaths.isKnownMethod(method) ? method.name() : "OTHER")
        .tag("uri", uri)
        .tag("status", String.valueOf(status))
        .tag("outcome", outcome(status))
        .register(meters);
  }

  private static String outcome(int status) {
    return switch (status / 100) {
      case 1 -> "INFORMATIONAL";
      case 2 -> "SUCCESS";
      case 3 -> "REDIRECTION";
      case 4 -> "CLIENT_ERROR";
      case 5 -> "SERVER_ERROR";
      default -> "UNKNOWN";
    };
  }
}
