package io.tinyscale.app.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tinyscale.app.ops.InvalidationBus;
import io.tinyscale.core.ApiKey;
import io.tinyscale.core.ApiKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Finds the account behind an API key or a session cookie. Key lookups are cached briefly
 * (also negatively, so a flood of bad keys does not reach Postgres); deleting a key drops it from
 * every replica's cache through the invalidation bus.
 */
@ApplicationScoped
public class Authenticator {
  private static final String TOPIC = "apikey";
  /** An account's rights changed (admin granted or revoked): forget every cached key of it. */
  public static final String ACCOUNT_TOPIC = "account";

  private final AccountRepository accounts;
  private final Sessions sessions;
  private final InvalidationBus invalidations;
  private final Cache<String, Optional<Caller>> byKeyHash =
      Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofSeconds(30)).build();

  Authenticator(AccountRepository accounts, Sessions sessions, InvalidationBus invalidations) {
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
    return byKeyHash.get(ApiKeys.hash(plaintext), accounts::findByKeyHash);
  }

  public Optional<Caller> bySession(String token) {
    return sessions.userOf(token)
        .flatMap(accounts::findUser)
        .map(user -> new Caller(user.getId(), user.getEmail(), user.getIsAdmin(), "user:" + user.getId()));
  }

  private void forgetAccount(String userId) {
    byKeyHash.asMap().values().removeIf(c -> c.isPresent() && Long.toString(c.get().userId()).equals(userId));
  }

  void forgetKey(String hash) {
    invalidations.publish(TOPIC, hash);
  }
}
