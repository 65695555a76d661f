package dev.presize.spi.resources;

/**
 * A forecast of one resource as three quantiles of its need over the horizon; the spread is the uncertainty.
 *
 * @param p50 the median need
 * @param p90 the need exceeded one time in ten
 * @param p99 the need exceeded one time in a hundred
 */
public record Quantiles(double p50, double p90, double p99) {

  public Quantiles {
    check("p50", p50);
    check("p90", p90);
    check("p99", p99);
    if (p90 < p50 || p99 < p90) {
      throw new IllegalArgumentException(
          "quantiles must not decrease: p50=" + p50 + " p90=" + p90 + " p99=" + p99);
    }
  }

  /** Quantiles that may have crossed (independent quantile models do that), sorted into order. */
  public static Quantiles sorted(double a, double b, double c) {
    double lo = Math.min(a, Math.min(b, c));
    double hi = Math.max(a, Math.max(b, c));
    double mid = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c)); // exact (a + b + c - lo - hi rounds)
    return new Quantiles(lo, mid, hi);
  }

  /** p99 − p50: how unsure the forecast is, in the resource's unit. */
  public double spread() {
    return p99 - p50;
  }

  /** Every quantile scaled by {@code factor} (≥ 0), e.g. to widen a stale forecast. */
  public Quantiles scaled(double factor) {
    if (!(factor >= 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be finite and >= 0, was " + factor);
    }
    return new Quantiles(p50 * factor, p90 * factor, p99 * factor);
  }

  private static void check(String name, double v) {
    if (!Double.isFinite(v) || v < 0) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + v);
    }
  }
}
