package io.tinyscale.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShortCodesTest {

  @Test
  void codesAreSevenBase62Characters() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(ShortCodes.random()).hasSize(7).matches("[0-9A-Za-z]{7}");
    }
    assertThat(ShortCodes.LENGTH).isEqualTo(7);
  }

  @Test
  void tenThousandCodesAreDistinct() {
    var codes = new HashSet<String>();
    IntStream.range(0, 10_000).forEach(i -> codes.add(ShortCodes.random()));
    assertThat(codes).hasSize(10_000);
  }

  @Test
  void everySymbolIsUsedAboutEquallyOften() {
    int codes = 20_000;
    var counts = new int[62];
    for (int i = 0; i < codes; i++) {
      for (char c : ShortCodes.random().toCharArray()) {
        counts[Base62.ALPHABET.indexOf(c)]++;
      }
    }
    double expected = codes * 7 / 62.0; // ≈ 2258, standard deviation ≈ 47
    double chiSquare = 0;
    for (int count : counts) {
      assertThat(count).isBetween((int) (expected * 0.85), (int) (expected * 1.15));
      chiSquare += (count - expected) * (count - expected) / expected;
    }
    // 61 degrees of freedom: mean 61; above 130 happens with p < 1e-6. A modulo bias
    // (symbols 0-7 drawn 25 % more often) scores in the thousands.
    assertThat(chiSquare).isLessThan(130);
  }

  @Test
  void bytesThatWouldBiasTheAlphabetAreSkipped() {
    // 0x3e and 0x3f (62, 63 after masking) are rejected; 0xff masks to 63, 0x40 to 0, 0x7d to 61.
    var scripted =
        new ScriptedRandom(
            new byte[] {0x3e, 0x3f, 0x00, (byte) 0xff, 0x40, 0x7d, 0x0a, 0x24, 0x25});
    assertThat(Base62.random(scripted, 6)).isEqualTo("00zAab");
  }

  @Test
  void encodesUnsignedBigEndianNumbersPaddedToWidth() {
    assertThat(Base62.encode(new byte[32], 43)).isEqualTo("0".repeat(43));
    assertThat(Base62.encode(new byte[] {0, 61}, 3)).isEqualTo("00z");
    assertThat(Base62.encode(new byte[] {0, 62}, 3)).isEqualTo("010");
    assertThat(Base62.encode(new byte[] {(byte) 0xff}, 2)).isEqualTo("47"); // 255 = 4 * 62 + 7
  }

  @Test
  void fortyThreeDigitsHoldAnyThirtyTwoBytesAndFortyTwoDoNot() {
    var max = new byte[32];
    java.util.Arrays.fill(max, (byte) 0xff);
    assertThat(Base62.encode(max, 43)).hasSize(43).matches("[0-9A-Za-z]{43}");
    assertThatThrownBy(() -> Base62.encode(max, 42)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Hands out the given bytes in order, then zeros. */
  private static final class ScriptedRandom extends Random {
    private final byte[] script;
    private int next;

    ScriptedRandom(byte[] script) {
      this.script = script;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = next < script.length ? script[next++] : 0;
      }
    }
  }
}
