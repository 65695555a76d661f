package dev.presize.trainer.baseline;

import dev.presize.spi.resources.Resource;

/**
 * A {@link Recommender} that also forecasts quantiles of the usage it sizes for, so a replay can score its forecasts
 * (pinball loss per quantile, coverage) apart from its allocation.
 */
public interface QuantileRecommender extends Recommender {

  /**
   * The {@code q}-quantile forecast of {@code resource}'s usage for the step last passed to
   * {@link #recommend(Resource, long)}; {@code NaN} when there is none (no basis yet, or {@code q} not forecast).
   */
  double quantile(Resource resource, double q);
}
