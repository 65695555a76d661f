package dev.presize.trainer.baseline;

/** Argument checks shared by the baselines. */
final class Margins {

  private Margins() {}

  /** {@code margin} if it is a finite fraction {@code >= 0}, else an exception naming it. */
  static double check(double margin) {
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be a finite fraction >= 0, was " + margin);
    }
    return margin;
  }

  /** {@code p} if it is in (0, 1], else an exception naming {@code what}. */
  static double fraction(String what, double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException(what + " must be in (0, 1], was " + p);
    }
    return p;
  }
}
