package io.tinyscale.core.clickstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClickTopicsTest {
  @Test
  void topicsAreReplicatedOnUpToThreeBrokersUnlessConfigured() {
    assertThat(ClickTopics.replicationFactor(Optional.empty(), 1)).isEqualTo((short) 1);
    assertThat(ClickTopics.replicationFactor(Optional.empty(), 2)).isEqualTo((short) 2);
    assertThat(ClickTopics.replicationFactor(Optional.empty(), 5)).isEqualTo((short) 3);
    assertThat(ClickTopics.replicationFactor(Optional.of(2), 5)).isEqualTo((short) 2);
  }

  @Test
  void anAcknowledgedClickIsOnTwoBrokersWhenThereAreThreeReplicas() {
    assertThat(ClickTopics.minInsyncReplicas((short) 1)).isEqualTo("1");
    assertThat(ClickTopics.minInsyncReplicas((short) 2)).isEqualTo("1");
    assertThat(ClickTopics.minInsyncReplicas((short) 3)).isEqualTo("2");
  }
}
