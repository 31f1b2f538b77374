package io.tinyscale.app.account;

import io.tinyscale.app.platform.Redis;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.ApiKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Login sessions in Redis, shared by every replica. The cookie holds a random token; Redis holds
 * only its hash, so a dump of Redis cannot be replayed as cookies.
 */
@ApplicationScoped
class Sessions {
  static final String COOKIE = "tinyscale_session";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Redis redis;
  private final Duration ttl;

  Sessions(Redis redis, Settings settings) {
    this.redis = redis;
    this.ttl = settings.sessionTtl();
  }

  Duration ttl() {
    return ttl;
  }

  String create(long userId) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    redis.sync().setex(key(token), ttl.toSeconds(), Long.toString(userId));
    return token;
  }

  Optional<Long> userOf(String token) {
    if (token == null || token.length() != 43) {
      return Optional.empty();
    }
    return Optional.ofNullable(redis.sync().get(key(token))).map(Long::valueOf);
  }

  void delete(String token) {
    if (token != null) {
      redis.sync().del(key(token));
    }
  }

  private static String key(String token) {
    return "session:" + ApiKeys.hash(token);
  }
}
