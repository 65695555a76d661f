package dev.presize.core.model;

import java.util.Objects;

/**
 * The forecast model of one target of a model bundle (for example {@code memory}): an XGBoost multi-quantile
 * {@link TreeEnsemble} plus the transform from its outputs to quantiles in the target's unit, as
 * {@code docs/model-format.md} specifies. {@link #predict} turns a feature row into non-decreasing quantiles with
 * no allocation. Immutable and safe to share between threads.
 */
public final class QuantileModel {

  /** How a booster output {@code z_k} becomes quantile {@code q_k}. */
  public sealed interface Transform permits Identity, LogRatio {}

  /** {@code q_k = z_k}. */
  public record Identity() implements Transform {}

  /**
   * {@code q_k = max(0, (r + offset) · exp(z_k) − offset)} with {@code r} the feature row's {@code reference}
   * column (at {@code referenceIndex}); a {@code NaN} reference gives {@code NaN} quantiles.
   */
  public record LogRatio(String reference, int referenceIndex, double offset) implements Transform {
    public LogRatio {
      Objects.requireNonNull(reference, "reference");
      if (referenceIndex < 0) {
        throw new IllegalArgumentException("referenceIndex=" + referenceIndex + " for '" + reference + "'");
      }
      if (!Double.isFinite(offset) || offset < 0) {
        throw new IllegalArgumentException("offset=" + offset + ": must be finite and >= 0");
      }
    }
  }

  /**
   * How an allocation is derived from the quantiles: {@code q(allocationQuantile) · factor}, with {@code factor}
   * fitted so that at most {@code targetUnderProvisioned} of validation windows exceed it.
   */
  public record Calibration(double allocationQuantile, double factor, double targetUnderProvisioned) {
    public Calibration {
      if (!(allocationQuantile > 0 && allocationQuantile < 1)) {
        throw new IllegalArgumentException("allocationQuantile=" + allocationQuantile + ": must be in (0, 1)");
      }
      if (!(factor >= 1) || Double.isInfinite(factor)) {
        throw new IllegalArgumentException("factor=" + factor + ": must be finite and >= 1");
      }
      if (!(targetUnderProvisioned >= 0 && targetUnderProvisioned < 1)) {
        throw new IllegalArgumentException("targetUnderProvisioned=" + targetUnderProvisioned
            + ": must be in [0, 1)");
      }
    }
  }

  private final String name;
  private final String target;
  private final String resource;
  private final String unit;
  private final double[] quantiles;
  private final TreeEnsemble ensemble;
  private final Transform transform;
  private final Calibration calibration;
  // The transform unpacked for the hot path.
  private final boolean logRatio;
  private final int referenceIndex;
  private final double offset;

  QuantileModel(String name, String target, String resource, String unit, double[] quantiles,
                TreeEnsemble ensemble, Transform transform, Calibration calibration) {
    this.name = Objects.requireNonNull(name, "name");
    this.target = Objects.requireNonNull(target, "target");
    this.resource = Objects.requireNonNull(resource, "resource");
    this.unit = Objects.requireNonNull(unit, "unit");
    this.quantiles = quantiles.clone();
    this.ensemble = Objects.requireNonNull(ensemble, "ensemble");
    this.transform = Objects.requireNonNull(transform, "transform");
    this.calibration = calibration;
    if (ensemble.outputCount() != quantiles.length) {
      throw new IllegalArgumentException("model '" + name + "' has " + ensemble.outputCount()
          + " outputs for " + quantiles.length + " quantiles");
    }
    if (transform instanceof LogRatio lr) {
      if (lr.referenceIndex() >= ensemble.featureCount()) {
        throw new IllegalArgumentException("reference column " + lr.referenceIndex() + " ('" + lr.reference()
            + "') is outside the model's " + ensemble.featureCount() + " features");
      }
      this.logRatio = true;
      this.referenceIndex = lr.referenceIndex();
      this.offset = lr.offset();
    } else {
      this.logRatio = false;
      this.referenceIndex = -1;
      this.offset = 0;
    }
  }

  /**
   * Predicts the quantiles for one feature row: {@code features[0..featureCount())} in the bundle's feature
   * order ({@code NaN} = missing), {@code out[0..quantileCount())} receives the quantile values in the target's
   * unit, non-decreasing; all {@code NaN} when a log-ratio transform's reference is missing. No allocation.
   *
   * @throws IllegalArgumentException {@code features} or {@code out} is too short
   */
  public void predict(float[] features, double[] out) {
    ensemble.predict(features, out);
    int n = quantiles.length;
    if (logRatio) {
      double r = features[referenceIndex];
      if (Double.isNaN(r)) {
        for (int k = 0; k < n; k++) {
          out[k] = Double.NaN;
        }
        return;
      }
      double base = r + offset;
      for (int k = 0; k < n; k++) {
        out[k] = Math.max(0.0, base * Math.exp(out[k]) - offset);
      }
    }
    for (int k = 1; k < n; k++) {
      if (out[k] < out[k - 1]) {
        out[k] = out[k - 1];
      }
    }
  }

  /** The target's key in {@code metadata.json}, e.g. {@code memory}. */
  public String name() {
    return name;
  }

  /** What is forecast, e.g. {@code MEMORY_PEAK}. */
  public String target() {
    return target;
  }

  /** The resource it sizes, e.g. {@code MEMORY}. */
  public String resource() {
    return resource;
  }

  /** The unit of the quantile values, e.g. {@code bytes}. */
  public String unit() {
    return unit;
  }

  /** The quantile levels, in output order, e.g. {@code [0.5, 0.9, 0.99]}. */
  public double[] quantiles() {
    return quantiles.clone();
  }

  /** How many quantiles {@link #predict} writes. */
  public int quantileCount() {
    return quantiles.length;
  }

  /** How many features a row has. */
  public int featureCount() {
    return ensemble.featureCount();
  }

  /** The tree ensemble behind it. */
  public TreeEnsemble ensemble() {
    return ensemble;
  }

  /** The output transform. */
  public Transform transform() {
    return transform;
  }

  /** The allocation calibration, or {@code null} when the metadata has none. */
  public Calibration calibration() {
    return calibration;
  }

  @Override
  public String toString() {
    return "QuantileModel[" + name + ", target=" + target + ", unit=" + unit + ", transform=" + transform + ", "
        + ensemble + "]";
  }
}
