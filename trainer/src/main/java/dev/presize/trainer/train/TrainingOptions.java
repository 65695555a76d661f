package dev.presize.trainer.train;

import dev.presize.trainer.features.Splits;
import dev.presize.trainer.features.Target;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a model is trained: the windows, the splits, the XGBoost parameters and the allocation operating point.
 *
 * @param name the model's name (the registry's), e.g. {@code bitbrains}
 * @param quantiles the quantiles every target's model predicts, increasing, in (0, 1)
 * @param horizonSteps H: the targets aggregate steps {@code t+1 .. t+H}
 * @param strideSteps the distance between consecutive windows of a series
 * @param maxRounds the most boosting rounds
 * @param earlyStoppingRounds training stops when the validation loss has not improved for this many rounds
 * @param maxDepth the trees' maximum depth
 * @param eta the learning rate
 * @param minChildWeight XGBoost {@code min_child_weight}
 * @param subsample the share of rows each tree samples (seeded)
 * @param colsampleByTree the share of features each tree samples (seeded)
 * @param maxBin histogram bins of the {@code hist} method
 * @param threads XGBoost threads
 * @param seed the seed of XGBoost and of the series split
 * @param splits the split by series (test) and time (validation)
 * @param allocationQuantile the quantile the allocation is read from (before calibration)
 * @param targetUnderProvisioned per target, the share of validation windows allowed above the allocation; the
 *     calibration factor is fitted to it
 * @param targets the targets to train (those without data are skipped)
 * @param minImprovement the relative decrease of the validation loss that counts as an improvement for early
 *     stopping (e.g. 0.001: a round must beat the best loss by 0.1%)
 */
