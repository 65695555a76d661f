package dev.presize.core.policy;

/** Saturating arithmetic for resource amounts (a wild forecast must not overflow into a tiny limit). */
final class Amounts {

  private Amounts() {}

  /**
   * {@code ceil(v)} as a long, saturating at {@link Long#MAX_VALUE}; NaN and negatives give 0. A relative
   * tolerance of 1e-12 absorbs floating-point noise, so {@code 400Mi × 1.1} is 440Mi, not 440Mi + 1 byte.
   */
  static long ceil(double v) {
    if (!(v > 0)) {
      return 0;
    }
    if (v >= 0x1p63) {
      return Long.MAX_VALUE;
    }
    return (long) Math.ceil(v - v * 1e-12);
  }

  /** {@code a + b} for non-negative amounts, saturating at {@link Long#MAX_VALUE}. */
  static long add(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }

  /**
   * {@code fraction} as a percentage with one decimal, e.g. {@code 12.5%} (cheap: no floating-point
   * formatting, which would dominate a decision's cost in Java 17).
   */
  static String percent(double fraction) {
    long tenths = Math.round(fraction * 1000);
    return (tenths / 10) + "." + Math.abs(tenths % 10) + "%";
  }

  /** {@code (to - from) / from}, the relative change; infinite when {@code from} is 0. */
  static double relativeChange(long from, long to) {
    return from == 0 ? Double.POSITIVE_INFINITY : Math.abs((double) to - (double) from) / from;
  }
}
