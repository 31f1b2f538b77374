package io.tinyscale.app.ops;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Tells every replica to drop a locally cached entry, through Redis pub/sub.
 *
 * <p>Messages are {@code topic:key} (for example {@code link:abc1234}). The publisher drops its
 * own entry directly, so a lost message (Redis down) only delays other replicas until their L1
 * entries expire.
 */
@ApplicationScoped
public class InvalidationBus {
  static final String CHANNEL = "tinyscale:invalidate";
  private static final Logger LOG = Logger.getLogger(InvalidationBus.class);

  private final Redis redis;
  private final Map<String, Consumer<String>> listeners = new ConcurrentHashMap<>();

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
              });
          connection.async().subscribe(CHANNEL);
        });
  }

  /** Registers the handler for one topic; the handler must be cheap and thread-safe. */
  public void listen(String topic, Consumer<String> onInvalidate) {
    listeners.put(topic, onInvalidate);
  }

  /** Drops the entry here at once and asks every other replica to do the same. */
  public void publish(String topic, String key) {
    String message = topic + ":" + key;
    deliver(message);
    try {
      redis.async().publish(CHANNEL, message);
    } catch (RuntimeException e) {
      LOG.warnf("Could not publish invalidation %s (Redis down); other replicas catch up on L1 expiry", message);
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
