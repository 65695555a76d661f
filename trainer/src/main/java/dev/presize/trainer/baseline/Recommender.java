package dev.presize.trainer.baseline;

import dev.presize.spi.resources.Resource;

/**
 * An online sizing method replayed over one usage series: it decides an allocation from the past only.
 *
 * <p>Protocol, at every step {@code t} of a replay, for every resource: the caller first asks
 * {@link #recommend(Resource, long)} (the allocation for the step ending at {@code t}, decided from the values
 * observed before), then {@link #observe(Resource, long, double)}s the step's actual usage. Times are epoch
 * milliseconds and must not go backwards; values are in the {@link dev.presize.trainer.model.Series} units
 * (CPU mean cores, MEMORY bytes, NETWORK/DISK bytes per second). A {@code NaN} value (a step the source has no
 * value for) is ignored. Instances are stateful and single-threaded: build a fresh one per series with the
 * method's {@link RecommenderFactory}.
 */
public interface Recommender {

  /** The method's stable name, e.g. {@code vpa}. */
  String name();

  /** Records the usage {@code value} of {@code resource} over the step ending at {@code timeMillis}. */
  void observe(Resource resource, long timeMillis, double value);

  /**
   * The allocation of {@code resource} at {@code timeMillis}, from the values observed so far; {@code NaN} when the
   * method has no basis yet (nothing observed, or a resource it does not size), in which case the caller keeps its
   * fallback (e.g. the provisioned size).
   */
  double recommend(Resource resource, long timeMillis);
}
