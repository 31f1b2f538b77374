package io.tinyscale.app.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The test JVM runs with the flags the packaged app runs with: lib/jvm.options, passed by the root
 * pom's argLine as an @argfile, and the two properties io.tinyscale.app.Main sets.
 */
class JvmFlagsTest {

  @Test
  void javaLangIsOpenToTheClassPath() {
    // what Quarkus' worker threads need on Java 24+; false without lib/jvm.options
    assertThat(Object.class.getModule().isOpen("java.lang", JvmFlagsTest.class.getModule()))
        .isTrue();
  }

  @Test
  void theSharedFlagsAndMainsPropertiesReachTheForkedJvm() {
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .contains(
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dvertx.disableURIValidation=true");
  }
}
