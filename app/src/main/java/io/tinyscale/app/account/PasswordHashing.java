package io.tinyscale.app.account;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinyscale.app.platform.Settings;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Passwords hashed with bcrypt, slow on purpose (tens of milliseconds of CPU per hash), and at most
 * {@code TINYSCALE_PASSWORD_HASH_CONCURRENCY} hashes at a time (default: the CPUs this process may
 * use). A burst of sign-ups and logins then waits for a core in turn, instead of twenty worker
 * threads hashing at once and taking the cores' time from every other request on them (the
 * redirect's event loop, link creation): docs/benchmarks.md, "Load", scenario (a).
 */
@Singleton
public class PasswordHashing {
  private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder();

  // Checked against when the email is unknown, so a failed login takes as long either way and
  // does not reveal whether the account exists.
  private static final String DUMMY_HASH = BCRYPT.encode("tinyscale-no-such-user");

  private final Semaphore permits;

  PasswordHashing(Settings settings, MeterRegistry meters) {
    int concurrency =
        settings.passwordHashConcurrency().orElse(Runtime.getRuntime().availableProcessors());
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "TINYSCALE_PASSWORD_HASH_CONCURRENCY must be at least 1, not " + concurrency);
    }
    this.permits = new Semaphore(concurrency, true);
    Gauge.builder("tinyscale_password_hashes_waiting", permits, Semaphore::getQueueLength)
        .description(
            "Sign-ups and logins waiting for their turn to hash a password"
                + " (TINYSCALE_PASSWORD_HASH_CONCURRENCY at a time)")
        .register(meters);
  }

  /** The bcrypt hash of a new password. */
  String hash(String password) {
    return inTurn(() -> BCRYPT.encode(password));
  }

  /** Whether the password is the account's; as slow when there is no account. */
  boolean matches(String password, Optional<String> hash) {
    return inTurn(() -> BCRYPT.matches(password, hash.orElse(DUMMY_HASH)));
  }

  private <T> T inTurn(Supplier<T> work) {
    permits.acquireUninterruptibly();
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }
}