public record TrainingOptions(String name, List<Double> quantiles, int horizonSteps, int strideSteps, int maxRounds,
    int earlyStoppingRounds, int maxDepth, double eta, double minChildWeight, double subsample,
    double colsampleByTree, int maxBin, int threads, long seed, Splits splits, double allocationQuantile,
    Map<Target, Double> targetUnderProvisioned, java.util.Set<Target> targets, double minImprovement) {

  /** The quantiles of every model: p50, p90, p99. */
  public static final List<Double> QUANTILES = List.of(0.5, 0.9, 0.99);

  public TrainingOptions {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("model name must be 1-64 letters, digits, '.', '_' or '-' (not first),"
          + " was '" + name + "'");
    }
    quantiles = List.copyOf(quantiles);
    if (quantiles.isEmpty()) {
      throw new IllegalArgumentException("at least one quantile is needed");
    }
    double prev = 0;
    for (double q : quantiles) {
      if (!(q > prev && q < 1)) {
        throw new IllegalArgumentException("quantiles must increase within (0, 1), were " + quantiles);
      }
      prev = q;
    }
    positive("horizonSteps", horizonSteps);
    positive("strideSteps", strideSteps);
    positive("maxRounds", maxRounds);
    positive("earlyStoppingRounds", earlyStoppingRounds);
    positive("maxDepth", maxDepth);
    positive("maxBin", maxBin);
    positive("threads", threads);
    if (!(eta > 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta must be in (0, 1], was " + eta);
    }
    if (!(minChildWeight >= 0)) {
      throw new IllegalArgumentException("minChildWeight must be >= 0, was " + minChildWeight);
    }
    if (!(subsample > 0 && subsample <= 1) || !(colsampleByTree > 0 && colsampleByTree <= 1)) {
      throw new IllegalArgumentException("subsample and colsampleByTree must be in (0, 1], were " + subsample
          + " and " + colsampleByTree);
    }
    Objects.requireNonNull(splits, "splits");
    if (!quantiles.contains(allocationQuantile)) {
      throw new IllegalArgumentException("allocationQuantile " + allocationQuantile + " is not one of the quantiles "
          + quantiles);
    }
    Map<Target, Double> under = new EnumMap<>(Target.class);
    under.putAll(targetUnderProvisioned);
    for (Target t : Target.values()) {
      Double u = under.get(t);
      if (u == null || !(u > 0 && u < 0.5)) {
        throw new IllegalArgumentException("targetUnderProvisioned of " + t + " must be in (0, 0.5), was " + u);
      }
    }
    targetUnderProvisioned = Map.copyOf(under);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one target must be trained");
    }
    targets = java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(targets));
    if (!(minImprovement >= 0 && minImprovement < 1)) {
      throw new IllegalArgumentException("minImprovement must be in [0, 1), was " + minImprovement);
    }
  }

  /**
   * The defaults for series with {@code horizonSteps} H: p50/p90/p99, stride 1, at most 1000 rounds with early
   * stopping after 10, depth 6, eta 0.3, min child weight 1, subsample and column sample 0.8, 128 bins, every core,
   * seed 42, early stopping when no round improves the validation loss by 0.1%, 20% of series held out as test and the last 20% of the others' time as validation; allocation from p99
   * calibrated to 0.1% under-provisioned windows for memory (an OOM kill loses work) and 0.5% for CPU, network and
   * disk (throttling only slows).
   */
  public static TrainingOptions defaults(String name, int horizonSteps) {
    Map<Target, Double> under = new EnumMap<>(Target.class);
    under.put(Target.MEMORY_PEAK, 0.001);
    under.put(Target.CPU_MEAN, 0.005);
    under.put(Target.NETWORK_PEAK, 0.005);
    under.put(Target.DISK_PEAK, 0.005);
    return new TrainingOptions(name, QUANTILES, horizonSteps, 1, 1000, 10, 6, 0.3, 1, 0.8, 0.8, 128,
        Runtime.getRuntime().availableProcessors(), 42, new Splits(0.2, 0.2, 42), 0.99, under,
        java.util.EnumSet.allOf(Target.class), 0.001);
  }

  /** A copy with {@code maxRounds}. */
  public TrainingOptions withMaxRounds(int rounds) {
    return new TrainingOptions(name, quantiles, horizonSteps, strideSteps, rounds, earlyStoppingRounds, maxDepth, eta,
        minChildWeight, subsample, colsampleByTree, maxBin, threads, seed, splits, allocationQuantile,
        targetUnderProvisioned, targets, minImprovement);
  }

  /**
   * The fast preset: 64 histogram bins, half the rows and columns sampled per tree, at most 60 rounds; a model in
   * well under a minute on a million windows of two cores, at some cost in accuracy (docs/benchmarks.md).
   */
  public TrainingOptions fast() {
    return new TrainingOptions(name, quantiles, horizonSteps, strideSteps, Math.min(60, maxRounds),
        earlyStoppingRounds, maxDepth, eta, minChildWeight, 0.5, 0.5, 64, threads, seed, splits, allocationQuantile,
        targetUnderProvisioned, targets, minImprovement);
  }

  /** A copy training only {@code only}. */
  public TrainingOptions withTargets(java.util.Set<Target> only) {
    return new TrainingOptions(name, quantiles, horizonSteps, strideSteps, maxRounds, earlyStoppingRounds, maxDepth,
        eta, minChildWeight, subsample, colsampleByTree, maxBin, threads, seed, splits, allocationQuantile,
        targetUnderProvisioned, only, minImprovement);
  }

  /** A copy with {@code strideSteps}. */
  public TrainingOptions withStride(int stride) {
    return new TrainingOptions(name, quantiles, horizonSteps, stride, maxRounds, earlyStoppingRounds, maxDepth, eta,
        minChildWeight, subsample, colsampleByTree, maxBin, threads, seed, splits, allocationQuantile,
        targetUnderProvisioned, targets, minImprovement);
  }

  /** The XGBoost parameters (besides the quantiles) as XGBoost4J takes them. */
  public Map<String, Object> xgboostParams() {
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("objective", "reg:quantileerror");
    p.put("quantile_alpha", quantileAlpha());
    p.put("tree_method", "hist");
    p.put("max_depth", maxDepth);
    p.put("eta", eta);
    p.put("min_child_weight", minChildWeight);
    p.put("subsample", subsample);
    p.put("colsample_bytree", colsampleByTree);
    p.put("max_bin", maxBin);
    p.put("nthread", threads);
    p.put("seed", seed);
    p.put("eval_metric", "quantile");
    p.put("verbosity", 1);
    return p;
  }

  /** The quantiles as XGBoost's {@code quantile_alpha} string, e.g. {@code [0.5,0.9,0.99]}. */
  public String quantileAlpha() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < quantiles.size(); i++) {
      b.append(i == 0 ? "" : ",").append(quantiles.get(i));
    }
    return b.append(']').toString();
  }

  private static void positive(String what, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, was " + v);
    }
  }
}
