package io.tinyscale.app.account;

/**
 * The authenticated account behind a request. {@code rateKey} names the bucket the request is
 * counted in: the API key's hash, or the session's user for dashboard calls.
 */
public record Caller(long userId, String email, String rateKey) {}
