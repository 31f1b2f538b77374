package io.tinyscale.app.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyscale.app.account.Caller;
import io.tinyscale.app.http.Problem.FieldError;
import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemType;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.AliasCheck;
import io.tinyscale.core.Aliases;
import io.tinyscale.core.RedirectType;
import io.tinyscale.core.ShortCodes;
import io.tinyscale.core.UrlCheck;
import io.tinyscale.core.UrlPolicy;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** The rules for creating, changing and deleting links; the REST resource only adapts them. */
@ApplicationScoped
public class LinkService {
  private static final int CODE_ATTEMPTS = 5;
  // A replica may have read the old row just before the change committed and cache it after
  // our invalidation; a second invalidation a moment later closes that window.
  private static final long SECOND_INVALIDATION_MS = 1_000;
  // four-digit years only: what ISO-8601 instants, Postgres' timestamptz and every client agree on
  private static final OffsetDateTime LATEST_EXPIRY =
      OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC);
  private static final Set<String> PATCHABLE =
      Set.of("url", "expiresAt", "redirectType", "disabled");

  /** A request to shorten a URL; only {@code url} is required. */
  public record ShortenRequest(String url, String alias, String expiresAt, Integer redirectType) {}

  private final LinkRepository links;
  private final LinkAccess access;
  private final LinkCache cache;
  private final UrlPolicy policy;
  private final Vertx vertx;

  LinkService(
      LinkRepository links, LinkAccess access, LinkCache cache, Settings settings, Vertx vertx) {
    this.links = links;
    this.access = access;
    this.cache = cache;
    this.vertx = vertx;
    this.policy =
        new UrlPolicy(settings.baseUrl(), new HashSet<>(settings.blockedHosts().orElse(List.of())));
  }

  Link shorten(Caller caller, ShortenRequest request) {
    if (request == null) {
      throw ProblemException.invalid("url", "is required");
    }
    List<FieldError> errors = new ArrayList<>();
    String url = checkUrl(request.url(), errors);
    String alias = null;
    if (request.alias() != null) {
      switch (Aliases.check(request.alias())) {
        case AliasCheck.Valid v -> alias = v.alias();
        case AliasCheck.Invalid i -> errors.add(new FieldError("alias", i.reason()));
      }
    }
    OffsetDateTime expiresAt = parseExpiry(request.expiresAt(), errors);
    RedirectType type =
        request.redirectType() == null
            ? RedirectType.DEFAULT
            : checkType(request.redirectType(), errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    if (alias != null) {
      Link created =
          links
              .insert(alias, url, caller.userId(), expiresAt, type)
              .orElseThrow(
                  () -> new ProblemException(ProblemType.ALIAS_TAKEN, "choose another alias"));
      cache.invalidate(alias); // a scan may have cached it as unknown
      return created;
    }
    Link created =
        withFreeCode(
            ShortCodes::random, code -> links.insert(code, url, caller.userId(), expiresAt, type));
    cache.invalidate(created.code());
    return created;
  }

  /**
   * Inserts under random codes until one is free: a taken code (odds: links stored in 62^7) costs
   * one more attempt; {@value #CODE_ATTEMPTS} collisions in a row mean something else is wrong.
   */
  static <T> T withFreeCode(Supplier<String> codes, Function<String, Optional<T>> insert) {
    for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      Optional<T> created = insert.apply(codes.get());
      if (created.isPresent()) {
        return created.get();
      }
    }
    throw new IllegalStateException("no free short code after " + CODE_ATTEMPTS + " attempts");
  }

  /**
   * Applies a JSON merge-style patch: fields present are changed, {@code expiresAt: null} clears.
   */
  Link update(Caller caller, String code, JsonNode patch) {
    Link link = access.require(caller, code);
    if (patch == null || !patch.isObject() || patch.isEmpty()) {
      throw ProblemException.invalid("body", "send a JSON object with any of " + PATCHABLE);
    }
    List<FieldError> errors = new ArrayList<>();
    patch
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!PATCHABLE.contains(name)) {
                errors.add(new FieldError(name, "cannot be changed; allowed: " + PATCHABLE));
              }
            });
    JsonNode url = patch.get("url");
    JsonNode expiresAt = patch.get("expiresAt");
    JsonNode redirectType = patch.get("redirectType");
    JsonNode disabled = patch.get("disabled");
    LinkChanges changes =
        new LinkChanges(
            url == null ? null : checkUrl(url.isTextual() ? url.asText() : null, errors),
            expiresAt != null,
            expiresAt == null || expiresAt.isNull()
                ? null
                : parseExpiry(expiresAt.isTextual() ? expiresAt.asText() : "?", errors),
            redirectType == null
                ? null
                : checkType(redirectType.isInt() ? redirectType.asInt() : -1, errors),
            disabled == null ? null : disabled.asBoolean());
    if (disabled != null && !disabled.isBoolean()) {
      errors.add(new FieldError("disabled", "must be true or false"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    Link updated = links.update(link.id(), changes).orElseThrow(() -> LinkAccess.notFound(code));
    invalidateEverywhere(code);
    return updated;
  }

  void delete(Caller caller, String code) {
    if (!links.softDelete(access.require(caller, code).id())) {
      throw LinkAccess.notFound(code);
    }
    invalidateEverywhere(code);
  }

  private void invalidateEverywhere(String code) {
    cache.invalidate(code);
    vertx.setTimer(
        SECOND_INVALIDATION_MS,
        id ->
            vertx.executeBlocking(
                () -> {
                  cache.invalidate(code);
                  return null;
                }));
  }

  private String checkUrl(String url, List<FieldError> errors) {
    return switch (policy.check(url)) {
      case UrlCheck.Accepted a -> a.url();
      case UrlCheck.Rejected r -> {
        errors.add(new FieldError("url", r.reason()));
        yield null;
      }
    };
  }

  private static OffsetDateTime parseExpiry(String text, List<FieldError> errors) {
    if (text == null) {
      return null;
    }
    try {
      OffsetDateTime at = OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
      if (!at.isAfter(OffsetDateTime.now(ZoneOffset.UTC))) {
        errors.add(new FieldError("expiresAt", "must be in the future"));
      } else if (at.isAfter(LATEST_EXPIRY)) {
        errors.add(
            new FieldError(
                "expiresAt",
                "must be before the year 10000; leave it out for a link that never expires"));
      }
      return at;
    } catch (DateTimeException e) { // unparseable, or beyond what an OffsetDateTime can hold in UTC
      errors.add(
          new FieldError("expiresAt", "must be an ISO-8601 instant such as 2030-01-31T12:00:00Z"));
      return null;
    }
  }

  private static RedirectType checkType(int status, List<FieldError> errors) {
    Optional<RedirectType> type = RedirectType.of(status);
    if (type.isEmpty()) {
      errors.add(new FieldError("redirectType", "must be one of 301, 302, 307, 308"));
    }
    return type.orElse(null);
  }
}
