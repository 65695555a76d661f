package dev.presize.trainer.train;

import dev.presize.trainer.features.FeatureSchema;
import dev.presize.trainer.features.Target;
import java.util.Locale;
import java.util.Objects;

/**
 * How a target is turned into the label a model learns, and a prediction back into the target's units:
 * {@code log-ratio} to the resource's current level, so one model serves series of any scale.
 *
 * <p>Label {@code z = ln((y + c) / (r + c))} with {@code r} the reference feature (the resource's decaying peak
 * at the decision step) and {@code c} the offset; back, {@code y = max(0, (r + c)·e^z − c)}. Quantiles are preserved by
 * monotone maps, so a quantile of {@code z} maps to the same quantile of {@code y}.
 *
 * @param kind {@code log-ratio} (the only kind the trainer writes) or {@code identity}
 * @param reference the feature name of {@code r}, e.g. {@code memory.level}
 * @param referenceColumn its column in the schema
 * @param offset {@code c}, in the target's units
 */
public record TargetTransform(String kind, String reference, int referenceColumn, double offset) {

  public TargetTransform {
    Objects.requireNonNull(kind, "kind");
    if (!kind.equals("log-ratio") && !kind.equals("identity")) {
      throw new IllegalArgumentException("unknown transform kind '" + kind + "'; known: log-ratio, identity");
    }
    if (!(offset > 0) && kind.equals("log-ratio")) {
      throw new IllegalArgumentException("log-ratio offset must be > 0, was " + offset);
    }
  }

  /**
   * The standard transform of {@code target}: log-ratio to its resource's decaying peak ({@code dpeak_hl288}: the
   * labels' upper tail is then bounded by how far a series climbs above its recent highs, not by how far it dropped
   * below them), offset 16 MiB, 0.05 core or 1 KiB/s.
   */
  public static TargetTransform standard(Target target, FeatureSchema schema) {
    String ref = target.resource().name().toLowerCase(Locale.ROOT) + ".dpeak_hl288";
    double c = switch (target.resource()) {
      case MEMORY -> 16 << 20;
      case CPU -> 0.05;
      default -> 1024;
    };
    return new TargetTransform("log-ratio", ref, schema.indexOf(ref), c);
  }

  /** The label of target value {@code y} at reference {@code r}; NaN when either is. */
  public double label(double y, double r) {
    if (kind.equals("identity")) {
      return y;
    }
    return Math.log((y + offset) / (r + offset));
  }

  /** The target value of label (prediction) {@code z} at reference {@code r}; NaN when either is. */
  public double inverse(double z, double r) {
    if (kind.equals("identity")) {
      return z;
    }
    return Math.max(0, (r + offset) * Math.exp(z) - offset);
  }
}
