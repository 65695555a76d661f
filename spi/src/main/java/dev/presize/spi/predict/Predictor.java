package dev.presize.spi.predict;

import dev.presize.spi.resources.Forecast;

/**
 * Forecasts a function's next needs from a feature row.
 *
 * <p><b>Threading.</b> Called on the control-loop thread; implementations are thread-safe. An embedded
 * predictor never blocks; a remote one blocks at most its configured timeout.
 *
 * <p><b>Errors.</b> A {@link dev.presize.spi.PresizeException} means no forecast could be made (schema mismatch,
 * service unreachable, model missing); callers compose predictors into a fallback chain rather than catch.
 */
public interface Predictor extends AutoCloseable {

  /** The feature schema this predictor's model expects. */
  String featureSchemaId();

  /** The forecast for {@code request}; it names the model name and version that made it. */
  Forecast forecast(PredictionRequest request);

  /** Releases connections and caches. Idempotent; never throws. */
  @Override
  default void close() {}
}
