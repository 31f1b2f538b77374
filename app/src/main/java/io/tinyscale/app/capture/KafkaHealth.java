package io.tinyscale.app.capture;

import io.tinyscale.app.platform.DependencyCheck;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Kafka as the click capture sees it. Never DOWN: a broker outage only delays analytics, while
 * clicks wait in the journal and redirects go on; it shows as degraded, with the journal's backlog
 * (spoolBytes: the name the API has always used).
 */
@Readiness
@ApplicationScoped
class KafkaHealth implements DependencyCheck {
  private final JournalClickSink clicks;

  KafkaHealth(JournalClickSink clicks) {
    this.clicks = clicks;
  }

  @Override
  public HealthCheckResponse detailed() {
    return HealthCheckResponse.named("kafka")
        .up()
        .withData("degraded", clicks.isDegraded())
        .withData("spoolBytes", clicks.backlogBytes())
        .withData("topicPartitions", clicks.topicPartitions())
        .build();
  }
}
