package io.tinyscale.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PasswordRulesTest {

  private static final String REQUIRED = "a password is required";
  private static final String TOO_SHORT = "the password must be at least 10 characters long";
  private static final String TOO_LONG = "the password must be at most 200 characters long";

  @Test
  void limitsAreTheDocumentedOnes() {
    assertThat(PasswordRules.MIN_PASSWORD_LENGTH).isEqualTo(10);
    assertThat(PasswordRules.MAX_PASSWORD_LENGTH).isEqualTo(200);
    assertThat(PasswordRules.MAX_PASSWORD_BYTES).isEqualTo(72);
  }

  @ParameterizedTest
  @MethodSource("acceptable")
  void acceptsPasswordsWithinTheLimits(String password) {
    assertThat(PasswordRules.problem(password)).isEmpty();
  }

  static Stream<String> acceptable() {
    return Stream.of(
        "1234567890",
        "correct horse battery staple",
        "a".repeat(72),
        "é".repeat(36), // 72 bytes
        "🔑".repeat(10)); // 10 characters, 40 bytes
  }

  @ParameterizedTest
  @MethodSource("unacceptable")
  void explainsWhatIsWrong(String password, String problem) {
    assertThat(PasswordRules.problem(password)).contains(problem);
  }

  static Stream<Arguments> unacceptable() {
    return Stream.of(
        Arguments.of(null, REQUIRED),
        Arguments.of("", REQUIRED),
        Arguments.of(" ".repeat(12), REQUIRED),
        Arguments.of("short", TOO_SHORT),
        Arguments.of("123456789", TOO_SHORT),
        Arguments.of("🔑".repeat(9), TOO_SHORT), // 18 chars in UTF-16, 9 characters
        Arguments.of("a".repeat(201), TOO_LONG));
  }

  @Test
  void refusesMoreThan72BytesBecauseBcryptWouldIgnoreTheRest() {
    assertThat(PasswordRules.problem("a".repeat(73)))
        .hasValueSatisfying(
            p -> assertThat(p).startsWith("the password must be at most 72 bytes in UTF-8"));
    assertThat(PasswordRules.problem("é".repeat(37))) // 37 characters, 74 bytes
        .hasValueSatisfying(p -> assertThat(p).contains("72 bytes"));
  }
}
