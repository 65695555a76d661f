package dev.presize.spi.resources;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model says a function will need over the next horizon, per resource, as quantiles.
 *
 * <p>Every forecast names the model and version that made it, so feedback can be paired with the model.
 *
 * @param functionId the function forecast for
 * @param issuedAt when the forecast was made
 * @param horizon the window after {@code issuedAt} the forecast covers (default 1 s)
 * @param quantiles per resource; CPU and MEMORY are always present
 * @param modelName the model that made it, e.g. {@code presize-default} or {@code fallback}
 * @param modelVersion that model's version
 */
public record Forecast(String functionId, Instant issuedAt, Duration horizon, Map<Resource, Quantiles> quantiles,
    String modelName, String modelVersion) {

  public Forecast {
    Objects.requireNonNull(functionId, "functionId");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(horizon, "horizon");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(modelVersion, "modelVersion");
    if (horizon.isZero() || horizon.isNegative()) {
      throw new IllegalArgumentException("horizon must be positive, was " + horizon);
    }
    for (Resource required : new Resource[] {Resource.CPU, Resource.MEMORY}) {
      if (!quantiles.containsKey(required)) {
        throw new IllegalArgumentException("a forecast must cover " + required + "; has " + quantiles.keySet());
      }
    }
    quantiles = Map.copyOf(new EnumMap<>(quantiles));
  }

  /** The quantiles of {@code resource}, if this forecast covers it. */
  public Optional<Quantiles> of(Resource resource) {
    return Optional.ofNullable(quantiles.get(resource));
  }

  public Quantiles cpu() {
    return quantiles.get(Resource.CPU);
  }

  public Quantiles memory() {
    return quantiles.get(Resource.MEMORY);
  }
}
