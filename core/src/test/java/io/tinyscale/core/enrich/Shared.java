package io.tinyscale.core.enrich;

/**
 * The expensive parts, built once per test JVM and shared by the test classes (building the user
 * agent analyzer takes seconds).
 */
final class Shared {

  private Shared() {}

  static UserAgents userAgents() {
    return UserAgentsHolder.INSTANCE;
  }

  static Countries countries() {
    return CountriesHolder.INSTANCE;
  }

  private static final class UserAgentsHolder {
    static final UserAgents INSTANCE = new UserAgents();
  }

  private static final class CountriesHolder {
    static final Countries INSTANCE = Countries.fromClasspath();
  }
}
