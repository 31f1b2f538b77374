package io.tinyscale.core.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Against the real database the build put on the classpath. */
class CountriesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "8.8.8.8, US", // Google Public DNS
    "81.2.69.142, GB",
    "193.0.6.139, NL", // RIPE NCC
    "2001:4860:4860::8888, US", // Google Public DNS over IPv6
    "2001:67c:2e8:22::c100:68b, NL", // RIPE NCC over IPv6
    "::ffff:8.8.8.8, US", // how a dual-stack socket reports an IPv4 peer
    "' 8.8.8.8 ', US",
    "[2001:4860:4860::8888], US"
  })
  void publicAddresses(String ip, String country) {
    assertThat(Shared.countries().country(ip)).isEqualTo(country);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1", // private
        "127.0.0.1",
        "::1", // loopback
        "169.254.10.1",
        "fe80::1",
        "fe80::1%eth0", // link-local
        "fd12:3456:789a::1", // unique local
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1", // unspecified, multicast
        "100.64.0.1" // carrier-grade NAT: not in the database
      })
  void addressesThatAreNotRoutedHaveNoCountry(String ip) {
    assertThat(Shared.countries().country(ip)).isNull();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "  ",
        "example.com",
        "localhost",
        "1.2",
        "010.1.1.1",
        "256.1.1.1",
        "1.2.3.4.5",
        "8.8.8.8:53",
        "2001:db8::g",
        "not an ip",
        "::ffff:999.1.1.1"
      })
  void invalidInputHasNoCountryAndIsNeverResolved(String ip) {
    assertThat(Shared.countries().country(ip)).isNull();
  }
}
