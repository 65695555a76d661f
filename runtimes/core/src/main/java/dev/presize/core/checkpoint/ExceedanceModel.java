package dev.presize.core.checkpoint;

import dev.presize.spi.resources.Quantiles;
import java.time.Duration;

/**
 * The probability that a need exceeds what is available, read off a forecast's three quantiles, and the hazard
 * rate derived from it.
 *
 * <p>The CDF is piecewise linear through {@code (0, 0)}, {@code (p50, 0.5)}, {@code (p90, 0.9)} and
 * {@code (p99, 0.99)}. <b>Tail assumption:</b> beyond p99 the survival function decays exponentially at the rate
 * the forecast itself shows between p90 and p99 (a tenfold drop, 0.1 to 0.01, over {@code p99 - p90}), that is
 * {@code S(x) = 0.01 * 10^(-(x - p99) / (p99 - p90))}; when {@code p99 == p90} the forecast has no tail and
 * {@code S(x) = 0} above p99. Equal quantiles make a step in the CDF (a point mass). So a wider forecast puts more
 * probability above a given amount: more uncertainty means a larger hazard and more frequent checkpoints.
 */
public final class ExceedanceModel {

  private ExceedanceModel() {
  }

  /** P(need &gt; available) under the interpolated CDF; in [0, 1]. */
  public static double probabilityAbove(Quantiles q, double available) {
    if (!(available >= 0) || Double.isInfinite(available)) {
      throw new IllegalArgumentException("available must be finite and >= 0, was " + available);
    }
    return 1 - cdf(q, available);
  }

  /**
   * The hazard per second: {@code P(need > available over the horizon) / horizon}. (For the small probabilities
   * that matter this equals the rate of a Poisson process with that probability, {@code -ln(1-P)/h}; for large P
   * the contention trigger fires first anyway.)
   */
  public static double hazardPerSecond(Quantiles q, double available, Duration horizon) {
    if (horizon.isZero() || horizon.isNegative()) {
      throw new IllegalArgumentException("horizon must be positive, was " + horizon);
    }
    return probabilityAbove(q, available) / (horizon.toNanos() / 1e9);
  }

  /** The interpolated CDF at {@code x}. */
  static double cdf(Quantiles q, double x) {
    if (x < q.p50()) {
      return q.p50() <= 0 ? 0 : 0.5 * x / q.p50();
    }
    if (x < q.p90()) {
      return 0.5 + 0.4 * (x - q.p50()) / (q.p90() - q.p50());
    }
    if (x < q.p99()) {
      return 0.9 + 0.09 * (x - q.p90()) / (q.p99() - q.p90());
    }
    double gap = q.p99() - q.p90();
    if (gap <= 0) {
      return 1;
    }
    return 1 - 0.01 * Math.pow(10, -(x - q.p99()) / gap);
  }
}
