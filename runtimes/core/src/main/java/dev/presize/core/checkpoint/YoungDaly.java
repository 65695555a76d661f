package dev.presize.core.checkpoint;

import java.time.Duration;

/**
 * Young's first-order optimum checkpoint interval, {@code T = sqrt(2 * C / λ)} (Daly's refinement differs by
 * terms small when {@code C << 1/λ}), for a checkpoint costing C and failures at rate λ, clamped to bounds.
 */
public final class YoungDaly {

  private YoungDaly() {
  }

  /** The unclamped interval in seconds; infinite when {@code hazardPerSecond} is 0. */
  public static double intervalSeconds(double costSeconds, double hazardPerSecond) {
    if (!(costSeconds >= 0) || Double.isInfinite(costSeconds)) {
      throw new IllegalArgumentException("costSeconds must be finite and >= 0, was " + costSeconds);
    }
    if (!(hazardPerSecond >= 0)) {
      throw new IllegalArgumentException("hazardPerSecond must be >= 0, was " + hazardPerSecond);
    }
    return hazardPerSecond == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(2 * costSeconds / hazardPerSecond);
  }

  /** The interval for {@code cost} and {@code hazardPerSecond}, clamped to {@code [min, max]}. */
  public static Duration interval(Duration cost, double hazardPerSecond, Duration min, Duration max) {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 <= min <= max, was min=" + min + " max=" + max);
    }
    double seconds = intervalSeconds(cost.toNanos() / 1e9, hazardPerSecond);
    if (!(seconds * 1e9 < max.toNanos())) {
      return max;
    }
    Duration t = Duration.ofNanos(Math.round(seconds * 1e9));
    return t.compareTo(min) < 0 ? min : t;
  }
}
