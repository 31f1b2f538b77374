package io.tinyscale.app.link;

import static io.tinyscale.storage.jooq.Tables.URLS;

import io.tinyscale.core.RedirectType;
import io.tinyscale.storage.jooq.tables.records.UrlsRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.IntegrityConstraintViolationException;

/** Links in Postgres. A deleted link keeps its row and its code, but no query here returns it. */
@ApplicationScoped
class LinkRepository {
  private final DSLContext dsl;

  LinkRepository(DSLContext dsl) {
    this.dsl = dsl;
  }

  Optional<CachedLink> findLive(String code) {
    return dsl.selectFrom(URLS)
        .where(URLS.SHORT_CODE.eq(code).and(URLS.DELETED_AT.isNull()))
        .fetchOptional()
        .map(LinkRepository::toCached);
  }

  /** Inserts the link; empty when the code is taken (by a live or a deleted link). */
  Optional<UrlsRecord> insert(
      String code, String url, long userId, OffsetDateTime expiresAt, RedirectType type) {
    try {
      return Optional.of(
          dsl.insertInto(URLS)
              .set(URLS.SHORT_CODE, code)
              .set(URLS.ORIGINAL_URL, url)
              .set(URLS.USER_ID, userId)
              .set(URLS.EXPIRES_AT, expiresAt)
              .set(URLS.REDIRECT_TYPE, (short) type.status())
              .returning()
              .fetchOne());
    } catch (IntegrityConstraintViolationException e) {
      return Optional.empty();
    }
  }

  Optional<UrlsRecord> findOwned(long userId, String code) {
    return dsl.selectFrom(URLS)
        .where(URLS.SHORT_CODE.eq(code).and(URLS.USER_ID.eq(userId)).and(URLS.DELETED_AT.isNull()))
        .fetchOptional();
  }

  List<UrlsRecord> listOwned(long userId, int offset, int limit) {
    return dsl.selectFrom(URLS)
        .where(URLS.USER_ID.eq(userId).and(URLS.DELETED_AT.isNull()))
        .orderBy(URLS.CREATED_AT.desc(), URLS.ID.desc())
        .offset(offset)
        .limit(limit)
        .fetch();
  }

  int countOwned(long userId) {
    return dsl.fetchCount(URLS, URLS.USER_ID.eq(userId).and(URLS.DELETED_AT.isNull()));
  }

  Optional<UrlsRecord> update(long userId, String code, Map<Field<?>, Object> changes) {
    return dsl.update(URLS)
        .set(changes)
        .set(URLS.UPDATED_AT, now())
        .where(URLS.SHORT_CODE.eq(code).and(URLS.USER_ID.eq(userId)).and(URLS.DELETED_AT.isNull()))
        .returning()
        .fetchOptional();
  }

  boolean softDelete(long userId, String code) {
    return dsl.update(URLS)
            .set(URLS.DELETED_AT, now())
            .set(URLS.UPDATED_AT, now())
            .where(
                URLS.SHORT_CODE.eq(code).and(URLS.USER_ID.eq(userId)).and(URLS.DELETED_AT.isNull()))
            .execute()
        == 1;
  }

  static CachedLink toCached(UrlsRecord r) {
    return new CachedLink(
        r.getId(),
        r.getOriginalUrl(),
        RedirectType.of(r.getRedirectType()).orElse(RedirectType.DEFAULT),
        r.getExpiresAt() == null ? null : r.getExpiresAt().toInstant(),
        r.getDisabled());
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
