package io.tinyscale.app.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tinyscale.app.analytics.ClickIndex;
import io.tinyscale.app.link.LinkUrls;
import io.tinyscale.app.platform.Backoff;
import io.tinyscale.app.platform.Enrichment;
import io.tinyscale.app.platform.OpenSearch;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.core.clickstream.ClickTopics;
import io.tinyscale.core.clickstream.ConsumerGroup;
import io.tinyscale.core.clickstream.Topics;
import io.tinyscale.core.enrich.Enricher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.jooq.DSLContext;

/**
 * The worker role: the raw click writer, the hourly aggregator and the search indexer, each a
 * consumer group with its own offsets and {@code consumersPerGroup} threads (the topic's partitions
 * are shared out among them, so partitions are processed concurrently). {@code groups} says which
 * of the three this worker runs.
 */
@ApplicationScoped
public class Pipeline {
  private static final Logger LOG = Logger.getLogger(Pipeline.class);

  /**
   * How long the hourly aggregator remembers the ids of the events it counted: an event redelivered
   * within it is not counted again. Replay leaves out dead letters older than this.
   */
  public static final Duration EVENT_ID_MEMORY = Duration.ofDays(7);

  private final Settings settings;
  private final DeadLetters deadLetters;
  private final PipelineMetrics metrics;
  private final DSLContext dsl;
  private final OpenSearch openSearch;
  private final ClickIndex clickIndex;
  private final LinkUrls linkUrls;
  private final Enrichment enrichment;
  private final List<ConsumerSupervisor> consumers = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private Thread starter;

  Pipeline(
      Settings settings,
      DeadLetters deadLetters,
      PipelineMetrics metrics,
      DSLContext dsl,
      OpenSearch openSearch,
      ClickIndex clickIndex,
      LinkUrls linkUrls,
      Enrichment enrichment) {
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.dsl = dsl;
    this.openSearch = openSearch;
    this.clickIndex = clickIndex;
    this.linkUrls = linkUrls;
    this.enrichment = enrichment;
  }

  void start(@Observes StartupEvent event) {
    if (!settings.role().runsConsumers()) {
      return;
    }
    List<ConsumerGroup> groups = new ArrayList<>();
    for (String name : settings.pipeline().groups()) {
      groups.add(
          ConsumerGroup.byConfigName(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "TINYSCALE_PIPELINE_GROUPS names an unknown group '"
                              + name
                              + "': use "
                              + Arrays.stream(ConsumerGroup.values())
                                  .map(ConsumerGroup::configName)
                                  .toList()
                              + ", comma-separated")));
    }
    groups.forEach(group -> metrics.consumers(group.groupId(), () -> consumers));
    // The broker may still be starting: wait for the topics off the start-up thread.
    starter =
        Thread.ofPlatform()
            .daemon()
            .name("pipeline-starter")
            .start(
                () -> {
                  Enricher enricher = enrichment.get();
                  Backoff untilReachable = Backoff.exponential(1_000, 30_000, Backoff.REAL_TIME);
                  while (!ClickTopics.ensure(
                      settings.kafka().bootstrap(),
                      settings.kafka().partitions(),
                      settings.kafka().replicationFactor())) {
                    LOG.warnf(
                        "Kafka at %s not reachable; the pipeline waits for it",
                        settings.kafka().bootstrap());
                    try {
                      untilReachable.pause();
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                  Backoff untilDescribed = Backoff.fixed(2_000, Backoff.REAL_TIME);
                  String topicKey = null;
                  while (topicKey == null) {
                    try {
                      topicKey = ClickTopics.key(settings.kafka().bootstrap(), Topics.CLICKS);
                    } catch (RuntimeException e) {
                      LOG.warnf(
                          "Cannot describe %s yet (%s); retrying", Topics.CLICKS, e.getMessage());
                      try {
                        untilDescribed.pause();
                      } catch (InterruptedException ie) {
                        return;
                      }
                    }
                  }
                  for (int i = 0; i < settings.pipeline().consumersPerGroup(); i++) {
                    String key = topicKey;
                    for (ConsumerGroup group : groups) {
                      run(
                          group,
                          group.configName() + "-" + i,
                          state ->
                              switch (group) {
                                case RAW_WRITER ->
                                    new RawClickWriter(
                                        state, settings, enricher, deadLetters, metrics, dsl);
                                case AGGREGATOR ->
                                    new HourlyAggregator(
                                        state, settings, enricher, deadLetters, metrics, dsl, key);
                                case INDEXER ->
                                    new SearchIndexer(
                                        state,
                                        settings,
                                        enricher,
                                        deadLetters,
                                        metrics,
                                        openSearch,
                                        clickIndex,
                                        linkUrls);
                              });
                    }
                  }
                  LOG.infof(
                      "Click pipeline running: %s, %d consumers per group on %s",
                      groups.stream().map(ConsumerGroup::configName).toList(),
                      settings.pipeline().consumersPerGroup(),
                      Topics.CLICKS);
                });
  }

  private void run(
      ConsumerGroup group, String name, Function<FailureState, BatchConsumer> factory) {
    ConsumerSupervisor supervisor = new ConsumerSupervisor(group.groupId(), name, factory);
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
