package io.tinyscale.app.redirect;

import io.tinyscale.app.http.Routes;
import io.tinyscale.app.platform.Settings;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The hot path's route: {@code GET|HEAD /{code}}, first of all (see {@link Routes}). No path
 * pattern on the route: the handler checks the shape of the path with a loop, cheaper than
 * vertx-web's regex route, and passes anything else on. It sets the security headers and records
 * its own metric.
 */
@ApplicationScoped
class RedirectRoute {
  void register(@Observes Router router, RedirectHandler redirects, Settings settings) {
    if (!settings.role().servesRequests()) {
      return; // a worker answers health and metrics only
    }
    router
        .route()
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .order(Routes.HOT_PATH)
        .handler(redirects);
  }
}
