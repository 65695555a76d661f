package dev.presize.trainer.train;

import dev.presize.trainer.features.Target;
import java.util.Map;
import java.util.Objects;

/**
 * What was learned for one target: the XGBoost model (JSON bytes), its transform and calibration, and how it did on
 * the validation split.
 *
 * @param target the target
 * @param modelJson the XGBoost JSON model
 * @param transform label ↔ target units
 * @param calibration how the forecast becomes an allocation (fitted on the validation split)
 * @param operatingPoints calibrations for other under-provisioned shares, by that share
 * @param quantileSpread per quantile above the median, the factor {@code k} of its reported forecast
 *     {@code q50 + k · (q − q50)}, fitted on the validation split so that the share of validation rows at or below
 *     it is the quantile ({@link Calibration#coverageSpread}); absent quantiles are reported as forecast
 * @param rounds boosting rounds in the model
 * @param bestRound the round with the lowest validation loss (0-based)
 * @param trainRows rows it was trained on
 * @param validationRows rows it was validated on
 * @param pinball mean pinball loss per quantile on the validation rows, in the target's units
 * @param coverage share of validation rows with {@code actual <= forecast}, per quantile
 * @param featureImportance total gain per feature name, largest first (features never split on are absent)
 */
public record TargetModel(Target target, byte[] modelJson, TargetTransform transform, Calibration calibration,
    Map<Double, Calibration> operatingPoints, Map<Double, Double> quantileSpread, int rounds, int bestRound, int trainRows, int validationRows, Map<Double, Double> pinball,
    Map<Double, Double> coverage, Map<String, Double> featureImportance) {

  public TargetModel {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(modelJson, "modelJson");
    Objects.requireNonNull(transform, "transform");
    Objects.requireNonNull(calibration, "calibration");
    operatingPoints = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(operatingPoints));
    quantileSpread = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(quantileSpread));
    pinball = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(pinball));
    coverage = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(coverage));
    featureImportance = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(featureImportance));
  }

  /** The name of the target in files and JSON: {@code memory}, {@code cpu}, {@code network}, {@code disk}. */
  public String key() {
    return key(target);
  }

  /** The file and JSON key of {@code target}. */
  public static String key(Target target) {
    return target.resource().name().toLowerCase(java.util.Locale.ROOT);
  }
}
