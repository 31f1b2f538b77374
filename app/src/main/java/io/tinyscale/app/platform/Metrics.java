package io.tinyscale.app.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Arrays;

/**
 * Request durations as Prometheus histograms, so latency percentiles can be aggregated across
 * replicas. The buckets are fixed and few (16): the redirect answers in tens of microseconds from
 * memory and in milliseconds on a miss, the API in milliseconds, so they start at 100 us; each
 * (method, uri, status) series costs one line per bucket at every scrape.
 */
@ApplicationScoped
public class Metrics {
  /** Upper bounds of the request-duration buckets, in seconds as Prometheus shows them. */
  public static final double[] REQUEST_BUCKETS_SECONDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  @Produces
  @Singleton
  MeterFilter requestHistograms() {
    double[] nanos = Arrays.stream(REQUEST_BUCKETS_SECONDS).map(s -> Math.round(s * 1e9)).toArray();
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("http.server.requests")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(nanos)
            .build()
            .merge(config);
      }
    };
  }
}
