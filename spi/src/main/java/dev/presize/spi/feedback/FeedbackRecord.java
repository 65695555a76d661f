package dev.presize.spi.feedback;

import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Resource;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A forecast and what was then observed over its horizon, in the same units: one residual for retraining and
 * coverage tracking.
 *
 * @param forecastId the id the forecast was issued under
 * @param forecast the forecast (it names its model and version)
 * @param observed the need actually seen per resource over the horizon
 * @param observedAt when the horizon ended
 */
public record FeedbackRecord(String forecastId, Forecast forecast, Map<Resource, Double> observed,
    Instant observedAt) {

  public FeedbackRecord {
    Objects.requireNonNull(forecastId, "forecastId");
    Objects.requireNonNull(forecast, "forecast");
    Objects.requireNonNull(observedAt, "observedAt");
    if (observed.isEmpty()) {
      throw new IllegalArgumentException("feedback for forecast " + forecastId + " observed nothing");
    }
    observed.forEach((r, v) -> {
      if (v == null || !Double.isFinite(v) || v < 0) {
        throw new IllegalArgumentException("observed " + r + " must be finite and >= 0, was " + v);
      }
    });
    observed = Map.copyOf(new EnumMap<>(observed));
  }
}
