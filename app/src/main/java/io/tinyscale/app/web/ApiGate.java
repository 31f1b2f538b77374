package io.tinyscale.app.web;

import io.tinyscale.app.account.Authenticator;
import io.tinyscale.app.account.Caller;
import io.tinyscale.app.ratelimit.RateLimiter;
import io.tinyscale.app.ratelimit.RateLimiter.Decision;
import io.tinyscale.app.ratelimit.RateLimiter.Scope;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import io.tinyscale.app.ops.Settings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The door of /api/**: rate limits, then authentication. Sign-up and login are limited per
 * client IP (TINYSCALE_AUTH_RATE_LIMIT); everything else needs an API key or a session and is
 * limited per key (TINYSCALE_API_RATE_LIMIT). Runs on the worker thread of the (blocking)
 * resource, so Redis and Postgres calls here are allowed.
 */
public class ApiGate {
  private static final String CALLER = "tinyscale.caller";
  private static final String DECISION = "tinyscale.ratelimit";
  private static final String SESSION_COOKIE = "tinyscale_session";

  private final Authenticator authenticator;
  private final RateLimiter limiter;
  private final ClientAddress clients;
  private final Set<String> admins;

  ApiGate(Authenticator authenticator, RateLimiter limiter, ClientAddress clients, Settings settings) {
    this.admins = settings.adminEmails().orElse(List.of()).stream()
        .map(e -> e.trim().toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.clients = clients;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public void filter(ContainerRequestContext request, HttpServerRequest http) {
    String path = http.path();
    if (!path.startsWith("/api/")) {
      return;
    }
    if (path.startsWith("/api/auth/register") || path.startsWith("/api/auth/login")) {
      limit(request, Scope.AUTH, "ip:" + clients.of(http));
      return;
    }
    Caller caller = authenticate(request)
        .orElseThrow(() -> new ProblemException(
            ProblemType.UNAUTHORIZED,
            "send 'Authorization: Bearer <api key>' or log in at /api/auth/login",
            Map.of("WWW-Authenticate", "Bearer realm=\"tinyscale\"")));
    request.setProperty(CALLER, caller);
    limit(request, Scope.API, caller.rateKey());
    if (path.startsWith("/api/admin/") && !admins.contains(caller.email())) {
      throw new ProblemException(ProblemType.FORBIDDEN, "only the accounts in TINYSCALE_ADMIN_EMAILS may use /api/admin");
    }
  }

  /** The account of an authenticated /api request (set by {@link #filter}). */
  public static Caller caller(ContainerRequestContext request) {
    return (Caller) request.getProperty(CALLER);
  }

  @ServerResponseFilter
  public void headers(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(DECISION) instanceof Decision d) {
      MultivaluedMap<String, Object> headers = response.getHeaders();
      headers.putSingle("RateLimit-Limit", d.limit());
      headers.putSingle("RateLimit-Remaining", d.remaining());
      headers.putSingle("RateLimit-Reset", d.resetSeconds());
    }
  }

  private void limit(ContainerRequestContext request, Scope scope, String key) {
    Decision d = limiter.check(scope, key);
    request.setProperty(DECISION, d);
    if (!d.allowed()) {
      throw new ProblemException(
          ProblemType.RATE_LIMITED,
          "rate limit of " + d.limit() + " requests a minute reached; retry in " + d.retryAfterSeconds() + " s",
          Map.of("Retry-After", Long.toString(d.retryAfterSeconds())));
    }
  }

  private Optional<Caller> authenticate(ContainerRequestContext request) {
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      return authorization.regionMatches(true, 0, "Bearer ", 0, 7)
          ? authenticator.byApiKey(authorization.substring(7).trim())
          : Optional.empty();
    }
    Cookie session = request.getCookies().get(SESSION_COOKIE);
    return session == null ? Optional.empty() : authenticator.bySession(session.getValue());
  }
}
