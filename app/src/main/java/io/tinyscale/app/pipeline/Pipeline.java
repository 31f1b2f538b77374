package io.tinyscale.app.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tinyscale.app.click.ClickTopics;
import io.tinyscale.app.ops.Settings;
import io.tinyscale.core.enrich.Enricher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.jooq.DSLContext;

/**
 * The worker role: the raw click writer and the hourly aggregator, each a consumer group with its
 * own offsets and {@code consumersPerGroup} threads (the topic's partitions are shared out among
 * them, so partitions are processed concurrently). {@code groups} says which of the two this worker
 * runs.
 */
@ApplicationScoped
public class Pipeline {
  private static final Logger LOG = Logger.getLogger(Pipeline.class);
  static final String RAW_WRITER = "raw-writer";
  static final String AGGREGATOR = "aggregator";

  private final Settings settings;
  private final DeadLetters deadLetters;
  private final PipelineMetrics metrics;
  private final DSLContext dsl;
  private final List<ConsumerSupervisor> consumers = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private Thread starter;

  Pipeline(Settings settings, DeadLetters deadLetters, PipelineMetrics metrics, DSLContext dsl) {
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.dsl = dsl;
  }

  void start(@Observes StartupEvent event) {
    if (!settings.role().equals("worker") && !settings.role().equals("all")) {
      return;
    }
    List<String> groups = settings.pipeline().groups();
    for (String group : groups) {
      if (!group.equals(RAW_WRITER) && !group.equals(AGGREGATOR)) {
        throw new IllegalArgumentException(
            "TINYSCALE_PIPELINE_GROUPS names an unknown group '"
                + group
                + "': use "
                + RAW_WRITER
                + ", "
                + AGGREGATOR
                + " or both, comma-separated");
      }
    }
    boolean rawWriter = groups.contains(RAW_WRITER);
    boolean aggregator = groups.contains(AGGREGATOR);
    if (rawWriter) {
      metrics.consumers(RawClickWriter.GROUP, () -> consumers);
    }
    if (aggregator) {
      metrics.consumers(HourlyAggregator.GROUP, () -> consumers);
    }
    // The broker may still be starting: wait for the topics off the start-up thread.
    starter =
        Thread.ofPlatform()
            .daemon()
            .name("pipeline-starter")
            .start(
                () -> {
                  Enricher enricher = new Enricher(settings.keepFullIp());
                  for (long backoff = 1_000;
                      !ClickTopics.ensure(settings.kafka());
                      backoff = Math.min(backoff * 2, 30_000)) {
                    LOG.warnf(
                        "Kafka at %s not reachable; the pipeline waits for it",
                        settings.kafka().bootstrap());
                    try {
                      Thread.sleep(backoff);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                  String topicKey = null;
                  while (topicKey == null) {
                    try {
                      topicKey = ClickTopics.key(settings.kafka(), settings.kafka().topic());
                    } catch (RuntimeException e) {
                      LOG.warnf(
                          "Cannot describe %s yet (%s); retrying",
                          settings.kafka().topic(), e.getMessage());
                      try {
                        Thread.sleep(2_000);
                      } catch (InterruptedException ie) {
                        return;
                      }
                    }
                  }
                  for (int i = 0; i < settings.pipeline().consumersPerGroup(); i++) {
                    String key = topicKey;
                    if (rawWriter) {
                      run(
                          RawClickWriter.GROUP,
                          RAW_WRITER + "-" + i,
                          () -> new RawClickWriter(settings, enricher, deadLetters, metrics, dsl));
                    }
                    if (aggregator) {
                      run(
                          HourlyAggregator.GROUP,
                          AGGREGATOR + "-" + i,
                          () ->
                              new HourlyAggregator(
                                  settings, enricher, deadLetters, metrics, dsl, key));
                    }
                  }
                  LOG.infof(
                      "Click pipeline running: %s, %d consumers per group on %s",
                      String.join(" and ", groups),
                      settings.pipeline().consumersPerGroup(),
                      settings.kafka().topic());
                });
  }

  private void run(String group, String name, Supplier<BatchConsumer> factory) {
    ConsumerSupervisor supervisor = new ConsumerSupervisor(group, name, factory);
    consumers.add(supervisor);
    threads.add(Thread.ofPlatform().name(name).start(supervisor));
  }

  /** The consumers this process runs (none in role server), for health and metrics. */
  List<ConsumerSupervisor> consumers() {
    return consumers;
  }

  void stop(@Observes ShutdownEvent event) {
    if (starter != null) {
      starter.interrupt();
    }
    consumers.forEach(ConsumerSupervisor::stop);
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deadLetters.close();
  }
}
