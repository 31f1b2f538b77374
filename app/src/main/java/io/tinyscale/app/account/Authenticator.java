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
        .map(user -> new Caller(user.getId(), user.getEmail(), "user:" + user.getId()));
  }

  void forgetKey(String hash) {
    invalidations.publish(TOPIC, hash);
  }
}
