package io.tinyscale.app.link;

import io.tinyscale.core.RedirectType;
import java.time.OffsetDateTime;

/** A live (not deleted) link, as everything above the repository sees it. */
public record Link(
    long id,
    String code,
    String url,
    long ownerId,
    OffsetDateTime createdAt,
    OffsetDateTime expiresAt,
    RedirectType redirectType,
    boolean disabled) {

  /** What the redirect keeps of it in its caches. */
  CachedLink cached() {
    return new CachedLink(
        id, url, redirectType, expiresAt == null ? null : expiresAt.toInstant(), disabled);
  }
}
