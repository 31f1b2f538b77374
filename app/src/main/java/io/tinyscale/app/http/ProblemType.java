package io.tinyscale.app.http;

/**
 * Every kind of error the API answers, with its stable RFC 9457 {@code type}. docs/api.md lists
 * them; clients may switch on {@link #uri()}, never on the human-readable title or detail.
 */
public enum ProblemType {
  VALIDATION(400, "validation", "The request is not valid"),
  MALFORMED_JSON(400, "malformed-json", "The request body is not valid JSON"),
  MALFORMED_URI(400, "malformed-uri", "The request URI is not valid"),
  NON_CANONICAL_PATH(400, "non-canonical-path", "The request path is not in canonical form"),
  UNAUTHORIZED(401, "unauthorized", "Authentication required"),
  INVALID_CREDENTIALS(401, "invalid-credentials", "Email or password is wrong"),
  FORBIDDEN(403, "forbidden", "Not allowed"),
  NOT_FOUND(404, "not-found", "Not found"),
  LINK_NOT_FOUND(404, "link-not-found", "No such short link"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
  ALIAS_TAKEN(409, "alias-taken", "That alias is already taken"),
  EMAIL_TAKEN(409, "email-taken", "An account with that email exists"),
  REPLAY_IN_PROGRESS(409, "replay-in-progress", "A replay of the dead letters is running"),
  TOO_MANY_KEYS(409, "too-many-keys", "This account has as many API keys as it may hold"),
  LINK_GONE(410, "link-gone", "This short link has expired or been disabled"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  RATE_LIMITED(429, "rate-limited", "Too many requests"),
  TOO_MANY_STREAMS(429, "too-many-streams", "Too many live streams open"),
  INTERNAL(500, "internal", "Internal error"),
  NOT_IMPLEMENTED(501, "method-not-implemented", "Method not implemented"),
  DEPENDENCY_UNAVAILABLE(
      503, "dependency-unavailable", "A service TinyScale depends on is unavailable"),
  SHUTTING_DOWN(503, "shutting-down", "This server is shutting down");

  private static final String PREFIX = "urn:tinyscale:problem:";
  private final int status;
  private final String slug;
  private final String title;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String uri() {
    return PREFIX + slug;
  }

  public String title() {
    return title;
  }
}
