package io.tinyscale.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyscale.app.http.ClientAddress.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TINYSCALE_TRUSTED_PROXIES: CIDR matching and who the client is, without a server. */
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

  private static final ClientAddress BEHIND_PROXIES =
      new ClientAddress(List.of("10.0.0.0/8", " 192.168.1.5 ", "", "::1"));

  @ParameterizedTest(name = "peer {0}, X-Forwarded-For \"{1}\": {2}")
  @CsvSource(
      delimiter = ';',
      nullValues = "none",
      value = {
        // a trusted proxy: the first untrusted hop from the right is the client
        "10.0.0.2; 203.0.113.7; 203.0.113.7",
        "10.0.0.2; 198.51.100.1, 203.0.113.7, 10.0.0.3; 203.0.113.7",
        "192.168.1.5; 203.0.113.7 , 10.9.9.9; 203.0.113.7",
        "::1; 2001:db8::1; 2001:db8::1",
        "::ffff:10.0.0.2; 203.0.113.7; 203.0.113.7",
        // nothing but our proxies: the peer
        "10.0.0.2; 10.0.0.3, 10.0.0.4; 10.0.0.2",
        "10.0.0.2; none; 10.0.0.2",
        // the client hop is not an IP literal (and is never looked up): the peer
        "10.0.0.2; localhost; 10.0.0.2",
        "10.0.0.2; 203.0.113.7, unknown; 10.0.0.2",
        "10.0.0.2; ' '; 10.0.0.2",
        // anyone else's header is ignored, so clients cannot choose their address
        "203.0.113.9; 198.51.100.1; 203.0.113.9",
        "192.168.1.6; 198.51.100.1; 192.168.1.6",
        "unknown; 198.51.100.1; unknown"
      })
  void theClientIsTheFirstUntrustedHopBehindOurProxies(
      String peer, String forwarded, String client) {
    assertThat(BEHIND_PROXIES.of(peer, forwarded)).isEqualTo(client);
  }

  @Test
  void withoutTrustedProxiesTheHeaderNeverCounts() {
    ClientAddress direct = new ClientAddress(List.of());
    assertThat(direct.of("10.0.0.2", "203.0.113.7")).isEqualTo("10.0.0.2");
    assertThat(direct.isForwardedSecure("10.0.0.2", "https")).isFalse();
  }

  @Test
  void onlyATrustedProxyCanSayTheClientUsedTls() {
    assertThat(BEHIND_PROXIES.isForwardedSecure("10.0.0.2", "https")).isTrue();
    assertThat(BEHIND_PROXIES.isForwardedSecure("10.0.0.2", "HTTPS")).isTrue();
    assertThat(BEHIND_PROXIES.isForwardedSecure("10.0.0.2", "http")).isFalse();
    assertThat(BEHIND_PROXIES.isForwardedSecure("10.0.0.2", null)).isFalse();
    assertThat(BEHIND_PROXIES.isForwardedSecure("203.0.113.9", "https")).isFalse();
  }

  @Test
  void aBadTrustedProxyEntryStopsTheStart() {
    assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/8", "proxy.internal")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("proxy.internal");
  }
}
