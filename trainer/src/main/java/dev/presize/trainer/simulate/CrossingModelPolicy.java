package dev.presize.trainer.simulate;

import dev.presize.core.checkpoint.CheckpointSchedule;
import dev.presize.core.checkpoint.CrossingFeatures;
import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.core.model.CrossingModel;
import dev.presize.trainer.model.Series;

/**
 * The adaptive schedule fed by a {@link CrossingModel}: the production {@link CheckpointSchedule} (calibration by
 * context, contention trigger, Young/Daly interval, clamps), with the model's probability of a crossing in the
 * next step as the raw exceedance probability ({@link CheckpointSchedule.Input#withExceedance}) instead of the one
 * read off the stand-in forecast. The features are computed online from the steps already played
 * ({@link CrossingInputs}), as the live loop computes them.
 */
public final class CrossingModelPolicy extends GivenExceedancePolicy {

  private final CrossingModel model;
  private final Series series;
  private final float[] row = new float[CrossingFeatures.WIDTH];
  private CrossingInputs inputs;

  /**
   * @param params the settings
   * @param calibration the calibration of the job's function, fed with each step's outcome once played
   * @param model the crossing model
   * @param series the series the job is made from (its CPU, network, disk and timestamps)
   */
  public CrossingModelPolicy(SimulationParams params, ExceedanceCalibration calibration, CrossingModel model,
      Series series) {
    super(params, calibration);
    this.model = model;
    this.series = series;
  }

  @Override
  void started(CheckpointJob job) {
    inputs = new CrossingInputs(series, job);
  }

  @Override
  double rawExceedance(CheckpointJob job, int step) {
    inputs.featuresAfter(step - 1, row);
    return model.probability(row);
  }
}
