package io.tinyscale.core;

import java.security.SecureRandom;

/**
 * The one {@link SecureRandom} of core: it is thread-safe and seeding a new one per call is slow.
 */
final class Secrets {

  static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}
}
