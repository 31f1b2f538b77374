package io.tinyscale.app.account;

/**
 * The authenticated account behind a request. {@code rateKey} names the bucket the request is
 * counted in: the API key's hash, or the session's user for dashboard calls. {@code admin} is the
 * stored flag, as it was when the caller was looked up.
 */
public record Caller(long userId, String email, boolean admin, String rateKey) {}
