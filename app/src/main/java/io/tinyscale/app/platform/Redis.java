package io.tinyscale.app.platform;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Redis connections shared by every feature (cache L2, sessions, rate limits, invalidation).
 *
 * <p>Redis is optional for correctness: when it is down, commands fail fast (they are rejected
 * rather than queued) and each caller degrades on its own terms. Lettuce reconnects by itself once
 * a connection was made; a connection that never came up is retried every two seconds by a
 * background thread, so no request (and no redirect on an event loop) ever waits on a connect.
 */
@ApplicationScoped
public class Redis {
  private static final Logger LOG = Logger.getLogger(Redis.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
  private static final long RETRY_EVERY_MS = 2_000;

  private final RedisClient client;
  private volatile boolean stopped;
  private volatile StatefulRedisConnection<String, String> strings;
  private volatile StatefulRedisConnection<String, byte[]> bytes;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile Consumer<StatefulRedisPubSubConnection<String, String>> onPubSubConnected;

  Redis(Settings settings) {
    RedisURI uri = RedisURI.create(settings.redisUrl());
    uri.setTimeout(COMMAND_TIMEOUT);
    client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
  }

  void onStart(@Observes StartupEvent event) {
    // the first attempt on the start-up thread, so a reachable Redis is there for the first request
    if (!tryConnect()) {
      LOG.warn(
          "Redis is not reachable; running degraded (no shared cache, local rate limits) until it is");
      Thread.ofPlatform()
          .daemon()
          .name("redis-connect")
          .start(
              () -> {
                Backoff retry = Backoff.fixed(RETRY_EVERY_MS, Backoff.REAL_TIME);
                while (!stopped && !tryConnect()) {
                  try {
                    retry.pause();
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  /** Synchronous commands; throws {@link RedisUnavailableException} when Redis is not connected. */
  public RedisCommands<String, String> sync() {
    return connection().sync();
  }

  public RedisAsyncCommands<String, String> async() {
    return connection().async();
  }

  /** A connection with byte[] values, as Bucket4j needs. */
  public StatefulRedisConnection<String, byte[]> bytes() {
    connection();
    return bytes;
  }

  /** Runs {@code subscriber} now if pub/sub is connected, and again after every fresh connect. */
  public void whenPubSubConnected(
      Consumer<StatefulRedisPubSubConnection<String, String>> subscriber) {
    onPubSubConnected = subscriber;
    if (pubSub != null) {
      subscriber.accept(pubSub);
    }
  }

  private StatefulRedisConnection<String, String> connection() {
    StatefulRedisConnection<String, String> c = strings;
    if (c == null) {
      throw new RedisUnavailableException("Redis is not connected");
    }
    return c;
  }

  private boolean tryConnect() {
    if (strings != null) {
      return true;
    }
    synchronized (this) {
      if (strings != null) {
        return true;
      }
      try {
        StatefulRedisConnection<String, byte[]> b =
            client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
        StatefulRedisConnection<String, String> s = client.connect();
        bytes = b;
        pubSub = p;
        strings = s;
        LOG.info("Connected to Redis");
        Consumer<StatefulRedisPubSubConnection<String, String>> subscriber = onPubSubConnected;
        if (subscriber != null) {
          subscriber.accept(p);
        }
        return true;
      } catch (RuntimeException e) {
        LOG.debugf("Redis connect failed: %s", e.getMessage());
        return false;
      }
    }
  }

  /** Redis could not be reached; callers degrade rather than fail the request. */
  public static final class RedisUnavailableException extends RuntimeException {
    RedisUnavailableException(String message) {
      super(message, null, false, false);
    }
  }
}
