package dev.presize.trainer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuantileScoreTest {

  @Test
  @DisplayName("pinball loss: q x (y - f) below the actual, (1 - q) x (f - y) above it, 0 on it")
  void pinballByHand() {
    assertThat(QuantileScore.pinball(0.9, 8, 10)).isCloseTo(1.8, within(1e-12));
    assertThat(QuantileScore.pinball(0.9, 12, 10)).isCloseTo(0.2, within(1e-12));
    assertThat(QuantileScore.pinball(0.5, 12, 10)).isCloseTo(1.0, within(1e-12));
    assertThat(QuantileScore.pinball(0.9, 10, 10)).isZero();
  }

  @Test
  @DisplayName("mean pinball and coverage by hand, NaN pairs skipped")
  void meanAndCoverage() {
    double[] f = {8, 12, 10, Double.NaN};
    double[] y = {10, 10, 10, 3};
    // losses at q=0.9: 1.8, 0.2, 0 -> mean 2/3
    assertThat(QuantileScore.meanPinball(0.9, f, y)).isCloseTo(2.0 / 3, within(1e-12));
    // covered: 12>=10, 10>=10; not 8 -> 2/3
    assertThat(QuantileScore.coverage(f, y)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(QuantileScore.coverage(new double[] {Double.NaN}, new double[] {1})).isNaN();
  }

  @Test
  @DisplayName("the p90 of a uniform sample minimizes the mean pinball loss at q = 0.9")
  void pinballMinimalAtQuantile() {
    double[] y = new double[10];
    for (int i = 0; i < 10; i++) {
      y[i] = i + 1; // 1..10
    }
    double best = Double.NaN;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (double f = 0; f <= 11; f += 0.5) {
      double[] fs = new double[10];
      java.util.Arrays.fill(fs, f);
      double loss = QuantileScore.meanPinball(0.9, fs, y);
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        best = f;
      }
    }
    assertThat(best).isBetween(9.0, 10.0);
  }

  @Test
  @DisplayName("quantiles outside (0, 1) and mismatched lengths are rejected naming the value")
  void rejects() {
    assertThatThrownBy(() -> QuantileScore.pinball(1.0, 1, 1)).hasMessageContaining("was 1.0");
    assertThatThrownBy(() -> QuantileScore.coverage(new double[1], new double[2])).hasMessageContaining("1")
        .hasMessageContaining("2");
  }
}
