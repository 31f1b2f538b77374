package io.tinyscale.core.clickstream;

import java.util.Arrays;
import java.util.Optional;

/**
 * The consumer groups of the click stream: the name a worker is configured with
 * (TINYSCALE_PIPELINE_GROUPS) and the Kafka group id, which also keys the positions a group stores
 * itself.
 */
public enum ConsumerGroup {
  /** One row per click in {@code clicks}. */
  RAW_WRITER("raw-writer", "tinyscale-raw-writer"),
  /** Exact hourly counts in {@code url_stats_hourly}. */
  AGGREGATOR("aggregator", "tinyscale-aggregator"),
  /** One document per click in OpenSearch, for analytics. */
  INDEXER("indexer", "tinyscale-indexer");

  private final String configName;
  private final String groupId;

  ConsumerGroup(String configName, String groupId) {
    this.configName = configName;
    this.groupId = groupId;
  }

  public String configName() {
    return configName;
  }

  public String groupId() {
    return groupId;
  }

  public static Optional<ConsumerGroup> byConfigName(String name) {
    return Arrays.stream(values()).filter(g -> g.configName.equals(name)).findFirst();
  }
}
