package io.tinyscale.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class EmailsTest {

  @ParameterizedTest
  @CsvSource(
      quoteCharacter = '"',
      value = {
        "\"  Bob@Example.COM  \", bob@example.com",
        "a@b.co, a@b.co",
        "First.Last+Tag@Sub.Example.ORG, first.last+tag@sub.example.org",
        "o'brien@example.ie, o'brien@example.ie",
      })
  void normalisesValidAddresses(String input, String expected) {
    assertThat(Emails.normalise(input)).contains(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @MethodSource("invalid")
  void rejectsInvalidAddresses(String input) {
    assertThat(Emails.normalise(input)).isEmpty();
  }

  static Stream<String> invalid() {
    return Stream.of(
        "   ",
        "bob",
        "@example.com",
        "bob@",
        "bob@example",
        "bob@@example.com",
        "a@b@example.com",
        "bob smith@example.com",
        "bob@exa mple.com",
        "bob\n@example.com",
        "bob\u0000@example.com",
        "bob\u00a0x@example.com",
        "bob@.example.com",
        "bob@example.com.",
        "bob@example..com",
        "a".repeat(64) + "@" + "b".repeat(186) + ".com"); // 255 characters
  }

  @Test
  void acceptsUpTo254Characters() {
    var at254 = "a".repeat(64) + "@" + "b".repeat(185) + ".com";
    var at255 = "a" + at254;
    assertThat(at254).hasSize(254);
    assertThat(Emails.normalise(at254)).contains(at254);
    assertThat(Emails.normalise(at255)).isEmpty();
  }
}
