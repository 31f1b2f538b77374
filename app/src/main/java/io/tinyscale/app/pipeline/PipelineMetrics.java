package io.tinyscale.app.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Batch sizes and durations per consumer group, and each group's lag. */
@ApplicationScoped
class PipelineMetrics {
  private final MeterRegistry meters;

  PipelineMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void batch(String group, int size, long nanos) {
    DistributionSummary.builder("tinyscale_batch_size")
        .description("Events per committed batch")
        .tag("group", group)
        .register(meters)
        .record(size);
    Timer.builder("tinyscale_batch_seconds")
        .description("Time to enrich, write and commit one batch")
        .tag("group", group)
        .register(meters)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Click documents the search indexer created in OpenSearch (redeliveries not counted). */
  void indexed(long documents) {
    Counter.builder("tinyscale_indexed")
        .description("Click documents the search indexer created in OpenSearch")
        .register(meters)
        .increment(documents);
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
