package io.tinyscale.app.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinyscale.app.platform.Settings;
import io.tinyscale.app.platform.StandaloneConfig;
import io.tinyscale.testkit.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** bcrypt with a bounded number of hashes at once, and the gauge of those waiting their turn. */
class PasswordHashingTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private PasswordHashing hashing(String concurrency) {
    Settings settings =
        StandaloneConfig.of(Map.of("TINYSCALE_PASSWORD_HASH_CONCURRENCY", concurrency))
            .getConfigMapping(Settings.class);
    return new PasswordHashing(settings, meters);
  }

  @Test
  void aHashMatchesItsPasswordOnlyAndAMissingAccountMatchesNothing() {
    PasswordHashing passwords = hashing("2");
    String hash = passwords.hash("correct horse battery");
    assertThat(hash).startsWith("$2a$10$").doesNotContain("correct horse battery");
    assertThat(passwords.matches("correct horse battery", Optional.of(hash))).isTrue();
    assertThat(passwords.matches("correct horse battery!", Optional.of(hash))).isFalse();
    assertThat(passwords.matches("correct horse battery", Optional.empty())).isFalse();
  }

  @Test
  void pastTheLimitHashesWaitTheirTurnAndTheGaugeCountsThem() throws Exception {
    PasswordHashing passwords = hashing("1");
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> hashes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String password = "password number " + i;
        hashes.add(clients.submit(() -> passwords.hash(password)));
      }
      // one hashes at a time: the others queue, and the gauge says so
      Waits.until(
          "a sign-up waiting its turn",
          () -> meters.get("tinyscale_password_hashes_waiting").gauge().value() >= 1);
      for (int i = 0; i < 4; i++) {
        assertThat(passwords.matches("password number " + i, Optional.of(hashes.get(i).get())))
            .isTrue();
      }
      assertThat(meters.get("tinyscale_password_hashes_waiting").gauge().value()).isZero();
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void aConcurrencyBelowOneIsRefusedAtStart() {
    assertThatThrownBy(() -> hashing("0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TINYSCALE_PASSWORD_HASH_CONCURRENCY must be at least 1");
  }
}
