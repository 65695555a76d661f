package dev.presize.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  /** Windows whose actual is the forecast times a log-normal factor: {@code y = q · e^(0.1 z)}, median {@code q}. */
  private static double[][] windows(int n, long seed) {
    Random rnd = new Random(seed);
    double[] y = new double[n];
    double[] q = new double[n];
    double[] q50 = new double[n];
    for (int i = 0; i < n; i++) {
      q[i] = 100;
      q50[i] = 100;
      y[i] = 100 * Math.exp(0.1 * rnd.nextGaussian());
    }
    return new double[][] {y, q, q50};
  }

  @Test
  @DisplayName("with plenty of windows allowed above, the factor is the empirical one: that share above, no more")
  void empirical() {
    double[][] w = windows(100_000, 1);
    Calibration c = Calibration.fit(w[0], w[1], w[2], w[0].length, 0.01);
    assertThat(c.rule()).isEqualTo("scale");
    assertThat(c.underProvisioned()).isLessThanOrEqualTo(0.01).isGreaterThan(0.0099);
    assertThat(c.parameter()).isCloseTo(Math.exp(0.1 * 2.326), within(0.01));
  }

  @Test
  @DisplayName("with fewer than 10 windows allowed above, the factor is extrapolated from the tail, above the largest"
      + " need, and close to the true quantile")
  void tail() {
    double[][] w = windows(500, 2);
    double largest = 0;
    for (double y : w[0]) {
      largest = Math.max(largest, y / 100);
    }
    Calibration c = Calibration.fit(w[0], w[1], w[2], 500, 0.0005);
    assertThat(c.parameter()).isGreaterThanOrEqualTo(largest);
    assertThat(c.underProvisioned()).isZero();
    double truth = Math.exp(0.1 * 3.29); // the 99.95th percentile of the law
    assertThat(c.parameter()).isCloseTo(truth, within(0.08));
  }

  @Test
  @DisplayName("the tail of a sample of equal values is that value; a non-positive or infinite tail gives NaN")
  void tailEdges() {
    assertThat(Calibration.tail(new double[] {1, 2, 2, 2, 2, 2}, 0.001)).isEqualTo(2);
    assertThat(Calibration.tail(new double[] {0, 0, 0, 0, 0, 1}, 0.001)).isNaN();
    assertThat(Calibration.tail(new double[] {1, 1, 1, 1, 1, Double.POSITIVE_INFINITY}, 0.001)).isNaN();
  }

  @Test
  @DisplayName("the coverage spread moves a quantile forecast so that it covers its level of the windows")
  void coverageSpread() {
    Random rnd = new Random(3);
    int n = 2000;
    double[] y = new double[n];
    double[] q90 = new double[n];
    double[] q50 = new double[n];
    for (int i = 0; i < n; i++) {
      q50[i] = 100;
      q90[i] = 105; // too narrow: the actual spreads with sd 10
      y[i] = 100 + 10 * rnd.nextGaussian();
    }
    double k = Calibration.coverageSpread(y, q90, q50, n, 0.9);
    int covered = 0;
    for (int i = 0; i < n; i++) {
      covered += y[i] <= q50[i] + k * (q90[i] - q50[i]) ? 1 : 0;
    }
    assertThat((double) covered / n).isCloseTo(0.9, within(0.001));
    assertThat(k).isCloseTo(1.28 * 10 / 5, within(0.2));
    assertThat(Calibration.coverageSpread(y, q50, q50, n, 0.9)).as("no spread to scale").isEqualTo(1);
  }
}
