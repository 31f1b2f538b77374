package io.tinyscale.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * Error answers written straight on the Vert.x response, for routes outside the REST layer (the
 * redirect, body limits). Browsers get a small HTML page, API clients problem+json.
 */
@Singleton
public class Responses {
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private final ObjectMapper json;

  Responses(ObjectMapper json) {
    this.json = json;
  }

  /** An answer at a short link's address: HTML unless the client asks for JSON. */
  public void problem(RoutingContext ctx, ProblemType kind, String detail) {
    answer(ctx, kind, detail, wantsJson(ctx));
  }

  /**
   * A request refused before routing (unknown method, malformed or non-canonical path): its path
   * says nothing about who asked, so problem+json unless the client asks for HTML.
   */
  void refuse(RoutingContext ctx, ProblemType kind, String detail) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    answer(ctx, kind, detail, accept == null || !accept.contains("text/html"));
  }

  private void answer(RoutingContext ctx, ProblemType kind, String detail, boolean json) {
    MultiMap headers = ctx.response().headers();
    headers.set(HttpHeaders.CACHE_CONTROL, NO_STORE);
    ctx.response().setStatusCode(kind.status());
    if (json) {
      headers.set(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
      ctx.response().end(encode(Problem.of(kind, detail, ctx.request().path())));
    } else {
      headers.set(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
      ctx.response().end(page(kind, detail));
    }
  }

  private static boolean wantsJson(RoutingContext ctx) {
    if (ctx.request().path().startsWith("/api/")) {
      return true;
    }
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    return accept != null && accept.contains("json") && !accept.contains("text/html");
  }

  private String encode(Problem problem) {
    try {
      return json.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a problem document", e);
    }
  }

  private static String page(ProblemType kind, String detail) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>%d %s · TinyScale</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#222}
        h1{font-size:1.4rem}p{color:#555}</style></head>
        <body><h1>%s</h1><p>%s</p></body></html>
        """
        .formatted(kind.status(), escape(kind.title()), escape(kind.title()), escape(detail));
  }

  private static String escape(String text) {
    return text == null
        ? ""
        : text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
  }
}
