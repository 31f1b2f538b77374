package io.tinyscale.bench.gatling;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simulations' settings, as system properties that bench/load.sh passes ({@code -Dload.url=…}),
 * each with a default small enough for a look on a laptop.
 */
final class LoadSettings {
  private LoadSettings() {}

  /** The app, or nginx in front of it: {@code http://127.0.0.1:28300}. */
  static String url() {
    return System.getProperty("load.url", "http://127.0.0.1:28300");
  }

  /**
   * The seeded links b0000001 … b&lt;N&gt; that the redirect scenarios request (lib/tinyscale.sh).
   */
  static int links() {
    return integer("load.links", 10_000);
  }

  static int integer(String name, int fallback) {
    return Integer.parseInt(System.getProperty(name, Integer.toString(fallback)));
  }

  static double decimal(String name, double fallback) {
    return Double.parseDouble(System.getProperty(name, Double.toString(fallback)));
  }

  static Duration seconds(String name, int fallback) {
    return Duration.ofSeconds(integer(name, fallback));
  }

  static boolean flag(String name, boolean fallback) {
    return Boolean.parseBoolean(System.getProperty(name, Boolean.toString(fallback)));
  }

  static String code(int n) {
    return "b%07d".formatted(n);
  }

  static String randomCode() {
    return code(1 + ThreadLocalRandom.current().nextInt(links()));
  }

  /**
   * A client address for X-Forwarded-For, from 198.18.0.0/15 (RFC 2544's range for benchmarks, so
   * no real network's clients are impersonated): every virtual user is a client of its own, as the
   * app believes the header from the load generator (TINYSCALE_TRUSTED_PROXIES) and limits per
   * client.
   */
  static String address(int n) {
    int host = Math.floorMod(n, 1 << 17);
    return "198." + (18 + (host >> 16)) + "." + (host >> 8 & 0xff) + "." + (host & 0xff);
  }

  static String randomAddress() {
    return address(ThreadLocalRandom.current().nextInt(1 << 17));
  }
}
