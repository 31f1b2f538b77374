package io.tinyscale.app.redirect;

import io.tinyscale.app.capture.ClickSink;
import io.tinyscale.app.http.ClientAddress;
import io.tinyscale.app.http.HttpMetrics;
import io.tinyscale.app.http.ProblemType;
import io.tinyscale.app.http.RequestPaths;
import io.tinyscale.app.http.Responses;
import io.tinyscale.app.http.SecurityHeaders;
import io.tinyscale.app.link.CachedLink;
import io.tinyscale.app.link.LinkCache;
import io.tinyscale.app.link.LinkLookup;
import io.tinyscale.app.platform.ClickCapture;
import io.tinyscale.app.platform.Draining;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.app.ratelimit.RateLimiter;
import io.tinyscale.app.ratelimit.RateLimiter.Scope;
import io.tinyscale.core.Aliases;
import io.tinyscale.core.UuidV7;
import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.enrich.IpAnonymizer;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * GET /{code}: the hot path. Runs on the event loop; an L1 hit answers without leaving it, a miss
 * continues asynchronously (Redis, then Postgres on a worker thread). The click is handed to the
 * {@link ClickSink} (the journal) before the answer, without waiting for Kafka.
 *
 * <p>This bean and the ones it calls per request are {@code @Singleton}, not
 * {@code @ApplicationScoped}: they are called directly rather than through ArC's client proxies,
 * which look the bean up on every call.
 */
@Singleton
public class RedirectHandler implements Handler<RoutingContext> {
  private static final Logger LOG = Logger.getLogger(RedirectHandler.class);

  // Temporary redirects must reach us every time (each one is a click); permanent ones are the
  // owner's explicit choice to let browsers remember them, for an hour at most and never past
  // the link's expiry, so that disabling or changing a link takes effect within the hour, and
  // never in a cache shared by several visitors (whose clicks would not reach us either).
  /** With TINYSCALE_EXPOSE_EVENT_ID (tests only): the click's event id, so a test can find it. */
  static final CharSequence EVENT_ID_HEADER = HttpHeaders.createOptimized("X-TinyScale-Event-Id");

  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("private, no-store");
  static final long PERMANENT_MAX_AGE_SECONDS = 3600;
  private static final CharSequence PERMANENT =
      HttpHeaders.createOptimized("private, max-age=" + PERMANENT_MAX_AGE_SECONDS);

  private final LinkCache cache;
  private final ClickSink clicks;
  private final ClientAddress clients;
  private final Responses responses;
  private final HttpMetrics metrics;
  private final SecurityHeaders securityHeaders;
  private final Draining draining;
  private final RateLimiter limiter;

  private final boolean keepFullIp;
  private final boolean exposeEventId;
  private final boolean captureClicks;
  private final boolean syncEachClick;

  RedirectHandler(
      LinkCache cache,
      ClickSink clicks,
      ClientAddress clients,
      Responses responses,
      HttpMetrics metrics,
      SecurityHeaders securityHeaders,
      RateLimiter limiter,
      Draining draining,
      Settings settings) {
    this.limiter = limiter;
    this.draining = draining;
    this.keepFullIp = settings.keepFullIp();
    this.exposeEventId = settings.exposeEventId();
    this.captureClicks = settings.clickCapture() != ClickCapture.OFF;
    this.syncEachClick = clicks.syncsEachClick();
    this.cache = cache;
    this.clicks = clicks;
    this.clients = clients;
    this.responses = responses;
    this.metrics = metrics;
    this.securityHeaders = securityHeaders;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String code = RequestPaths.codeOf(ctx.request().path());
    if (!Aliases.looksLikeCode(code)) { // not /{code}, or a route of its own: the next route's
      ctx.next();
      return;
    }
    securityHeaders.apply(ctx);
    draining.closeConnectionWhileDraining(ctx);
    switch (cache.fromMemory(code)) {
      case LinkLookup.Hit(CachedLink link) -> answer(ctx, code, link);
      case LinkLookup.KnownMissing missing -> notFound(ctx, code);
      case LinkLookup.Unknown unknown -> {
        load(ctx, code, start);
        return; // recorded when the load has answered
      }
    }
    metrics.recordRedirect(ctx.request().method(), ctx.response().getStatusCode(), start);
  }

