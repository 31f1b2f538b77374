package io.tinyscale.bench.jmh;

import io.tinyscale.core.enrich.UserAgents;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * User agent → browser, OS, device and the bot flag ({@code UserAgents.parse}, the worker's and the
 * live fan-out's enrichment), with its cache of whole answers: a repeat (hit), and a user agent
 * never seen (miss: yauaa, the automation-client pattern, the cache insert, and from the cache's
 * 10,000th entry on, an eviction).
 */
@State(Scope.Benchmark)
public class UserAgentBenchmark {
  static final String[] REPEATED = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
        + " Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
  };

  UserAgents agents;
  int next;

  @Setup
  public void build() {
    // seconds of CPU: once per fork, not measured
    agents = new UserAgents();
    for (String ua : REPEATED) {
      agents.parse(ua);
    }
  }

  @Benchmark
  public UserAgents.Agent cacheHit() {
    return agents.parse(REPEATED[next++ & 3]);
  }

  /** A new build number each call: never in the cache, a plausible Chrome to yauaa. */
  @Benchmark
  public UserAgents.Agent cacheMiss() {
    int n = next++;
    return agents.parse(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
            + (100 + n % 40)
            + ".0."
            + n
            + ".0 Safari/537.36");
  }
}
