package io.tinyscale.app.click;

import io.tinyscale.app.ops.Settings;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates {@code clicks} (keyed by short code) and {@code clicks.dlt} when they are missing. */
public final class ClickTopics {
  private ClickTopics() {}

  /** True when both topics exist (now or already); false when the broker could not be reached. */
  public static boolean ensure(Settings.Kafka kafka) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(8, TimeUnit.SECONDS);
      List<NewTopic> missing = List.of(
              new NewTopic(kafka.topic(), kafka.partitions(), (short) 1),
              // dead letters are rare and read in order: one partition keeps them in order
              new NewTopic(kafka.dltTopic(), 1, (short) 1).configs(Map.of("retention.ms", "2592000000")))
          .stream()
          .filter(t -> !existing.contains(t.name()))
          .toList();
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(8, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
