package io.tinyscale.app.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * {@code tinyscale_dead_letters_waiting}: the dead letters a replay would still publish, read from
 * Kafka and the replay position every minute, and at once after the dead-letter API lists or
 * replays them. The alert TinyScaleDeadLetters fires while it is above 0, so a letter nobody
 * replayed keeps it firing (until it is too old to replay: then only {@code tinyscale dlt list}
 * shows it). While Kafka or Postgres is away it keeps its last value.
 */
@Startup
@ApplicationScoped
class DeadLetterWatch {
  private static final Logger LOG = Logger.getLogger(DeadLetterWatch.class);

  private final DeadLetterStore letters;
  private final AtomicLong waiting = new AtomicLong();

  DeadLetterWatch(DeadLetterStore letters, MeterRegistry meters) {
    this.letters = letters;
    Gauge.builder("tinyscale_dead_letters_waiting", waiting, AtomicLong::get)
        .description("Dead letters in clicks.dlt that a replay would publish")
        .register(meters);
  }

  @Scheduled(
      every = "60s",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      waiting.set(letters.waiting());
    } catch (RuntimeException e) {
      LOG.debugf("Dead letters not counted this time: %s", e.toString());
    }
  }
}
