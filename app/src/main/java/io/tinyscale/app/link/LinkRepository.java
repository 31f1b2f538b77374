package io.tinyscale.app.link;

import static io.tinyscale.storage.jooq.Tables.URLS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;

import io.tinyscale.core.RedirectType;
import io.tinyscale.storage.jooq.tables.records.UrlsRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.RecordMapper;
import org.jooq.SortOrder;
import org.jooq.UpdateSetMoreStep;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Links in Postgres. A deleted link keeps its row and its code, but no query here returns it. */
@ApplicationScoped
class LinkRepository {
  private static final Condition LIVE = URLS.DELETED_AT.isNull();
  private static final RecordMapper<UrlsRecord, Link> TO_LINK = LinkRepository::toLink;

  private final DSLContext dsl;

  LinkRepository(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** The live link with this code, whoever owns it. */
  Optional<Link> findLive(String code) {
    return dsl.selectFrom(URLS).where(URLS.SHORT_CODE.eq(code).and(LIVE)).fetchOptional(TO_LINK);
  }

  /** Inserts the link; empty when the code is taken (by a live or a deleted link). */
  Optional<Link> insert(
      String code, String url, long ownerId, OffsetDateTime expiresAt, RedirectType type) {
    try {
      return Optional.of(
          dsl.insertInto(URLS)
              .set(URLS.SHORT_CODE, code)
              .set(URLS.ORIGINAL_URL, url)
              .set(URLS.USER_ID, ownerId)
              .set(URLS.EXPIRES_AT, expiresAt)
              .set(URLS.REDIRECT_TYPE, (short) type.status())
              .returning()
              .fetchOne(TO_LINK));
    } catch (IntegrityConstraintViolationException e) {
      return Optional.empty();
    }
  }

  /** A page of the owner's live links in this order; ties in the order they were made. */
  List<Link> listOwned(long ownerId, LinkSort sort, int offset, int limit) {
    SortOrder order = sort.descending() ? SortOrder.DESC : SortOrder.ASC;
    Field<?> key =
        switch (sort.key()) {
          case CREATED_AT -> URLS.CREATED_AT;
          case CODE -> URLS.SHORT_CODE;
          // the same count as clickCounts, summed per link along url_stats_hourly's primary key
          case CLICKS ->
              DSL.coalesce(
                  DSL.select(DSL.sum(URL_STATS_HOURLY.COUNT))
                      .from(URL_STATS_HOURLY)
                      .where(URL_STATS_HOURLY.URL_ID.eq(URLS.ID))
                      .asField(),
                  BigDecimal.ZERO);
        };
    return dsl.selectFrom(URLS)
        .where(URLS.USER_ID.eq(ownerId).and(LIVE))
        .orderBy(key.sort(order), URLS.ID.sort(order))
        .offset(offset)
        .limit(limit)
        .fetch(TO_LINK);
  }

  List<Long> idsOwned(long ownerId) {
    return dsl.select(URLS.ID).from(URLS).where(URLS.USER_ID.eq(ownerId).and(LIVE)).fetch(URLS.ID);
  }

  int countOwned(long ownerId) {
    return dsl.fetchCount(URLS, URLS.USER_ID.eq(ownerId).and(LIVE));
  }

  /** A link's row as the search index keeps it, deleted links included. */
  record Revision(
      long id,
      String code,
      String url,
      long ownerId,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      boolean disabled,
      boolean deleted) {}

  /**
   * Links changed (created, changed or deleted) after the position {@code (updatedAt, id)}, in that
   * order: a keyset page of the change feed the search index follows.
   */
  List<Revision> changedAfter(OffsetDateTime updatedAt, long id, int limit) {
    return dsl.selectFrom(URLS)
        .where(DSL.row(URLS.UPDATED_AT, URLS.ID).gt(updatedAt, id))
        .orderBy(URLS.UPDATED_AT, URLS.ID)
        .limit(limit)
        .fetch(
            r ->
                new Revision(
                    r.getId(),
                    r.getShortCode(),
                    r.getOriginalUrl(),
                    r.getUserId(),
                    r.getCreatedAt(),
                    r.getUpdatedAt(),
                    r.getDisabled(),
                    r.getDeletedAt() != null));
  }

  /** The live links among these ids, by id. */
  Map<Long, Link> findLive(Collection<Long> ids) {
    return dsl.selectFrom(URLS).where(URLS.ID.in(ids).and(LIVE)).fetchMap(URLS.ID, TO_LINK);
  }

  /** Every click counted so far (the hourly rollups) of each link; links without any are absent. */
  Map<Long, Long> clickCounts(Collection<Long> ids) {
    return dsl.select(URL_STATS_HOURLY.URL_ID, DSL.sum(URL_STATS_HOURLY.COUNT))
        .from(URL_STATS_HOURLY)
        .where(URL_STATS_HOURLY.URL_ID.in(ids))
        .groupBy(URL_STATS_HOURLY.URL_ID)
        .fetchMap(r -> r.value1(), r -> r.value2().longValue());
  }

  /** The URLs of the links with these ids, deleted ones included. */
  Map<Long, String> urlsOf(Collection<Long> ids) {
    return dsl.select(URLS.ID, URLS.ORIGINAL_URL)
        .from(URLS)
        .where(URLS.ID.in(ids))
        .fetchMap(URLS.ID, URLS.ORIGINAL_URL);
  }

  /** Applies the changes to the live link; empty when it was deleted meanwhile. */
  Optional<Link> update(long id, LinkChanges changes) {
    UpdateSetMoreStep<UrlsRecord> update = dsl.update(URLS).set(URLS.UPDATED_AT, now());
    if (changes.url() != null) {
      update = update.set(URLS.ORIGINAL_URL, changes.url());
    }
    if (changes.setsExpiry()) {
      update = update.set(URLS.EXPIRES_AT, changes.expiresAt());
    }
    if (changes.redirectType() != null) {
      update = update.set(URLS.REDIRECT_TYPE, (short) changes.redirectType().status());
    }
    if (changes.disabled() != null) {
      update = update.set(URLS.DISABLED, changes.disabled());
    }
    return update.where(URLS.ID.eq(id).and(LIVE)).returning().fetchOptional(TO_LINK);
  }

  /** Marks the link deleted; false when it already was. */
  boolean softDelete(long id) {
    return dsl.update(URLS)
            .set(URLS.DELETED_AT, now())
            .set(URLS.UPDATED_AT, now())
            .where(URLS.ID.eq(id).and(LIVE))
            .execute()
        == 1;
  }

  private static Link toLink(UrlsRecord r) {
    return new Link(
        r.getId(),
        r.getShortCode(),
        r.getOriginalUrl(),
        r.getUserId(),
        r.getCreatedAt(),
        r.getExpiresAt(),
        RedirectType.of(r.getRedirectType()).orElse(RedirectType.DEFAULT),
        r.getDisabled());
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
