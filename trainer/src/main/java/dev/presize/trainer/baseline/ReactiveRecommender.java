package dev.presize.trainer.baseline;

import dev.presize.spi.resources.Resource;
import java.util.EnumMap;
import java.util.Map;

/** The reactive baseline: the last observed value times {@code (1 + margin)}. */
public final class ReactiveRecommender implements Recommender {

  /** The method's name. */
  public static final String NAME = "reactive";
  /** The default margin, 15 %. */
  public static final double DEFAULT_MARGIN = 0.15;

  private final double margin;
  private final Map<Resource, Double> last = new EnumMap<>(Resource.class);

  /** A reactive recommender adding {@code margin} (a fraction, e.g. 0.15) to the last value. */
  public ReactiveRecommender(double margin) {
    this.margin = Margins.check(margin);
  }

  /** The factory with {@link #DEFAULT_MARGIN}. */
  public static RecommenderFactory factory() {
    return factory(DEFAULT_MARGIN);
  }

  /** The factory with {@code margin}. */
  public static RecommenderFactory factory(double margin) {
    Margins.check(margin);
    return RecommenderFactory.of(NAME, series -> new ReactiveRecommender(margin));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void observe(Resource resource, long timeMillis, double value) {
    if (!Double.isNaN(value)) {
      last.put(resource, value);
    }
  }

  @Override
  public double recommend(Resource resource, long timeMillis) {
    Double v = last.get(resource);
    return v == null ? Double.NaN : v * (1 + margin);
  }
}
