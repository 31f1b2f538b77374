package io.tinyscale.app.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Batch sizes and durations per consumer group, and each group's lag. */
@ApplicationScoped
class PipelineMetrics {
  // histogram buckets: batches hold up to 1000 events and are cut after 5 s
  private static final double[] SIZE_BUCKETS = {1, 10, 50, 100, 250, 500, 1000};
  private static final Duration[] SECONDS_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private final MeterRegistry meters;
  // registered with the worker's consumers, so that its rate reads 0 before the first document
  private final Counter indexed;

  PipelineMetrics(MeterRegistry meters) {
    this.meters = meters;
    indexed =
        Counter.builder("tinyscale_indexed")
            .description("Click documents the search indexer created in OpenSearch")
            .register(meters);
  }

  void batch(String group, int size, long nanos) {
    DistributionSummary.builder("tinyscale_batch_size")
        .description("Events per committed batch")
        .serviceLevelObjectives(SIZE_BUCKETS)
        .tag("group", group)
        .register(meters)
        .record(size);
    Timer.builder("tinyscale_batch_seconds")
        .description("Time to enrich, write and commit one batch")
        .serviceLevelObjectives(SECONDS_BUCKETS)
        .tag("group", group)
        .register(meters)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Click documents the search indexer created in OpenSearch (redeliveries not counted). */
  void indexed(long documents) {
    indexed.increment(documents);
  }

  /**
   * The group's lag, summed over its current consumers, and whether all of them are doing their
   * job.
   */
  void consumers(String group, Supplier<List<ConsumerSupervisor>> consumers) {
    Gauge.builder(
            "tinyscale_consumer_lag",
            () ->
                consumers.get().stream()
                    .filter(c -> c.group.equals(group))
                    .mapToLong(ConsumerSupervisor::lag)
                    .sum())
        .description("Records in Kafka not yet written by the group")
        .tag("group", group)
        .register(meters);
    Gauge.builder(
            "tinyscale_consumer_up",
            () ->
                consumers.get().stream()
                        .filter(c -> c.group.equals(group))
                        .allMatch(c -> c.failingSince() == 0)
                    ? 1
                    : 0)
        .description(
            "1 while every consumer of the group runs and makes progress, 0 while one has failed")
        .tag("group", group)
        .register(meters);
  }
}
