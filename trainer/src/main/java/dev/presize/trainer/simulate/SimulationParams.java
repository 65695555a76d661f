package dev.presize.trainer.simulate;

import java.util.Arrays;

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
  }

  /**
   * The defaults: C = 0.1 step (30 s at Bitbrains' 5-minute step), capacity at each series' p95, a one-day window
   * at 5 minutes (288 steps), clamps [0.2, 48] steps, contention at 0.2, and fixed intervals of 0.2 to 48 steps
   * (1, 2, 5, 10, 30, 60, 120 and 240 minutes at a 5-minute step).
   */
  public static SimulationParams defaults() {
    return new SimulationParams(0.1, 0.95, 288, 0.2, 48, 0.2, new double[] {0.2, 0.4, 1, 2, 6, 12, 24, 48}, true,
        true);
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
        + contentionThreshold + ", fixed=" + Arrays.toString(fixedIntervalsSteps) + " steps, calibration="
        + (calibrate ? "online" + (contexts ? " by context" : "") : "none");
  }
}
