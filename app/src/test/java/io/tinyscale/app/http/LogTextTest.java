package io.tinyscale.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void controlCharactersCannotForgeALogLine() {
    assertThat(LogText.of("/api/x\r\n12:00:00 INFO forged"))
        .isEqualTo("/api/x\\u000d\\u000a12:00:00 INFO forged");
    assertThat(LogText.of("a\u0000b\u001bc\u2028d")).isEqualTo("a\\u0000b\\u001bc\\u2028d");
    assertThat(LogText.of("/plain/path")).isEqualTo("/plain/path");
    assertThat(LogText.of(null)).isEqualTo("null");
  }

  @Test
  void longTextIsCut() {
    assertThat(LogText.of("x".repeat(10_000))).hasSize(301).endsWith("…");
    assertThat(LogText.of("x".repeat(300))).hasSize(300);
  }
}
