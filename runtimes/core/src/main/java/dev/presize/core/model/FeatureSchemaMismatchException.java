package dev.presize.core.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model refused because it was trained on a different feature schema than the caller extracts: its rows would
 * be read column by column against the wrong features. The message names both schema ids.
 */
public final class FeatureSchemaMismatchException extends ModelFormatException {

  private static final long serialVersionUID = 1L;

  private final String expectedId;
  private final String modelId;

  public FeatureSchemaMismatchException(Path file, String expectedId, String modelId) {
    super(file, "feature schema mismatch: the caller extracts features '" + expectedId
        + "' but the model was trained on '" + modelId + "'");
    this.expectedId = Objects.requireNonNull(expectedId, "expectedId");
    this.modelId = Objects.requireNonNull(modelId, "modelId");
  }

  /** The schema id of the caller's feature extractor. */
  public String expectedId() {
    return expectedId;
  }

  /** The schema id the model was trained on ({@code featureSchema.id} in {@code metadata.json}). */
  public String modelId() {
    return modelId;
  }
}
