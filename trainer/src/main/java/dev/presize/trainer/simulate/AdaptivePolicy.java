package dev.presize.trainer.simulate;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.checkpoint.CheckpointSchedule;
import dev.presize.core.checkpoint.CostEstimate;
import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.core.checkpoint.ExceedanceModel;
import dev.presize.core.checkpoint.HourOfWeekProfile;
import dev.presize.spi.resources.Quantiles;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The adaptive schedule under simulation: the production {@link CheckpointSchedule} of {@code runtimes/core}
 * (contention trigger, Young/Daly interval from the hazard, clamps) fed by {@link TrailingDeltaForecast}, its
 * exceedance probability calibrated online ({@link ExceedanceCalibration}) from the outcome of every step played.
 *
 * <p>One simulated step is mapped to one second of schedule time (the schedule only sees ratios of durations).
 * The forecast horizon is one step. While the job is over its capacity it has already failed and restarted with
 * more memory, so no failure can come in the step after one over it: the plan for that step is {@link #NO_RISK}, no
 * checkpoint during it. The cost estimate is fed the true C after every checkpoint (the simulation's measured cost),
 * and the invocation is not long-running (there is no host pressure in these traces, so no deferral).
 */
public final class AdaptivePolicy implements CheckpointPolicy {

  /**
   * The plan for a step that cannot fail (the first, or one after a step over the capacity: a failure needs an upward
   * crossing): no checkpoint during it. Whatever work it adds is at risk only from the next step on, so a checkpoint
   * at its end, decided by the next step's plan, guards the same work as any taken during it, and costs no more.
   */
  static final Plan NO_RISK = new Plan(false, Double.POSITIVE_INFINITY);

  private static final Instant EPOCH = Instant.EPOCH;
  private static final Duration STEP = Duration.ofSeconds(1);

  private final SimulationParams params;
  private final ExceedanceCalibration calibration;
  private CheckpointSchedule schedule;
  private TrailingDeltaForecast forecast;
  private CheckpointJob job;
  private int fedUpTo;
  private double pendingRaw = Double.NaN;
  private int pendingContext = ExceedanceCalibration.NO_CONTEXT;

  /**
   * @param params the settings
   * @param calibration the calibration of exceedance probabilities (of the job's function), fed with the outcome
   *     of each step once it is played
   */
  public AdaptivePolicy(SimulationParams params, ExceedanceCalibration calibration) {
    this.params = params;
    this.calibration = calibration;
  }

  @Override
  public void start(CheckpointJob job) {
    this.job = job;
    this.schedule = schedule(params, calibration);
    this.forecast = new TrailingDeltaForecast(params.windowSteps());
    this.fedUpTo = 0;
    this.pendingRaw = Double.NaN;
  }

  @Override
  public Plan plan(int step, double lastSteps) {
    double[] m = job.memory();
    while (fedUpTo + 1 < step) { // history: changes up to m[step-1]
      forecast.add(m[fedUpTo + 1] - m[fedUpTo]);
      fedUpTo++;
    }
    if (!Double.isNaN(pendingRaw)) { // the forecast for step-1 is over: was the capacity crossed?
      schedule.observeOutcome(pendingRaw, pendingContext, job.fails()[step - 1]);
      pendingRaw = Double.NaN;
    }
    if (step == 0 || m[step - 1] > job.capacity()) {
      return NO_RISK;
    }
    if (forecast.size() == 0) {
      return new Plan(false, params.maxIntervalSteps());
    }
    Quantiles q = forecast.next(m[step - 1]);
    pendingRaw = ExceedanceModel.probabilityAbove(q, job.capacity());
    pendingContext = params.contexts() ? context(m, step - 1, job.capacity()) : ExceedanceCalibration.NO_CONTEXT;
    Instant now = EPOCH.plus(steps(step));
    Instant last = EPOCH.plus(steps(lastSteps));
    CheckpointSchedule.Decision d = schedule.decide(now, new CheckpointSchedule.Input(last, Duration.ofMinutes(1),
        q, job.capacity(), STEP, Optional.empty()).withContext(pendingContext));
    double interval = d.interval().toNanos() / 1e9;
    boolean now0 = d instanceof CheckpointSchedule.Checkpoint;
    if (now0) {
      schedule.observeCost(steps(params.costSteps()).toNanos());
    }
    return new Plan(now0, interval);
  }

  /**
   * The calibration context at step {@code i}: the headroom {@code capacity - m[i]} over the mean absolute change of
   * the last {@link ExceedanceCalibration#CONTEXT_STEPS} steps up to {@code i} ({@link ExceedanceCalibration#context}).
   */
  static int context(double[] m, int i, double capacity) {
    double sum = 0;
    int k = 0;
    for (int q = i; q >= Math.max(1, i - ExceedanceCalibration.CONTEXT_STEPS + 1); q--) {
      sum += Math.abs(m[q] - m[q - 1]);
      k++;
    }
    return k == 0 ? ExceedanceCalibration.NO_CONTEXT : ExceedanceCalibration.context(capacity - m[i], sum / k);
  }

  /**
   * The production schedule as the simulation runs it: {@code params}' bounds, cost and contention threshold, one
   * second per step, no deferral, no lead (checkpoints land at once), calibrated by {@code calibration}. A failure
   * costs nothing beyond the work since the last checkpoint (the job restarts from it at once, with more memory), so
   * the failure cost is 0: a contention checkpoint goes only when {@code P · (steps since the last checkpoint)} is at
   * least C.
   */
  static CheckpointSchedule schedule(SimulationParams params, ExceedanceCalibration calibration) {
    CheckpointConfig d = CheckpointConfig.defaults();
    CheckpointConfig config = new CheckpointConfig(Optional.empty(), d.storeRoot(), d.keepLast(),
        steps(params.minIntervalSteps()), steps(params.maxIntervalSteps()), steps(params.costSteps()), 0.3,
        params.contentionThreshold(), Duration.ofDays(365), Duration.ZERO, d.lowPressurePercent(),
        d.profileWeight(), d.pressureRoot(), Duration.ZERO, Duration.ZERO);
    CostEstimate cost = new CostEstimate(steps(params.costSteps()), 0.3);
    return new CheckpointSchedule(config, cost, new HourOfWeekProfile(0.1), calibration);
  }

  static Duration steps(double steps) {
    return Duration.ofNanos(Math.round(steps * 1e9));
  }
}
