package dev.presize.trainer.simulate;

import java.util.Arrays;
import java.util.List;

/**
 * The settings of a checkpoint simulation, in steps of the series.
 *
 * @param costSteps C, the cost of one checkpoint
 * @param capacityQuantile the quantile of a series' own memory taken as its capacity (see {@link CheckpointJob})
 * @param windowSteps the trailing window of the adaptive policy's forecast
 * @param minIntervalSteps the adaptive schedule's lower clamp
 * @param maxIntervalSteps the adaptive schedule's upper clamp
 * @param contentionThreshold P(exceed next step) at which the adaptive schedule checkpoints at once
 * @param fixedIntervalsSteps the fixed intervals swept
 * @param calibrate whether the adaptive schedule calibrates its exceedance probabilities online
 *     ({@link dev.presize.core.checkpoint.ExceedanceCalibration}) or takes them as the forecast gives them
 * @param contexts whether the calibration is kept per context (the headroom over the mean absolute change of the
 *     last {@link dev.presize.core.checkpoint.ExceedanceCalibration#CONTEXT_STEPS} steps,
 *     {@link dev.presize.core.checkpoint.ExceedanceCalibration#context}), as
 *     the live loop keeps it
 */
public record SimulationParams(double costSteps, double capacityQuantile, int windowSteps, double minIntervalSteps,
    double maxIntervalSteps, double contentionThreshold, double[] fixedIntervalsSteps, boolean calibrate,
    boolean contexts) {

  public SimulationParams {
    if (!(costSteps > 0)) {
      throw new IllegalArgumentException("costSteps must be > 0, was " + costSteps);
    }
    if (!(minIntervalSteps > 0 && maxIntervalSteps >= minIntervalSteps)) {
      throw new IllegalArgumentException("need 0 < min <= max interval, was " + minIntervalSteps + ", "
          + maxIntervalSteps);
    }
    fixedIntervalsSteps = fixedIntervalsSteps.clone();
    if (fixedIntervalsSteps.length == 0 || Arrays.stream(fixedIntervalsSteps).anyMatch(t -> !(t > 0))) {
      throw new IllegalArgumentException("need at least one fixed interval, each > 0, was "
          + Arrays.toString(fixedIntervalsSteps));
    }
  }

  /**
   * The fixed intervals swept by default, in steps: 0.1 to 102 in ratios of {@code 2^(1/4)} (rounded to three
   * significant digits, so neighbours are at most 1.195 apart), with 1, 2, 6, 12, 24 and 48 (5, 10, 30, 60, 120 and
   * 240 minutes at a 5-minute step). So fine that, where the best fixed interval lies inside the sweep, the best of
   * them wastes within about 0.5% of it (near its optimum the waste of an interval off by a factor r grows by
   * {@code (r + 1/r)/2 - 1}, 0.4% at half the grid's ratio): the baseline is the best fixed interval in hindsight,
   * not the best of a few round numbers. {@code presize checkpoint-sim} says when the best is at an end of the sweep.
   */
  public static double[] defaultFixedIntervals() {
    java.util.TreeSet<Double> t = new java.util.TreeSet<>(List.of(1.0, 2.0, 6.0, 12.0, 24.0, 48.0));
    for (int k = 0; k <= 40; k++) {
      t.add(new java.math.BigDecimal(0.1 * Math.pow(2, k / 4.0)).round(new java.math.MathContext(3)).doubleValue());
    }
    return t.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The defaults: C = 0.1 step (30 s at Bitbrains' 5-minute step), capacity at each series' p95, a one-day window
   * at 5 minutes (288 steps), clamps [0.2, 48] steps, contention at 0.2, and the {@link #defaultFixedIntervals()}.
   */
  public static SimulationParams defaults() {
    return new SimulationParams(0.1, 0.95, 288, 0.2, 48, 0.2, defaultFixedIntervals(), true, true);
  }

  /** The same with another C. */
  public SimulationParams withCostSteps(double c) {
    return new SimulationParams(c, capacityQuantile, windowSteps, minIntervalSteps, maxIntervalSteps,
        contentionThreshold, fixedIntervalsSteps, calibrate, contexts);
  }

  /** The same with or without online calibration of the exceedance probability. */
  public SimulationParams withCalibration(boolean on) {
    return new SimulationParams(costSteps, capacityQuantile, windowSteps, minIntervalSteps, maxIntervalSteps,
        contentionThreshold, fixedIntervalsSteps, on, contexts);
  }

  /** The same with or without calibration contexts. */
  public SimulationParams withContexts(boolean on) {
    return new SimulationParams(costSteps, capacityQuantile, windowSteps, minIntervalSteps, maxIntervalSteps,
        contentionThreshold, fixedIntervalsSteps, calibrate, on);
  }

  @Override
  public String toString() {
    return "C=" + costSteps + " steps, capacity=p" + Math.round(capacityQuantile * 100) + " of each series, window="
        + windowSteps + " steps, clamps=[" + minIntervalSteps + ", " + maxIntervalSteps + "] steps, contention="
        + contentionThreshold + ", fixed=" + fixedIntervalsSteps.length + " intervals of " + fixedIntervalsSteps[0]
        + " to " + fixedIntervalsSteps[fixedIntervalsSteps.length - 1] + " steps, calibration="
        + (calibrate ? "online" + (contexts ? " by context" : "") : "none");
  }
}
