package io.tinyscale.core.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferrersTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "https://www.google.com/search?q=tinyscale, google.com",
    "https://WWW.Example.COM:8443/a/b?c=d#e, example.com",
    "http://news.ycombinator.com/item?id=1, news.ycombinator.com",
    "https://t.co/abc, t.co",
    "https://example.com., example.com",
    "https://user:secret@example.org/, example.org",
    "'  https://blog.example.net/post  ', blog.example.net",
    "http://[2001:db8::1]:8080/x, [2001:db8::1]",
    "https://www.com/, www.com",
    "https://xn--bcher-kva.example/, xn--bcher-kva.example"
  })
  void reducesToTheHost(String referrer, String host) {
    assertThat(Referrers.host(referrer)).isEqualTo(host);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "  ",
        "google.com",
        "/relative/path",
        "android-app://com.google.android.gm/",
        "file:///etc/passwd",
        "ftp://example.com/",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "http://exa mple.com/",
        "https://bücher.example/",
        "about:blank"
      })
  void givesNullForBlankInvalidOrNonHttpReferrers(String referrer) {
    assertThat(Referrers.host(referrer)).isNull();
  }
}
