package io.tinyscale.app.account;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.tinyscale.app.platform.InvalidationBus;
import io.tinyscale.core.ApiKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Finds the account behind an API key or a session cookie. Key lookups are cached (also negatively,
 * so a flood of bad keys does not reach Postgres); deleting a key or changing an account's rights
 * drops it from every replica's cache through the invalidation bus.
 */
@ApplicationScoped
public class Authenticator {
  private static final String TOPIC = "apikey";

  /** An account's rights changed (admin granted or revoked): forget every cached key of it. */
  public static final String ACCOUNT_TOPIC = "account";

  private final AccountRepository accounts;
  private final Sessions sessions;
  private final InvalidationBus invalidations;
  // Looked up again in the background 30 s after it was loaded; while Postgres does not answer,
  // the last answer serves for up to 5 minutes, so keys (an admin's reading /api/admin/health
  // included) keep working through a database outage. A deleted key or a changed account is
  // dropped at once on every replica through the invalidation bus.
  private final LoadingCache<String, Optional<Caller>> byKeyHash;

  Authenticator(AccountRepository accounts, Sessions sessions, InvalidationBus invalidations) {
    this.byKeyHash =
        Caffeine.newBuilder()
            .maximumSize(50_000)
            .refreshAfterWrite(Duration.ofSeconds(30))
            .expireAfterWrite(Duration.ofMinutes(5))
            .build(accounts::findByKeyHash);
    this.accounts = accounts;
    this.sessions = sessions;
    this.invalidations = invalidations;
    invalidations.listen(TOPIC, byKeyHash::invalidate);
    invalidations.listen(ACCOUNT_TOPIC, this::forgetAccount);
    invalidations.onEveryMissedMessage(byKeyHash::invalidateAll);
  }

  public Optional<Caller> byApiKey(String plaintext) {
    if (!ApiKeys.looksLikeKey(plaintext)) {
      return Optional.empty();
    }
    return byKeyHash.get(ApiKeys.hash(plaintext));
  }

  public Optional<Caller> bySession(String token) {
    return sessions
        .userOf(token)
        .flatMap(accounts::findUser)
        .map(
            account ->
                new Caller(account.id(), account.email(), account.admin(), "user:" + account.id()));
  }

  private void forgetAccount(String userId) {
    byKeyHash
        .asMap()
        .values()
        .removeIf(c -> c.isPresent() && Long.toString(c.get().userId()).equals(userId));
  }

  void forgetKey(String hash) {
    invalidations.publish(TOPIC, hash);
  }
}
