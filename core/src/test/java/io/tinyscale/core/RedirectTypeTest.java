package io.tinyscale.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectTypeTest {

  @ParameterizedTest
  @CsvSource({
    "301, MOVED_PERMANENTLY",
    "302, FOUND",
    "307, TEMPORARY_REDIRECT",
    "308, PERMANENT_REDIRECT"
  })
  void mapsEachRedirectStatusBothWays(int status, RedirectType type) {
    assertThat(RedirectType.of(status)).contains(type);
    assertThat(type.status()).isEqualTo(status);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 200, 300, 303, 304, 404, -302})
  void otherStatusesAreNotRedirectTypes(int status) {
    assertThat(RedirectType.of(status)).isEmpty();
  }

  @Test
  void defaultIs302SoThatBrowsersDoNotCacheTheRedirect() {
    assertThat(RedirectType.DEFAULT).isEqualTo(RedirectType.FOUND);
    assertThat(RedirectType.DEFAULT.status()).isEqualTo(302);
  }

  @Test
  void onlyThreeHundredOneAndThreeHundredEightArePermanent() {
    assertThat(Arrays.stream(RedirectType.values()).filter(RedirectType::isPermanent))
        .containsExactlyInAnyOrder(RedirectType.MOVED_PERMANENTLY, RedirectType.PERMANENT_REDIRECT);
  }
}
