package dev.presize.trainer.evaluate;

/** Sums one method's scores of one resource over the steps of a replay; resets its resize memory per series. */
final class MetricsAccumulator {

  private static final double P90 = 0.9;

  private long steps;
  private long fallbackSteps;
  private long unallocatedSteps;
  private long ownSteps;
  private double slackSum;
  private double allocatedSum;
  private double usedSum;
  private long under;
  private double pinballSum;
  private long forecastSteps;
  private double pinball50;
  private double pinball90;
  private double pinball99;
  private long covered90;
  private long covered99;
  private long resizes;
  private double previous = Double.NaN;

  /** Forgets the previous allocation: the next series starts without a resize. */
  void startSeries() {
    previous = Double.NaN;
  }

  /** A step with usage but no allocation at all. */
  void unallocated() {
    unallocatedSteps++;
  }

  /** Scores {@code allocated} against {@code used}; {@code fallback} says the allocation was not the method's own. */
  void score(double allocated, double used, boolean fallback) {
    score(allocated, used, fallback, Double.NaN, Double.NaN, Double.NaN);
  }

  /**
   * Scores {@code allocated} against {@code used}, and the method's own quantile forecasts {@code q50, q90, q99}
   * when it gave them (not {@code NaN}): pinball loss per quantile and coverage of p90 and p99.
   */
  void score(double allocated, double used, boolean fallback, double q50, double q90, double q99) {
    if (!Double.isNaN(q50) && !Double.isNaN(q90) && !Double.isNaN(q99)) {
      forecastSteps++;
      pinball50 += QuantileScore.pinball(0.5, q50, used);
      pinball90 += QuantileScore.pinball(P90, q90, used);
      pinball99 += QuantileScore.pinball(0.99, q99, used);
      covered90 += used <= q90 ? 1 : 0;
      covered99 += used <= q99 ? 1 : 0;
    }
    steps++;
    if (fallback) {
      fallbackSteps++;
    } else {
      ownSteps++;
    }
    // clipped to [0, 1]: an under-provisioned step wastes nothing (its cost is in `under`); nothing allocated,
    // nothing wasted
    slackSum += allocated > 0 ? Math.min(1, Math.max(0, (allocated - used) / allocated)) : 0;
    allocatedSum += allocated;
    usedSum += used;
    if (used > allocated) {
      under++;
    }
    pinballSum += QuantileScore.pinball(P90, allocated, used);
    if (!Double.isNaN(previous) && Math.abs(allocated - previous) > Replay.RESIZE_THRESHOLD * Math.abs(previous)) {
      resizes++;
    }
    previous = allocated;
  }

  /** Steps scored with the method's own allocation. */
  long ownSteps() {
    return ownSteps;
  }

  ResourceMetrics metrics() {
    double n = steps;
    double f = forecastSteps;
    boolean forecasts = forecastSteps > 0;
    return new ResourceMetrics(steps, fallbackSteps, unallocatedSteps,
        steps == 0 ? Double.NaN : slackSum / n,
        allocatedSum > 0 ? (allocatedSum - usedSum) / allocatedSum : Double.NaN,
        steps == 0 ? Double.NaN : under / n,
        steps == 0 ? Double.NaN : (steps - under) / n,
        forecasts ? pinball90 / f : steps == 0 ? Double.NaN : pinballSum / n,
        resizes,
        steps == 0 ? Double.NaN : allocatedSum / n,
        steps == 0 ? Double.NaN : usedSum / n,
        forecastSteps,
        forecasts ? covered90 / f : steps == 0 ? Double.NaN : (steps - under) / n,
        forecasts ? covered99 / f : Double.NaN,
        forecasts ? pinball50 / f : Double.NaN,
        forecasts ? pinball99 / f : Double.NaN);
  }
}
