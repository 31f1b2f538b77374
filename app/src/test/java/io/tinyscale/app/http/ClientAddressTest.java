package io.tinyscale.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyscale.app.http.ClientAddress.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TINYSCALE_TRUSTED_PROXIES' CIDR matching, without a server. */
class ClientAddressTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.1.2.3, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.4.0/22, 192.168.7.255, true",
    "192.168.4.0/22, 192.168.8.0, false",
    "127.0.0.1, 127.0.0.1, true",
    "127.0.0.1, 127.0.0.2, false",
    "0.0.0.0/0, 203.0.113.9, true",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "::1/128, ::1, true",
    // a dual-stack socket reports IPv4 peers as IPv4-mapped IPv6
    "10.0.0.0/8, ::ffff:10.1.2.3, true",
    // families never match each other
    "0.0.0.0/0, 2001:db8::1, false",
    "::/0, 10.1.2.3, false"
  })
  void matchesByPrefix(String cidr, String address, boolean contained) {
    assertThat(Cidr.parse(cidr).contains(Cidr.literal(address).orElseThrow())).isEqualTo(contained);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "example.com", "10.0.0.0/33", "::/129", "10.1", "10.0.0.0/x"})
  void anythingButAnIpOrCidrIsRefusedWithoutALookup(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOfAny(IllegalArgumentException.class)
        .hasMessageContaining("TINYSCALE_TRUSTED_PROXIES");
  }

  @Test
  void literalsAreParsedWithoutDns() {
    assertThat(Cidr.literal("localhost")).isEmpty();
    assertThat(Cidr.literal("[2001:db8::1]")).isPresent();
    assertThat(Cidr.literal(null)).isEmpty();
  }
}
