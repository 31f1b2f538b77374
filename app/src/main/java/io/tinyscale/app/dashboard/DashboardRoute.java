package io.tinyscale.app.dashboard;

import io.tinyscale.app.http.ProblemType;
import io.tinyscale.app.http.Responses;
import io.tinyscale.app.http.Routes;
import io.tinyscale.app.platform.Settings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /dashboard} and {@code /dashboard/*}: the dashboard's files from memory ({@link
 * DashboardFiles}), public like any static asset (the pages ask the API, which checks the caller).
 * A path that names no file and has no extension is one of the dashboard's own routes
 * (/dashboard/links/abc1234), answered with index.html, where the dashboard's router takes it.
 */
@ApplicationScoped
class DashboardRoute {
  static final String PREFIX = "/dashboard/";

  void register(@Observes Router router, Responses responses, Settings settings) {
    if (!settings.role().servesRequests()) {
      return;
    }
    DashboardFiles files = DashboardFiles.fromClassPath(DashboardRoute.class.getClassLoader());
    for (String path : new String[] {"/dashboard", "/dashboard/*"}) {
      router.route(path).order(Routes.PAGES).handler(ctx -> serve(ctx, files, responses));
    }
  }

  private static void serve(RoutingContext ctx, DashboardFiles files, Responses responses) {
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
      responses.problem(ctx, ProblemType.METHOD_NOT_ALLOWED, "the dashboard answers GET and HEAD");
      return;
    }
    String path = ctx.normalizedPath();
    String name = path.length() <= PREFIX.length() ? "" : path.substring(PREFIX.length());
    var file = name.isEmpty() ? files.index() : files.get(name);
    if (file.isEmpty() && !name.isEmpty() && !lastSegment(name).contains(".")) {
      file = files.index();
    }
    if (file.isEmpty()) {
      responses.problem(ctx, ProblemType.NOT_FOUND, "the dashboard has no file " + path);
      return;
    }
    send(ctx, file.get());
  }

  private static void send(RoutingContext ctx, DashboardFiles.File file) {
    HttpServerResponse response = ctx.response();
    response.putHeader(HttpHeaders.CACHE_CONTROL, file.cacheControl());
    response.putHeader(HttpHeaders.ETAG, file.etag());
    if (file.gzipped() != null) {
      response.putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    }
    String known = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    if (known != null && known.contains(file.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType());
    byte[] body = file.body();
    if (file.gzipped() != null
        && acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING))) {
      response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
      body = file.gzipped();
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length)).end();
    } else {
      response.end(Buffer.buffer(body));
    }
  }

  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.split(",")) {
      String[] parts = coding.trim().split(";");
      if (parts[0].trim().equalsIgnoreCase("gzip")) {
        return parts.length == 1 || !parts[1].replace(" ", "").equalsIgnoreCase("q=0");
      }
    }
    return false;
  }

  private static String lastSegment(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