  /** L2 then Postgres, off the event loop, for a code L1 does not know. */
  private void load(RoutingContext ctx, String code, long start) {
    // a miss costs Redis and maybe Postgres: limited per client network, so a scan of random
    // codes from one client cannot turn into a flood of queries
    RateLimiter.Decision allowed =
        limiter.check(Scope.MISS, IpAnonymizer.subscriberNetwork(clients.of(ctx.request())));
    if (!allowed.allowed()) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(allowed.retryAfterSeconds()));
      responses.problem(
          ctx,
          ProblemType.RATE_LIMITED,
          "too many unknown or uncached links asked for; retry in "
              + allowed.retryAfterSeconds()
              + " s");
      metrics.recordRedirect(ctx.request().method(), ctx.response().getStatusCode(), start);
      return;
    }
    cache
        .load(code, ctx.vertx())
        .onComplete(
            result -> {
              if (result.succeeded()) {
                result
                    .result()
                    .ifPresentOrElse(link -> answer(ctx, code, link), () -> notFound(ctx, code));
              } else {
                LOG.warnf("Lookup of /%s failed: %s", code, result.cause().toString());
                responses.problem(
                    ctx,
                    ProblemType.DEPENDENCY_UNAVAILABLE,
                    "the link store is unavailable; retry shortly");
              }
              metrics.recordRedirect(ctx.request().method(), ctx.response().getStatusCode(), start);
            });
  }

  private void notFound(RoutingContext ctx, String code) {
    responses.problem(ctx, ProblemType.LINK_NOT_FOUND, "there is no link /" + code);
  }

  /** Ends the response: a redirect, or 410 for a link expired or disabled. */
  private void answer(RoutingContext ctx, String code, CachedLink link) {
    long now = System.currentTimeMillis();
    if (link.isGoneAt(now)) {
      responses.problem(ctx, ProblemType.LINK_GONE, "the link /" + code + " is no longer active");
      return;
    }
    MultiMap headers = ctx.response().headers();
    headers.add(HttpHeaders.LOCATION, link.url());
    headers.add(
        HttpHeaders.CACHE_CONTROL,
        link.type().isPermanent() ? permanentCaching(link, now) : NO_STORE);
    ctx.response().setStatusCode(link.type().status());
    if (ctx.request().method() != HttpMethod.GET || !captureClicks) {
      ctx.response().end();
      return;
    }
    ClickEvent click =
        new ClickEvent(
            UuidV7.next(),
            code,
            link.urlId(),
            Instant.ofEpochMilli(now),
            // truncated here, before the click is stored anywhere (the journal, Kafka, Postgres)
            IpAnonymizer.anonymize(clients.of(ctx.request()), keepFullIp),
            ctx.request().getHeader(HttpHeaders.USER_AGENT),
            ctx.request().getHeader(HttpHeaders.REFERER));
    if (exposeEventId) {
      headers.add(EVENT_ID_HEADER, click.eventId().toString());
    }
    // in the journal before the answer: a click answered is a click counted, even if this
    // process dies the next moment
    if (syncEachClick) {
      Context eventLoop = ctx.vertx().getOrCreateContext(); // this request's
      clicks.acceptDurably(click, () -> eventLoop.runOnContext(v -> ctx.response().end()));
    } else {
      clicks.accept(click);
      ctx.response().end();
    }
  }

  private static CharSequence permanentCaching(CachedLink link, long now) {
    if (link.expiresAt() == null) {
      return PERMANENT;
    }
    long untilExpiry = (link.expiresAt().toEpochMilli() - now) / 1000;
    return untilExpiry >= PERMANENT_MAX_AGE_SECONDS
        ? PERMANENT
        : "private, max-age=" + Math.max(0, untilExpiry);
  }
}
