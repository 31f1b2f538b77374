package io.tinyscale.app.account;

import io.tinyscale.app.http.ClientAddress;
import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemType;
import io.tinyscale.app.ratelimit.RateLimiter;
import io.tinyscale.app.ratelimit.RateLimiter.Decision;
import io.tinyscale.app.ratelimit.RateLimiter.Scope;
import io.tinyscale.core.enrich.IpAnonymizer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The door of every REST resource, deny by default. What a request may do is decided on the
 * resource method the router matched, never on the path's spelling: a method declared {@link
 * Public} (sign-up, login) is limited per client network (TINYSCALE_AUTH_RATE_LIMIT); any other
 * needs an API key or a session, is limited per client network before authentication
 * (TINYSCALE_IP_RATE_LIMIT, so random keys cannot hammer Postgres) and per key after it
 * (TINYSCALE_API_RATE_LIMIT); one declared {@link AdminOnly} needs the stored admin flag. Runs on
 * the worker thread of the (blocking) resource, so Redis and Postgres calls here are allowed.
 */
public class ApiGate {
  private static final String CALLER = "tinyscale.caller";
  private static final String DECISION = "tinyscale.ratelimit";

  private enum Access {
    PUBLIC,
    CALLER,
    ADMIN
  }

  private final Authenticator authenticator;
  private final RateLimiter limiter;
  private final ClientAddress clients;
  private final Map<Method, Access> accessByMethod = new ConcurrentHashMap<>();

  ApiGate(Authenticator authenticator, RateLimiter limiter, ClientAddress clients) {
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.clients = clients;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public void filter(
      ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
    String network = IpAnonymizer.subscriberNetwork(clients.of(http));
    Access access = access(resource);
    if (access == Access.PUBLIC) {
      limit(request, Scope.AUTH, network, true);
      return;
    }
    limit(request, Scope.IP, network, false);
    Caller caller = authenticate(request).orElseThrow(ApiGate::unauthorized);
    request.setProperty(CALLER, caller);
    limit(request, Scope.API, caller.rateKey(), true);
    if (access == Access.ADMIN && !caller.admin()) {
      throw new ProblemException(
          ProblemType.FORBIDDEN,
          "admins only: the operator makes an account admin with './tinyscale admin grant EMAIL'");
    }
  }

  /**
   * The account of an authenticated request (set by {@link #filter}). A resource called without one
   * (which the gate should have made impossible) answers 401, never 500.
   */
  public static Caller caller(ContainerRequestContext request) {
    if (request.getProperty(CALLER) instanceof Caller caller) {
      return caller;
    }
    throw unauthorized();
  }

  @ServerResponseFilter
  public void headers(ContainerRequestContext request, ContainerResponseContext response) {
    MultivaluedMap<String, Object> headers = response.getHeaders();
    rateLimitHeaders(request).forEach(headers::putSingle);
    // every API answer is the caller's own or carries a key or a session: no cache may keep it
    if (!headers.containsKey(HttpHeaders.CACHE_CONTROL)) {
      headers.putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
    }
  }

  /**
   * The RateLimit-* headers of the request's decision, for a resource that writes its response head
   * itself (the live stream), which this class's response filter cannot reach.
   */
  public static Map<String, String> rateLimitHeaders(ContainerRequestContext request) {
    if (request.getProperty(DECISION) instanceof Decision d) {
      return Map.of(
          "RateLimit-Limit", Long.toString(d.limit()),
          "RateLimit-Remaining", Long.toString(d.remaining()),
          "RateLimit-Reset", Long.toString(d.resetSeconds()));
    }
    return Map.of();
  }

  private Access access(ResourceInfo resource) {
    Method method = resource == null ? null : resource.getResourceMethod();
    if (method == null) {
      return Access.CALLER;
    }
    return accessByMethod.computeIfAbsent(
        method,
        m -> {
          Class<?> type = m.getDeclaringClass();
          if (m.isAnnotationPresent(AdminOnly.class) || type.isAnnotationPresent(AdminOnly.class)) {
            return Access.ADMIN;
          }
          return m.isAnnotationPresent(Public.class) || type.isAnnotationPresent(Public.class)
              ? Access.PUBLIC
              : Access.CALLER;
        });
  }

  /**
   * One token of {@code scope}; {@code headers}: this limit is the one the RateLimit-* headers
   * show.
   */
  private void limit(ContainerRequestContext request, Scope scope, String key, boolean headers) {
    Decision d = limiter.check(scope, key);
    if (headers || !d.allowed()) {
      request.setProperty(DECISION, d);
    }
    if (!d.allowed()) {
      throw new ProblemException(
          ProblemType.RATE_LIMITED,
          "rate limit of "
              + d.limit()
              + " requests a minute reached; retry in "
              + d.retryAfterSeconds()
              + " s",
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
    Cookie session = request.getCookies().get(Sessions.COOKIE);
    return session == null ? Optional.empty() : authenticator.bySession(session.getValue());
  }

  private static ProblemException unauthorized() {
    return new ProblemException(
        ProblemType.UNAUTHORIZED,
        "send 'Authorization: Bearer <api key>' or log in at /api/auth/login",
        Map.of("WWW-Authenticate", "Bearer realm=\"tinyscale\""));
  }
}
