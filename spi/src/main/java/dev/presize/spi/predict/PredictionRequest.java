package dev.presize.spi.predict;

import java.time.Instant;
import java.util.Objects;

/**
 * One feature row to forecast from.
 *
 * <p>The {@code features} array belongs to the caller and may be reused for the next request: a predictor reads
 * it during {@link Predictor#forecast} and keeps no reference.
 *
 * @param functionId the function the row describes
 * @param featureSchemaId the schema the row follows; a model with another schema refuses it
 * @param features the values, in schema order ({@code NaN} = missing)
 * @param at the time the row describes (the end of its window)
 */
public record PredictionRequest(String functionId, String featureSchemaId, float[] features, Instant at) {

  public PredictionRequest {
    Objects.requireNonNull(functionId, "functionId");
    Objects.requireNonNull(featureSchemaId, "featureSchemaId");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(at, "at");
  }
}
