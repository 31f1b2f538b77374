package io.tinyscale.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AliasesTest {

  private static final String SHAPE_REASON =
      "alias must be 3 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "my-link",
        "My_Link_2024",
        "123",
        "API-docs",
        "apis",
        "health-check",
        "Q_1",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void acceptsWellFormedAliasesAsGiven(String alias) {
    assertThat(Aliases.check(alias)).isEqualTo(new AliasCheck.Valid(alias));
    assertThat(Aliases.looksLikeCode(alias)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "ab",
        "q",
        "has space",
        "a/b",
        "a.b",
        "ünïcode",
        "semi;colon",
        "favicon.ico",
        "%41bc",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void rejectsMalformedAliases(String alias) {
    assertThat(Aliases.check(alias)).isEqualTo(new AliasCheck.Invalid(SHAPE_REASON));
    assertThat(Aliases.looksLikeCode(alias)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "api,        'api' is reserved",
    "API,        'API' is reserved",
    "Health,     'Health' is reserved",
    "metrics,    'metrics' is reserved",
    "dashboard,  'dashboard' is reserved",
    "openapi,    'openapi' is reserved",
    "swagger-ui, 'swagger-ui' is reserved",
    "static,     'static' is reserved",
    "favicon,    'favicon' is reserved",
    "robots,     'robots' is reserved",
    "www,        'www' is reserved",
    "null,       'null' is reserved",
    "Undefined,  'Undefined' is reserved",
  })
  void rejectsReservedRouteWordsWhateverTheirCase(String alias, String reason) {
    assertThat(Aliases.check(alias)).isEqualTo(new AliasCheck.Invalid(reason));
    assertThat(Aliases.isReserved(alias)).isTrue();
    assertThat(Aliases.looksLikeCode(alias)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "dashboards, false",
        "apis,       false",
        "DOCS,       true",
        "Login,      true",
        "q,          true",
        "NULL,       false",
      })
  void isReservedIsAnExactCaseInsensitiveMatch(String word, boolean reserved) {
    assertThat(Aliases.isReserved(word)).isEqualTo(reserved);
  }

  @ParameterizedTest
  @CsvSource({
    "Ab3dE9z,     true",
    "x_y-z,       true",
    "api,         false",
    "assets,      false",
    "ab,          false",
    "abc/def,     false",
    "robots.txt,  false",
    "abc%2F,      false",
    "ab c,        false",
    "ünï,         false",
    "abc.,        false",
    "0123456789012345678901234567890123456789012345678901234567890123,  true",
    "01234567890123456789012345678901234567890123456789012345678901234, false",
  })
  void looksLikeCodeGatesTheRedirectRoute(String path, boolean code) {
    assertThat(Aliases.looksLikeCode(path)).isEqualTo(code);
  }
}
