package io.tinyscale.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {

  @ParameterizedTest
  @CsvSource({
    "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "The quick brown fox jumps over the lazy dog, d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
  })
  void hashIsLowerCaseHexSha256(String input, String expected) {
    assertThat(ApiKeys.hash(input)).isEqualTo(expected);
  }

  @Test
  void generatedKeyHasTheDocumentedShape() {
    var key = ApiKeys.generate();
    assertThat(key.plaintext()).hasSize(46).matches("ts_[0-9A-Za-z]{43}");
    assertThat(key.hash())
        .hasSize(64)
        .matches("[0-9a-f]{64}")
        .isEqualTo(ApiKeys.hash(key.plaintext()));
    assertThat(key.prefix())
        .hasSize(10)
        .isEqualTo(key.plaintext().substring(0, 10))
        .startsWith("ts_");
    assertThat(ApiKeys.looksLikeKey(key.plaintext())).isTrue();
  }

  @Test
  void generatedKeysAreDistinct() {
    var plaintexts = new HashSet<String>();
    var hashes = new HashSet<String>();
    for (int i = 0; i < 2_000; i++) {
      var key = ApiKeys.generate();
      plaintexts.add(key.plaintext());
      hashes.add(key.hash());
    }
    assertThat(plaintexts).hasSize(2_000);
    assertThat(hashes).hasSize(2_000);
  }

  @Test
  void toStringDoesNotRevealTheSecret() {
    var key = ApiKeys.generate();
    assertThat(key.toString())
        .doesNotContain(key.plaintext())
        .contains(key.prefix())
        .contains(key.hash());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "ts_",
        "ts_000000000000000000000000000000000000000000", // 42 digits
        "ts_00000000000000000000000000000000000000000000", // 44 digits
        "TS_0000000000000000000000000000000000000000000",
        "xx_0000000000000000000000000000000000000000000",
        "ts_000000000000000000000000000000000000000000!",
        "ts_000000000000000000000000000000000000000000-",
        "ts_00000000000000000000000000000000000000000é",
        "Bearer ts_0000000000000000000000000000000000000000000",
      })
  void looksLikeKeyRefusesAnythingElse(String candidate) {
    assertThat(ApiKeys.looksLikeKey(candidate)).isFalse();
  }

  @Test
  void looksLikeKeyAcceptsAnyWellFormedKey() {
    assertThat(ApiKeys.looksLikeKey("ts_0000000000000000000000000000000000000000000")).isTrue();
    assertThat(ApiKeys.looksLikeKey("ts_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")).isTrue();
  }
}
