package io.tinyscale.app.link;

import static io.tinyscale.storage.jooq.Tables.URLS;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.tinyscale.storage.jooq.tables.records.UrlsRecord;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jooq.Field;

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
  private final LinkCache cache;
  private final UrlPolicy policy;
  private final Vertx vertx;

  LinkService(LinkRepository links, LinkCache cache, Settings settings, Vertx vertx) {
    this.links = links;
    this.cache = cache;
    this.vertx = vertx;
    this.policy =
        new UrlPolicy(settings.baseUrl(), new HashSet<>(settings.blockedHosts().orElse(List.of())));
  }

  UrlsRecord shorten(long userId, ShortenRequest request) {
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
      UrlsRecord created =
          links
              .insert(alias, url, userId, expiresAt, type)
              .orElseThrow(
                  () -> new ProblemException(ProblemType.ALIAS_TAKEN, "choose another alias"));
      cache.invalidate(alias); // a scan may have cached it as unknown
      return created;
    }
    for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      Optional<UrlsRecord> created =
          links.insert(ShortCodes.random(), url, userId, expiresAt, type);
      if (created.isPresent()) {
        cache.invalidate(created.get().getShortCode());
        return created.get();
      }
    }
    throw new IllegalStateException("no free short code after " + CODE_ATTEMPTS + " attempts");
  }

  /** One page of an account's live links, newest first, and how many it owns in all. */
  record OwnedPage(List<UrlsRecord> links, int total) {}

  OwnedPage list(long userId, int page, int size) {
    return new OwnedPage(links.listOwned(userId, page * size, size), links.countOwned(userId));
  }

  /** The caller's live link; another account's link is reported as missing. */
  public Optional<UrlsRecord> find(long userId, String code) {
    return links.findOwned(userId, code);
  }

  /**
   * Applies a JSON merge-style patch: fields present are changed, {@code expiresAt: null} clears.
   */
  UrlsRecord update(long userId, String code, JsonNode patch) {
    if (patch == null || !patch.isObject() || patch.isEmpty()) {
      throw ProblemException.invalid("body", "send a JSON object with any of " + PATCHABLE);
    }
    List<FieldError> errors = new ArrayList<>();
    Map<Field<?>, Object> changes = new LinkedHashMap<>();
    patch
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!PATCHABLE.contains(name)) {
                errors.add(new FieldError(name, "cannot be changed; allowed: " + PATCHABLE));
              }
            });
    JsonNode value;
    if ((value = patch.get("url")) != null) {
      changes.put(URLS.ORIGINAL_URL, checkUrl(value.isTextual() ? value.asText() : null, errors));
    }
    if ((value = patch.get("expiresAt")) != null) {
      changes.put(
          URLS.EXPIRES_AT,
          value.isNull() ? null : parseExpiry(value.isTextual() ? value.asText() : "?", errors));
    }
    if ((value = patch.get("redirectType")) != null) {
      RedirectType type = value.isInt() ? checkType(value.asInt(), errors) : checkType(-1, errors);
      changes.put(URLS.REDIRECT_TYPE, type == null ? null : (short) type.status());
    }
    if ((value = patch.get("disabled")) != null) {
      if (!value.isBoolean()) {
        errors.add(new FieldError("disabled", "must be true or false"));
      }
      changes.put(URLS.DISABLED, value.asBoolean());
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    UrlsRecord updated = links.update(userId, code, changes).orElseThrow(() -> notFound(code));
    invalidateEverywhere(code);
    return updated;
  }

  void delete(long userId, String code) {
    if (!links.softDelete(userId, code)) {
      throw notFound(code);
    }
    invalidateEverywhere(code);
  }

  public static ProblemException notFound(String code) {
    return new ProblemException(ProblemType.LINK_NOT_FOUND, "you have no link /" + code);
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
