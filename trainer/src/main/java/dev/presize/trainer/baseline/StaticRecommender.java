package dev.presize.trainer.baseline;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.util.EnumMap;
import java.util.Map;

/**
 * The static baseline: a fixed allocation per resource that never changes, whatever is observed (the size a
 * function or VM was provisioned with, or a configured one). A resource without a size gets {@code NaN}.
 */
public final class StaticRecommender implements Recommender {

  /** The method's name. */
  public static final String NAME = "static";

  private final Map<Resource, Double> sizes;

  /** A static recommender allocating {@code sizes} (Series units: cores, bytes, bytes per second). */
  public StaticRecommender(Map<Resource, Double> sizes) {
    for (Map.Entry<Resource, Double> e : sizes.entrySet()) {
      if (e.getValue() == null || !(e.getValue() > 0) || e.getValue().isInfinite()) {
        throw new IllegalArgumentException("static size of " + e.getKey() + " must be positive and finite, was "
            + e.getValue());
      }
    }
    this.sizes = sizes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(sizes));
  }

  /** The factory allocating each series' {@link Series#provisioned() provisioned} sizes. */
  public static RecommenderFactory provisioned() {
    return RecommenderFactory.of(NAME, series -> new StaticRecommender(series.provisioned()));
  }

  /** The factory allocating the configured {@code sizes} to every series. */
  public static RecommenderFactory fixed(Map<Resource, Double> sizes) {
    StaticRecommender checked = new StaticRecommender(sizes);
    return RecommenderFactory.of(NAME, series -> checked);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void observe(Resource resource, long timeMillis, double value) {
    // Static by definition: usage does not change the allocation.
  }

  @Override
  public double recommend(Resource resource, long timeMillis) {
    Double size = sizes.get(resource);
    return size == null ? Double.NaN : size;
  }
}
