package dev.presize.trainer.train;

import dev.presize.trainer.features.FeatureSchema;
import dev.presize.trainer.features.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model before (or after) it is written as a {@code presize-model/1} directory: one {@link TargetModel}
 * per target, and how it was made.
 *
 * @param options the options it was trained with
 * @param schema the feature schema of its input rows
 * @param step the step of the series it was trained on
 * @param createdAt when training finished
 * @param targets per target the model; targets without enough data are absent
 * @param provenance where the data came from
 */
public record TrainedModel(TrainingOptions options, FeatureSchema schema, Duration step, Instant createdAt,
    Map<Target, TargetModel> targets, Provenance provenance) {

  public TrainedModel {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(provenance, "provenance");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one target");
    }
    targets = java.util.Collections.unmodifiableMap(new EnumMap<>(targets));
  }

  /**
   * Where the training data came from and how it was split.
   *
   * @param format the trace format id
   * @param traces the trace directories as given
   * @param dataDigest {@code sha256:…} of the input files (see {@code docs/model-format.md})
   * @param trainRows windows in the training part
   * @param validationRows windows in the validation part
   * @param testRows windows of the held-out series
   * @param testSeries ids of the held-out series (never trained or validated on)
   * @param trainingSeconds wall time of training
   */
  public record Provenance(String format, List<String> traces, String dataDigest, int trainRows, int validationRows,
      int testRows, List<String> testSeries, double trainingSeconds) {
    public Provenance {
      Objects.requireNonNull(format, "format");
      traces = List.copyOf(traces);
      Objects.requireNonNull(dataDigest, "dataDigest");
      testSeries = List.copyOf(testSeries);
    }
  }
}
