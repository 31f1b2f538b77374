package io.tinyscale.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A child engine's JVM gets lib/jvm.options (copied into devstack's jar), then its own flags. */
class ChildJvmOptionsTest {

  @Test
  void theSharedFlagsComeFirstOneArgumentEach() {
    assertThat(ChildJvm.sharedJvmOptions())
        .containsExactly(
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");
    assertThat(KafkaBroker.JVM_OPTIONS)
        .startsWith(ChildJvm.sharedJvmOptions().toArray(String[]::new))
        .contains("-Xmx256m", "-XX:+UseSerialGC");
    assertThat(OpenSearchNode.JVM_OPTIONS)
        .startsWith(ChildJvm.sharedJvmOptions().toArray(String[]::new))
        .contains("--add-modules=jdk.incubator.vector", "-Xmx512m");
  }

  @Test
  void extraOptionsAreTheVariablesWords() {
    Options options =
        Options.fromEnv(
            java.util.Map.of(
                "TINYSCALE_DEVSTACK_OPENSEARCH_OPTS", " -Xmx1g\t-XX:+UseG1GC ",
                "TINYSCALE_DEVSTACK_KAFKA_OPTS", " "));
    assertThat(options.words("TINYSCALE_DEVSTACK_OPENSEARCH_OPTS"))
        .containsExactly("-Xmx1g", "-XX:+UseG1GC");
    assertThat(options.words("TINYSCALE_DEVSTACK_KAFKA_OPTS")).isEmpty();
  }
}
