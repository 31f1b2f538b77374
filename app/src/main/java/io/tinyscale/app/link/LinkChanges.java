package io.tinyscale.app.link;

import io.tinyscale.core.RedirectType;
import java.time.OffsetDateTime;

/**
 * What a PATCH changes, already checked. A null component is left as it is; the expiry is changed
 * when {@code setsExpiry}, to {@code expiresAt} (null: never expires).
 */
record LinkChanges(
    String url,
    boolean setsExpiry,
    OffsetDateTime expiresAt,
    RedirectType redirectType,
    Boolean disabled) {}
