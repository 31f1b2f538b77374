package io.tinyscale.app.platform;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Tells every replica to drop a locally cached entry, through Redis pub/sub.
 *
 * <p>Messages are {@code topic:key} (for example {@code link:abc1234}). The publisher drops its own
 * entry directly, so a lost message (Redis down) only delays other replicas until their L1 entries
 * expire.
 */
@ApplicationScoped
public class InvalidationBus {
  /** The Redis channel; a message is {@code topic:key}. */
  public static final String CHANNEL = "tinyscale:invalidate";

  private static final Logger LOG = Logger.getLogger(InvalidationBus.class);

  private final Redis redis;
  private final Map<String, Consumer<String>> listeners = new ConcurrentHashMap<>();
  private final List<Runnable> onSubscribed = new CopyOnWriteArrayList<>();

  InvalidationBus(Redis redis) {
    this.redis = redis;
  }

  void onStart(@Observes StartupEvent event) {
    redis.whenPubSubConnected(
        connection -> {
          connection.addListener(
              new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                  deliver(message);
                }

                // Lettuce subscribes again after every reconnect; what was published while the
                // connection was down never arrives, so every local copy is dropped instead.
                @Override
                public void subscribed(String channel, long count) {
                  onSubscribed.forEach(Runnable::run);
                }
              });
          connection.async().subscribe(CHANNEL);
        });
  }

  /** Registers the handler for one topic; the handler must be cheap and thread-safe. */
  public void listen(String topic, Consumer<String> onInvalidate) {
    listeners.put(topic, onInvalidate);
  }

  /**
   * Registers what drops every local copy of a topic: run each time the channel is subscribed (at
   * start and after a reconnect), since invalidations published meanwhile were missed.
   */
  public void onEveryMissedMessage(Runnable dropAll) {
    onSubscribed.add(dropAll);
  }

  /** Drops the entry here at once and asks every other replica to do the same. */
  public void publish(String topic, String key) {
    String message = topic + ":" + key;
    deliver(message);
    try {
      redis.async().publish(CHANNEL, message);
    } catch (RuntimeException e) {
      LOG.warnf(
          "Could not publish invalidation %s (Redis down); other replicas catch up on L1 expiry",
          message);
    }
  }

  private void deliver(String message) {
    int colon = message.indexOf(':');
    if (colon < 0) {
      return;
    }
    Consumer<String> listener = listeners.get(message.substring(0, colon));
    if (listener != null) {
      listener.accept(message.substring(colon + 1));
    }
  }
}
