package io.tinyscale.app.account;

import java.time.OffsetDateTime;

/** What is kept of an API key besides its hash: enough to recognise and revoke it. */
public record ApiKeyInfo(long id, String name, String prefix, OffsetDateTime createdAt) {}
