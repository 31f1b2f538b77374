package io.tinyscale.app.click;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.DefaultBean;
import io.tinyscale.core.ClickEvent;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The click sink until the Kafka pipeline (issue "Click pipeline") replaces it: it only counts
 * the events it is handed, so the hot path already pays the cost of building them and the
 * number of redirects served is visible in /metrics as tinyscale_clicks_uncaptured_total.
 */
@DefaultBean
@ApplicationScoped
class PendingPipelineClickSink implements ClickSink {
  private final Counter uncaptured;

  PendingPipelineClickSink(MeterRegistry registry) {
    uncaptured = Counter.builder("tinyscale_clicks_uncaptured")
        .description("Click events produced while no click pipeline is configured")
        .register(registry);
  }

  @Override
  public void accept(ClickEvent event) {
    uncaptured.increment();
  }
}
