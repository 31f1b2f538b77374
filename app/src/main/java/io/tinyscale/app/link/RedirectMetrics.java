package io.tinyscale.app.link;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds} for {@code GET|HEAD /{code}}, recorded by the redirect
 * itself with timers looked up by index. Quarkus' HTTP binder, which measures every other route,
 * skips these paths ({@code quarkus.micrometer.binder.http-server.ignore-patterns}): per request
 * it normalised the URI with regular expressions, built and sorted tags and looked the timer up
 * by them, 6 % of the redirect's CPU in a profile. Same name and tags, so dashboards and alerts
 * see one metric.
 */
@Singleton
class RedirectMetrics {
  static final String URI = "/{code}";
  private static final int FIRST_STATUS = 100;
  private static final int STATUSES = 500;

  private final MeterRegistry meters;
  // [0, STATUSES) for GET, [STATUSES, 2 × STATUSES) for HEAD; filled on first use
  private final Timer[] timers = new Timer[2 * STATUSES];

  RedirectMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void record(HttpMethod method, int status, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    if (status < FIRST_STATUS || status >= FIRST_STATUS + STATUSES) {
      timer(method, status, URI).record(nanos, TimeUnit.NANOSECONDS);
      return;
    }
    int index = (method == HttpMethod.HEAD ? STATUSES : 0) + status - FIRST_STATUS;
    Timer timer = timers[index];
    if (timer == null) {
      timer = timer(method, status, URI); // a race registers the same meter twice: harmless
      timers[index] = timer;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A reserved word ({@code /dashboard}, {@code /openapi}, …) that the redirect passed on to its
   * own route: the binder skips its path too, so it is measured here, under its own name.
   */
  void recordReserved(HttpMethod method, int status, long startNanos, String word) {
    timer(method, status, "/" + word.toLowerCase(Locale.ROOT)).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(HttpMethod method, int status, String uri) {
    return Timer.builder("http.server.requests")
        .tag("method", method.name())
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
