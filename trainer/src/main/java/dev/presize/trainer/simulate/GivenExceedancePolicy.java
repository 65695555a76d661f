package dev.presize.trainer.simulate;

import dev.presize.core.checkpoint.CheckpointSchedule;
import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.spi.resources.Quantiles;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The adaptive schedule with the exceedance probability of each step given by a model of the crossing instead of
 * read off a forecast: the production {@link CheckpointSchedule} takes it as the raw P
 * ({@link CheckpointSchedule.Input#withExceedance}), so calibration by context, the contention trigger and the Young
 * interval run unchanged. Subclasses say where the probability comes from.
 */
abstract class GivenExceedancePolicy implements CheckpointPolicy {

  private final SimulationParams params;
  private final ExceedanceCalibration calibration;
  private CheckpointSchedule schedule;
  private CheckpointJob job;
  private double pendingRaw = Double.NaN;
  private int pendingContext = ExceedanceCalibration.NO_CONTEXT;

  GivenExceedancePolicy(SimulationParams params, ExceedanceCalibration calibration) {
    this.params = params;
    this.calibration = calibration;
  }

  /** The raw probability that job step {@code step} crosses the capacity (its history is before it), or NaN. */
  abstract double rawExceedance(CheckpointJob job, int step);

  /** Called once per job before its first step. */
  void started(CheckpointJob job) {
  }

  @Override
  public final void start(CheckpointJob job) {
    this.job = job;
    this.schedule = AdaptivePolicy.schedule(params, calibration);
    this.pendingRaw = Double.NaN;
    started(job);
  }

  @Override
  public final Plan plan(int step, double lastSteps) {
    double[] m = job.memory();
    if (!Double.isNaN(pendingRaw)) {
      schedule.observeOutcome(pendingRaw, pendingContext, job.fails()[step - 1]);
      pendingRaw = Double.NaN;
    }
    if (step == 0 || m[step - 1] > job.capacity()) {
      return AdaptivePolicy.NO_RISK;
    }
    double raw = rawExceedance(job, step);
    if (Double.isNaN(raw)) {
      return new Plan(false, params.maxIntervalSteps());
    }
    pendingRaw = Math.min(1, Math.max(0, raw));
    pendingContext = params.contexts() ? AdaptivePolicy.context(m, step - 1, job.capacity())
        : ExceedanceCalibration.NO_CONTEXT;
    double level = m[step - 1];
    CheckpointSchedule.Decision d = schedule.decide(Instant.EPOCH.plus(AdaptivePolicy.steps(step)),
        new CheckpointSchedule.Input(Instant.EPOCH.plus(AdaptivePolicy.steps(lastSteps)), Duration.ofMinutes(1),
            new Quantiles(level, level, level), job.capacity(), Duration.ofSeconds(1), Optional.empty())
            .withExceedance(pendingRaw).withContext(pendingContext));
    boolean now = d instanceof CheckpointSchedule.Checkpoint;
    if (now) {
      schedule.observeCost(AdaptivePolicy.steps(params.costSteps()).toNanos());
    }
    return new Plan(now, d.interval().toNanos() / 1e9);
  }
}
