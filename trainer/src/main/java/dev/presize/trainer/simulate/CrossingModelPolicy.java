package dev.presize.trainer.simulate;

import dev.presize.core.checkpoint.CheckpointSchedule;
import dev.presize.core.checkpoint.CrossingFeatures;
import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.core.model.CrossingModel;
import dev.presize.spi.resources.Quantiles;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The adaptive schedule fed by a {@link CrossingModel}: the production {@link CheckpointSchedule} (calibration by
 * context, contention trigger, Young/Daly interval, clamps), with the model's probability of a crossing in the
 * next step as the raw exceedance probability ({@link CheckpointSchedule.Input#withExceedance}) instead of the one
 * read off the stand-in forecast. The features are computed online from the steps already played
 * ({@link CrossingInputs}), as the live loop computes them.
 */
public final class CrossingModelPolicy implements CheckpointPolicy {

  private final SimulationParams params;
  private final ExceedanceCalibration calibration;
  private final CrossingModel model;
  private final Series series;
  private final float[] row = new float[CrossingFeatures.WIDTH];
  private CheckpointSchedule schedule;
  private CheckpointJob job;
  private CrossingInputs inputs;
  private double pendingRaw = Double.NaN;
  private int pendingContext = ExceedanceCalibration.NO_CONTEXT;

  /**
   * @param params the settings
   * @param calibration the calibration of the job's function, fed with each step's outcome once played
   * @param model the crossing model
   * @param series the series the job is made from (its CPU, network, disk and timestamps)
   */
  public CrossingModelPolicy(SimulationParams params, ExceedanceCalibration calibration, CrossingModel model,
      Series series) {
    this.params = params;
    this.calibration = calibration;
    this.model = model;
    this.series = series;
  }

  @Override
  public void start(CheckpointJob job) {
    this.job = job;
    this.schedule = AdaptivePolicy.schedule(params, calibration);
    this.inputs = new CrossingInputs(series, job);
    this.pendingRaw = Double.NaN;
  }

  @Override
  public Plan plan(int step, double lastSteps) {
    double[] m = job.memory();
    if (!Double.isNaN(pendingRaw)) {
      schedule.observeOutcome(pendingRaw, pendingContext, job.fails()[step - 1]);
      pendingRaw = Double.NaN;
    }
    if (step == 0 || m[step - 1] > job.capacity()) {
      return new Plan(false, params.maxIntervalSteps());
    }
    inputs.featuresAfter(step - 1, row);
    pendingRaw = model.probability(row);
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
