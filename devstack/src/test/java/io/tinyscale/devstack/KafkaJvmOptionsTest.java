package io.tinyscale.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The broker's JVM gets lib/jvm.options (copied into devstack's jar), then its own flags. */
class KafkaJvmOptionsTest {

  @Test
  void theSharedFlagsComeFirstOneArgumentEach() {
    assertThat(KafkaJvm.sharedJvmOptions())
        .containsExactly(
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");
    assertThat(KafkaBroker.JVM_OPTIONS)
        .startsWith(KafkaJvm.sharedJvmOptions().toArray(String[]::new))
        .contains("-Xmx256m", "-XX:+UseSerialGC");
  }
}
