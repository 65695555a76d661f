package dev.presize.core.predict;

import dev.presize.core.json.Json;

import dev.presize.spi.PresizeException;
import dev.presize.spi.predict.PredictionRequest;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Forecasts by asking the prediction service ({@code POST /v1/forecast}, docs/api.md) over HTTP with the JDK's
 * {@link HttpClient}: explicit connect and request timeouts, the small JSON written and read by hand (core carries
 * no JSON library). Blocks at most the request timeout; every failure is a {@link PresizeException} naming the
 * URL and what went wrong, for a fallback chain to act on.
 *
 * <p>A model's features are windows of its training step, so the step is part of the contract: the caller's step
 * ({@link PredictorConfig#step()}), or else the one the service first answered with, is kept, and an answer from a
 * model of another step (a version of another step promoted in the service while the caller runs) is refused as a
 * failure, not used.
 */
public final class RemotePredictor implements Predictor {

  private final HttpClient client;
  private final URI forecastUri;
  private final String model;
  private final Duration requestTimeout;
  private final Optional<String> configuredSchema;
  private volatile String lastSchema;
  private volatile Duration step;

  private RemotePredictor(HttpClient client, URI base, String model, Duration requestTimeout,
                          Optional<String> featureSchemaId, Optional<Duration> step) {
    this.client = client;
    this.forecastUri = base.resolve("/v1/forecast");
    this.model = model;
    this.requestTimeout = requestTimeout;
    this.configuredSchema = featureSchemaId;
    this.step = step.orElse(null);
  }

  /** A predictor for {@code config.serviceUrl()}; fails if it is not set. Does not contact the service. */
  public static RemotePredictor create(PredictorConfig config) {
    URI base = config.serviceUrl().orElseThrow(() -> new PresizeException("create predictor", "remote",
        PredictorConfig.SERVICE_URL + " is not set"));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout()).build();
    return new RemotePredictor(client, base, config.model(), config.requestTimeout(), config.featureSchemaId(),
        config.step());
  }

  /** The configured schema, else the one the service last answered with, else {@code unknown}. */
  @Override
  public String featureSchemaId() {
    return configuredSchema.orElseGet(() -> lastSchema == null ? "unknown" : lastSchema);
  }

  @Override
  public Forecast forecast(PredictionRequest request) {
    String body = send(request, requestTimeout);
    Forecast f;
    Optional<Duration> served;
    try {
      Map<?, ?> root = (Map<?, ?>) Json.parse(body);
      f = parse(root, body, request);
      served = stepOf(root);
    } catch (RuntimeException e) {
      throw new PresizeException("forecast", forecastUri.toString(), "unreadable response: " + e.getMessage(), e);
    }
    served.ifPresent(s -> checkStep(s, f.modelName() + " " + f.modelVersion()));
    return f;
  }

  /** The step this predictor holds the service to: the caller's, or the first one the service answered with. */
  public Optional<Duration> step() {
    return Optional.ofNullable(step);
  }

  private synchronized void checkStep(Duration served, String what) {
    if (step == null) {
      step = served;
    } else if (!step.equals(served)) {
      throw new PresizeException("forecast", forecastUri.toString(), "the service's model " + what
          + " was trained at a step of " + served.toMillis() + " ms, but this caller decides every "
          + step.toMillis() + " ms: its forecasts are not used");
    }
  }

  private static Optional<Duration> stepOf(Map<?, ?> root) {
    return root.get("stepMillis") instanceof Number n && n.longValue() > 0
        ? Optional.of(Duration.ofMillis(n.longValue())) : Optional.empty();
  }

  /**
   * Asks the service once, before a run starts, with a timeout of its own: the first request to a service warms its
   * model and the connection, and can take longer than the control loop's request timeout. Returns the decision step
   * the served model was trained at ({@code stepMillis}), or empty if the service does not say.
   *
   * @throws PresizeException naming the URL when the service cannot be reached or refuses the request
   */
  public Optional<Duration> probeStep(PredictionRequest request, Duration timeout) {
    String body = send(request, timeout);
    try {
      Map<?, ?> root = (Map<?, ?>) Json.parse(body);
      if (root.get("featureSchema") instanceof String schema) {
        lastSchema = schema;
      }
      return stepOf(root);
    } catch (RuntimeException e) {
      throw new PresizeException("forecast", forecastUri.toString(), "unreadable response: " + e.getMessage(), e);
    }
  }

  /** POSTs {@code request} and returns the body of a 200 answer. */
  private String send(PredictionRequest request, Duration timeout) {
    HttpRequest http = HttpRequest.newBuilder(forecastUri).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(requestBody(model, request), StandardCharsets.UTF_8)).build();
    HttpResponse<String> response;
    try {
      response = client.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException e) {
      throw PresizeException.launder("forecast", forecastUri.toString(), e);
    }
    if (response.statusCode() != 200) {
      throw new PresizeException("forecast", forecastUri.toString(), "HTTP " + response.statusCode() + ": "
          + errorOf(response.body()));
    }
    return response.body();
  }

  static String requestBody(String model, PredictionRequest request) {
    float[] f = request.features();
    StringBuilder sb = new StringBuilder(32 + f.length * 10);
    sb.append("{\"model\":");
    Json.quote(sb, model).append(",\"featureSchema\":");
    Json.quote(sb, request.featureSchemaId()).append(",\"rows\":[{\"function\":");
    Json.quote(sb, request.functionId()).append(",\"features\":[");
    for (int i = 0; i < f.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (Float.isFinite(f[i])) {
        sb.append(f[i]);
      } else {
        sb.append("null"); // NaN = missing; JSON has no NaN
      }
    }
    return sb.append("]}]}").toString();
  }

  private Forecast parse(Map<?, ?> root, String body, PredictionRequest request) {
    String name = (String) root.get("model");
    String version = (String) root.get("version");
    if (name == null || version == null) {
      throw new IllegalArgumentException("no model or version in " + abbreviate(body));
    }
    if (root.get("featureSchema") instanceof String s) {
      lastSchema = s;
    }
    Duration horizon = root.get("horizonMillis") instanceof Number h ? Duration.ofMillis(h.longValue())
        : Duration.ofSeconds(1);
    Map<?, ?> units = root.get("units") instanceof Map<?, ?> u ? u : Map.of();
    Map<?, ?> resources = root.get("resources") instanceof Map<?, ?> r ? r : Map.of();
    List<?> forecasts = (List<?>) root.get("forecasts");
    if (forecasts == null || forecasts.size() != 1) {
      throw new IllegalArgumentException("expected one forecast in " + abbreviate(body));
    }
    Map<?, ?> targets = (Map<?, ?>) ((Map<?, ?>) forecasts.get(0)).get("targets");
    Map<Resource, Quantiles> q = new EnumMap<>(Resource.class);
    for (Map.Entry<?, ?> e : targets.entrySet()) {
      String key = (String) e.getKey();
      Resource r = LoadedModel.resourceOf(String.valueOf(resources.containsKey(key) ? resources.get(key) : key));
      if (r == null || !(units.get(key) instanceof String unit)) {
        continue;
      }
      double factor = LoadedModel.unitFactor(r, unit);
      if (Double.isNaN(factor)) {
        continue;
      }
      Map<?, ?> t = (Map<?, ?>) e.getValue();
      q.put(r, Quantiles.sorted(number(t, "p50") * factor, number(t, "p90") * factor, number(t, "p99") * factor));
    }
    return new Forecast(request.functionId(), request.at(), horizon, q, name, version);
  }

  private static double number(Map<?, ?> m, String key) {
    if (m.get(key) instanceof Number d) {
      return d.doubleValue();
    }
    throw new IllegalArgumentException("quantile " + key + " missing or not a number: " + m);
  }

  private static String errorOf(String body) {
    try {
      if (Json.parse(body) instanceof Map<?, ?> m && m.get("error") instanceof String s) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // not JSON: show the body itself
    }
    return abbreviate(body);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  @Override
  public void close() {
    // HttpClient has no close() before JDK 21; its connections are released when it is collected.
  }
}
