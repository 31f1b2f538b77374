package io.tinyscale.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class UrlPolicyTest {

  private static final String PREFIX = "https://example.com/"; // 20 characters

  private final UrlPolicy policy =
      new UrlPolicy("http://localhost:8080", Set.of("evil.com", "böse.example"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://example.com                          | https://example.com",
        "http://example.com/path?q=1#frag             | http://example.com/path?q=1#frag",
        "HTTP://EXAMPLE.COM/Path/To?Q=Up#Top          | http://example.com/Path/To?Q=Up#Top",
        "HtTpS://Example.Com:8443/a                   | https://example.com:8443/a",
        "http://a.com/%0d%0a                          | http://a.com/%0d%0a",
        "https://example.com/a%20b?x=%E2%82%AC&y=%2F  | https://example.com/a%20b?x=%E2%82%AC&y=%2F",
        "http://bücher.example/x                      | http://xn--bcher-kva.example/x",
        "http://BÜCHER.example/Ü                      | http://xn--bcher-kva.example/%C3%9C",
        "https://example.com/café?q=ü#ß               | https://example.com/caf%C3%A9?q=%C3%BC#%C3%9F",
        "https://example.com/日本/😀                    | https://example.com/%E6%97%A5%E6%9C%AC/%F0%9F%98%80",
        "https://example.com/caf%C3%A9é               | https://example.com/caf%C3%A9%C3%A9",
        "http://例え.テスト/                             | http://xn--r8jz45g.xn--zckzah/",
        "http://xn--bcher-kva.example/                | http://xn--bcher-kva.example/",
        "http://example.com./x                        | http://example.com/x",
        "http://Example.COM.:81                       | http://example.com:81",
        "http://example.com:/x                        | http://example.com/x",
        "http://example.com:08080/                    | http://example.com:8080/",
        "http://example.com:65535/                    | http://example.com:65535/",
        "http://192.0.2.1/                            | http://192.0.2.1/",
        "http://127.0.0.1:8080/                       | http://127.0.0.1:8080/",
        "http://[2001:DB8::1]:8080/                   | http://[2001:db8::1]:8080/",
        "http://notevil.com/                          | http://notevil.com/",
        "http://evil.com.example.org/                 | http://evil.com.example.org/",
        "http://localhost.example.com/                | http://localhost.example.com/",
        "https://sub_domain.example.com/              | https://sub_domain.example.com/",
        "https://example.com/?next=a@b.com            | https://example.com/?next=a@b.com",
        "https://example.com/#@evil.com               | https://example.com/#@evil.com",
        "https://example.com?                         | https://example.com?",
        "https://x.example/a/../b/./c                 | https://x.example/a/../b/./c",
      })
  void acceptsAndNormalises(String input, String expected) {
    assertThat(policy.check(input)).isEqualTo(new UrlCheck.Accepted(expected));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("rejected")
  void rejectsWithAReason(String input, String reasonFragment) {
    assertThat(policy.check(input))
        .isInstanceOfSatisfying(
            UrlCheck.Rejected.class, r -> assertThat(r.reason()).contains(reasonFragment));
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(null, "a URL is required"),
        Arguments.of("", "a URL is required"),
        Arguments.of("   ", "a URL is required"),
        Arguments.of("http://a.com/\r\nSet-Cookie:x=1", "U+000D at position 14"),
        Arguments.of("http://a.com/\nx", "U+000A"),
        Arguments.of("http://a.com/x\ty", "U+0009"),
        Arguments.of("http://a.com/a b", "a space at position 15"),
        Arguments.of(" http://a.com/", "a space at position 1"),
        Arguments.of("http://a.com/\u007f", "U+007F"),
        Arguments.of("http://a.com/\u0000", "U+0000"),
        Arguments.of("http://a.com/\u00a0", "U+00A0"),
        Arguments.of("http://a.com/\u200b", "U+200B"),
        Arguments.of("http://a.com/\u202eexe.txt", "U+202E"),
        Arguments.of("http://a.com/\ud800x", "unpaired UTF-16 surrogate U+D800 at position 14"),
        Arguments.of(
            "javascript:alert(1)",
            "only http:// and https:// URLs can be shortened, not 'javascript:'"),
        Arguments.of("JavaScript://%0aalert(1)", "not 'javascript:'"),
        Arguments.of("data:text/html,<b>x</b>", "not 'data:'"),
        Arguments.of("ftp://example.com/file", "not 'ftp:'"),
        Arguments.of("ftp://", "not 'ftp:'"),
        Arguments.of("//no-scheme.com", "must be absolute and start with http:// or https://"),
        Arguments.of("example.com/page", "must be absolute"),
        Arguments.of("/relative/path", "must be absolute"),
        Arguments.of("http:/example.com", "must start with http:// followed by a host"),
        Arguments.of("https:example.com", "must start with https:// followed by a host"),
        Arguments.of("http://", "the URL has no host"),
        Arguments.of("http:///path", "the URL has no host"),
        Arguments.of("http://?q", "the URL has no host"),
        Arguments.of("http://user:pw@a.com", "user name or password"),
        Arguments.of("http://user@a.com/", "user name or password"),
        Arguments.of("http://@a.com/", "user name or password"),
        Arguments.of("http://a.com:80@b.com/", "user name or password"),
        Arguments.of("http://a.com\\@b.com", "backslash"),
        Arguments.of("http://a.com\\b", "backslash"),
        Arguments.of("http://a.com/x\\y", "backslash"),
        Arguments.of("http://localhost/", "links to localhost are not allowed"),
        Arguments.of("https://LOCALHOST:9999/x", "links to localhost are not allowed"),
        Arguments.of("http://localhost./", "links to localhost are not allowed"),
        Arguments.of("http://evil.com/", "links to evil.com are blocked"),
        Arguments.of("http://EVIL.com./x", "links to evil.com are blocked"),
        Arguments.of("http://a.b.evil.com/", "links to a.b.evil.com are blocked"),
        Arguments.of(
            "http://\uff45\uff56\uff49\uff4c.com/",
            "links to evil.com are blocked"), // fullwidth letters
        Arguments.of(
            "http://evil\u3002com/", "links to evil.com are blocked"), // ideographic full stop
        Arguments.of(
            "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54:8080/",
            "links to localhost are not allowed"),
        Arguments.of("http://böse.example/", "links to xn--bse-sna.example are blocked"),
        Arguments.of(
            "http://sub.xn--bse-sna.example/", "links to sub.xn--bse-sna.example are blocked"),
        Arguments.of("http://a..b/", "not a valid host name"),
        Arguments.of("http://.a.com/", "not a valid host name"),
        Arguments.of("http://a.com../", "not a valid host name"),
        Arguments.of("http://-bad-.com/", "not a valid host name"),
        Arguments.of("http://bad-.com/", "not a valid host name"),
        Arguments.of("http://a!b.com/", "not a valid host name"),
        Arguments.of("http://" + "a".repeat(64) + ".com/", "not a valid host name"),
        Arguments.of("http://2130706433/", "must be an IPv4 address"),
        Arguments.of("http://0x7f.0.0.1/", "must be an IPv4 address"),
        Arguments.of("http://127.1/", "must be an IPv4 address"),
        Arguments.of("http://999.1.1.1/", "must be an IPv4 address"),
        Arguments.of("http://010.0.0.1/", "must be an IPv4 address"),
        Arguments.of("http://a.com:0/", "is not a number from 1 to 65535"),
        Arguments.of("http://a.com:65536/", "is not a number from 1 to 65535"),
        Arguments.of("http://a.com:http/", "the port 'http' is not a number"),
        Arguments.of("http://a.com:-1/", "is not a number"),
        Arguments.of("http://a.com:99999999999/", "is not a number"),
        Arguments.of("http://[::g]/", "not a valid IPv6 address"),
        Arguments.of("http://[::1]x/", "only ':' and a port may follow"),
        Arguments.of("http://ex%61mple.com/", "must not be percent-encoded"),
        Arguments.of(
            "http://a.com/{x}", "not a valid URL: Illegal character in path at position 14"),
        Arguments.of("http://a.com/\"quoted\"", "not a valid URL"),
        Arguments.of("http://faß.de/", "'ß'"),
        Arguments.of(
            PREFIX + "a".repeat(2029),
            "the URL is 2049 characters long; at most 2048 are allowed"));
  }

  @Test
  void acceptsExactly2048Characters() {
    var url = PREFIX + "a".repeat(2028);
    assertThat(url).hasSize(2048);
    assertThat(policy.check(url)).isEqualTo(new UrlCheck.Accepted(url));
  }

  @Test
  void measuresTheLengthAgainAfterPunycode() {
    var url = "http://ü.example/" + "a".repeat(2048 - 17); // "ü" becomes "xn--tda"
    assertThat(url).hasSize(2048);
    assertThat(policy.check(url))
        .isEqualTo(
            new UrlCheck.Rejected(
                "the URL is 2054 characters long once converted to ASCII; at most 2048 are allowed"));
  }

  @Test
  void measuresTheLengthAgainAfterPercentEncoding() {
    var url = PREFIX + "é".repeat(1000); // 1,020 characters, 6,020 once encoded
    assertThat(policy.check(url))
        .isEqualTo(
            new UrlCheck.Rejected(
                "the URL is 6020 characters long once converted to ASCII; at most 2048 are allowed"));
  }

  @Test
  void encodesTheCharactersGivenWithoutUnicodeNormalisation() {
    // "e" + COMBINING ACUTE ACCENT stays two characters; NFC would make it "é" (%C3%A9)
    assertThat(policy.check(PREFIX + "cafe\u0301"))
        .isEqualTo(new UrlCheck.Accepted(PREFIX + "cafe%CC%81"));
  }

  @Test
  void ownHostIsComparedInItsNormalForm() {
    var idn = new UrlPolicy("https://Bücher.Example./base", Set.of());
    assertThat(idn.check("http://xn--bcher-kva.example/")).isInstanceOf(UrlCheck.Rejected.class);
    assertThat(idn.check("http://BÜCHER.example:444/")).isInstanceOf(UrlCheck.Rejected.class);
    assertThat(idn.check("http://localhost/"))
        .isEqualTo(new UrlCheck.Accepted("http://localhost/"));

    var ipv6 = new UrlPolicy("http://[::1]:8080", Set.of());
    assertThat(ipv6.check("http://[0:0::1]/")).isInstanceOf(UrlCheck.Rejected.class);
    assertThat(ipv6.check("http://[::2]/")).isEqualTo(new UrlCheck.Accepted("http://[::2]/"));
  }

  @Test
  void blockedHostsAreNormalisedAndIpLiteralsMatchExactly() {
    var p =
        new UrlPolicy("https://s.example", Set.of(" Evil.COM. ", "", "192.0.2.7", "[2001:db8::0]"));
    assertThat(p.check("https://www.evil.com/")).isInstanceOf(UrlCheck.Rejected.class);
    assertThat(p.check("http://192.0.2.7/")).isInstanceOf(UrlCheck.Rejected.class);
    assertThat(p.check("http://[2001:DB8::]/")).isInstanceOf(UrlCheck.Rejected.class);
    assertThat(p.check("http://192.0.2.77/"))
        .isEqualTo(new UrlCheck.Accepted("http://192.0.2.77/"));
    assertThat(p.check("https://s.example.org/"))
        .isEqualTo(new UrlCheck.Accepted("https://s.example.org/"));
    assertThat(p.check("https://S.Example/x"))
        .isEqualTo(
            new UrlCheck.Rejected(
                "links to s.example are not allowed: it is this shortener's own address,"
                    + " and the short link would redirect to itself"));
  }

  @Test
  void aMalformedConfigurationFailsAtStartUp() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new UrlPolicy("localhost:8080", Set.of()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new UrlPolicy("http://exa mple.com", Set.of()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new UrlPolicy("http://ok.example", Set.of("a..b")))
        .withMessageContaining("not a valid host name");
  }

  @Test
  void maxLengthIs2048() {
    assertThat(UrlPolicy.MAX_LENGTH).isEqualTo(2048);
  }
}
