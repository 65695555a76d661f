package dev.presize.trainer.baseline;

import dev.presize.spi.resources.Resource;
import java.util.EnumMap;
import java.util.Map;

/**
 * The EWMA baseline: an exponentially weighted moving average of the observed values times {@code (1 + margin)}.
 *
 * <p>The half-life is in steps (observations): each new value gets weight {@code alpha = 1 - 2^(-1/halfLife)}, so
 * a value {@code halfLife} observations old weighs half as much as the newest. The first value initialises the
 * average.
 */
public final class EwmaRecommender implements Recommender {

  /** The method's name. */
  public static final String NAME = "ewma";
  /** The default half-life, in steps. */
  public static final double DEFAULT_HALF_LIFE_STEPS = 12;

  private final double alpha;
  private final double margin;
  private final Map<Resource, Double> average = new EnumMap<>(Resource.class);

  /** An EWMA recommender with a half-life of {@code halfLifeSteps} observations and {@code margin}. */
  public EwmaRecommender(double halfLifeSteps, double margin) {
    if (!(halfLifeSteps > 0) || Double.isInfinite(halfLifeSteps)) {
      throw new IllegalArgumentException("halfLifeSteps must be positive and finite, was " + halfLifeSteps);
    }
    this.alpha = 1 - Math.pow(2, -1 / halfLifeSteps);
    this.margin = Margins.check(margin);
  }

  /** The factory with {@link #DEFAULT_HALF_LIFE_STEPS} and {@link ReactiveRecommender#DEFAULT_MARGIN}. */
  public static RecommenderFactory factory() {
    return factory(DEFAULT_HALF_LIFE_STEPS, ReactiveRecommender.DEFAULT_MARGIN);
  }

  /** The factory with {@code halfLifeSteps} and {@code margin}. */
  public static RecommenderFactory factory(double halfLifeSteps, double margin) {
    new EwmaRecommender(halfLifeSteps, margin); // validates
    return RecommenderFactory.of(NAME, series -> new EwmaRecommender(halfLifeSteps, margin));
  }

  /** The weight of the newest value. */
  double alpha() {
    return alpha;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void observe(Resource resource, long timeMillis, double value) {
    if (Double.isNaN(value)) {
      return;
    }
    Double old = average.get(resource);
    average.put(resource, old == null ? value : old + alpha * (value - old));
  }

  @Override
  public double recommend(Resource resource, long timeMillis) {
    Double v = average.get(resource);
    return v == null ? Double.NaN : v * (1 + margin);
  }
}
