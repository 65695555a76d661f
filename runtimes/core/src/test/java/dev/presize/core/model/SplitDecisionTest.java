package dev.presize.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The branch-free split decision of the complete layout against the plain float rule, on awkward values. */
class SplitDecisionTest {

  private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
      -Float.MIN_NORMAL, 1f, -1f, 1.5f, -1.5f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001),
      Math.nextUp(1f), Math.nextDown(1f), Math.nextDown(0f), Math.nextUp(-0f)};

  private static int expected(float x, float c, boolean defaultLeft) {
    if (Float.isNaN(x)) {
      return defaultLeft ? 1 : 0;
    }
    return x < c ? 1 : 0;
  }

  private static void check(float x, float c) {
    for (int dl = 0; dl <= 1; dl++) {
      int got = TreeEnsemble.goesLeft(TreeEnsemble.rowKey(x, dl == 1), TreeEnsemble.thresholdKey(c));
      assertThat(got).as("x=%s (0x%08x) c=%s (0x%08x) defaultLeft=%d", x, Float.floatToRawIntBits(x), c,
          Float.floatToRawIntBits(c), dl).isEqualTo(expected(x, c, dl == 1));
    }
  }

  @DisplayName("goesLeft(rowKey(x), thresholdKey(c)) is x < c for every value and the default for NaN: zeros, subnormals, infinities")
  @Test
  void specialValues() {
    for (float x : SPECIAL) {
      for (float c : SPECIAL) {
        check(x, c);
      }
    }
  }

  @DisplayName("goesLeft agrees with x < c on a million random bit patterns and near-equal pairs")
  @Test
  void randomValues() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 1_000_000; i++) {
      float x = Float.intBitsToFloat(random.nextInt());
      float c = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt())
          : Float.intBitsToFloat(Float.floatToRawIntBits(x) + random.nextInt(-2, 3));
      check(x, c);
    }
  }
}
