package dev.presize.trainer.baseline;

import java.time.Duration;

/**
 * The time-scaling rule shared by the VPA and Autopilot baselines: their time constants were chosen for data at a
 * 5-minute step, so for a series at step {@code s} every constant is multiplied by {@code s / 5 min}. A constant then
 * spans the same number of <em>steps</em> as on 5-minute data (a 24 h half-life is 288 steps at any step; for a 10 ms
 * step it becomes 2.88 s). Scale 1 keeps the original constants.
 */
final class TimeScale {

  /** The step the original constants assume. */
  static final Duration REFERENCE_STEP = Duration.ofMinutes(5);

  private TimeScale() {}

  /** {@code step / 5 min}. */
  static double forStep(Duration step) {
    if (step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("step must be positive, was " + step);
    }
    return (double) step.toNanos() / REFERENCE_STEP.toNanos();
  }

  /** {@code timeScale} if positive and finite, else an exception naming it. */
  static double check(double timeScale) {
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new IllegalArgumentException("timeScale must be positive and finite, was " + timeScale);
    }
    return timeScale;
  }

  /** {@code d * timeScale} in milliseconds, at least 1 ms. */
  static long scaledMillis(Duration d, double timeScale) {
    return Math.max(1, Math.round(d.toMillis() * timeScale));
  }
}
