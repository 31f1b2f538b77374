package io.tinyscale.bench.jmh;

import io.tinyscale.core.enrich.IpAnonymizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The client address truncated on the redirect, before the click leaves the server: IPv4 to its /24
 * (done on the text), IPv6 to its /48 (parsed, zeroed, printed in canonical form).
 */
@State(Scope.Thread)
public class IpAnonymizationBenchmark {
  String ipv4 = "203.0.113.77";
  String ipv6 = "2001:db8:85a3:8d3:1319:8a2e:370:7348";

  @Benchmark
  public String ipv4() {
    return IpAnonymizer.anonymize(ipv4, false);
  }

  @Benchmark
  public String ipv6() {
    return IpAnonymizer.anonymize(ipv6, false);
  }
}
