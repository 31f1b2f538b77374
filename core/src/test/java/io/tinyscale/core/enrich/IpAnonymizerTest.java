package io.tinyscale.core.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAnonymizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "203.0.113.77, 203.0.113.0",
    "8.8.8.8, 8.8.8.0",
    "10.1.2.255, 10.1.2.0",
    "255.255.255.255, 255.255.255.0",
    "0.0.0.0, 0.0.0.0",
    "' 192.0.2.1 ', 192.0.2.0",
    "::ffff:198.51.100.9, 198.51.100.0",
    "2001:db8:abcd:12:3456:789a:bcde:f012, 2001:db8:abcd::",
    "2001:0DB8:ABCD:0012:0000:0000:0000:0001, 2001:db8:abcd::",
    "[2001:db8:1:2::3], 2001:db8:1::",
    "fe80::1%eth0, fe80::",
    "2001:4860:4860::8888, 2001:4860:4860::",
    "::1, ::"
  })
  void truncatesIpv4ToSlash24AndIpv6ToSlash48(String ip, String stored) {
    assertThat(IpAnonymizer.anonymize(ip, false)).isEqualTo(stored);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "203.0.113.77, 203.0.113.77",
    "::ffff:198.51.100.9, 198.51.100.9",
    "2001:db8:abcd:12:3456:789a:bcde:f012, 2001:db8:abcd:12::/64",
    "2001:db8:abcd:12::1, 2001:db8:abcd:12::/64",
    "[2001:DB8:ABCD:12:ffff::], 2001:db8:abcd:12::/64",
    "unknown, unknown"
  })
  void rateLimitsCountAnIpv4AddressAndAnIpv6Slash64(String ip, String network) {
    assertThat(IpAnonymizer.subscriberNetwork(ip)).isEqualTo(network);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "203.0.113.77, 203.0.113.77",
    "::ffff:198.51.100.9, 198.51.100.9",
    "2001:0DB8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1", // RFC 5952: first of equal runs
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // one zero group is not compressed
    "2001:4860:4860:0:0:0:0:8888, 2001:4860:4860::8888",
    "0:0:0:0:0:0:0:1, ::1"
  })
  void keepsTheWholeAddressInCanonicalFormWhenConfigured(String ip, String stored) {
    assertThat(IpAnonymizer.anonymize(ip, true)).isEqualTo(stored);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        " ",
        "example.com",
        "1.2.3",
        "1.2.3.256",
        "256.1.2.3",
        "01.2.3.4",
        "1.2.3.04",
        "1234.1.2.3",
        "1.2.3.4.",
        ".1.2.3.4",
        "1..2.3",
        "1.2.3.4.5",
        "1.2.3.-4",
        "1.2.3.4x",
        "1.2.3.4/24",
        "::g",
        "1:2:3:4:5:6:7:8:9",
        "a.b.c.d"
      })
  void invalidInputGivesNull(String ip) {
    assertThat(IpAnonymizer.anonymize(ip, false)).isNull();
    assertThat(IpAnonymizer.anonymize(ip, true)).isNull();
  }
}
