package dev.presize.core.predict;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every {@code presize.predictor.*} setting, typed, with all defaults in {@link #defaults()}.
 *
 * @param name the predictor provider to use by name ({@code embedded}, {@code remote}, {@code fallback}), or empty
 *     for the highest-priority supported one
 * @param model the model name to forecast with (in the registry, and on the service)
 * @param modelDir a {@code presize-model/1} directory for the embedded predictor; wins over {@code registryDir}
 * @param registryDir the filesystem model registry the embedded predictor follows ({@code presize.registry.dir})
 * @param featureSchemaId the feature schema the caller extracts, or empty to take the model's
 * @param serviceUrl the prediction service's base URL ({@code http://host:8080}), or empty for no remote predictor
 * @param connectTimeout how long the remote predictor waits for a connection
 * @param requestTimeout how long the remote predictor waits for a whole forecast response
 * @param reloadInterval how often the embedded predictor checks the registry's {@code current} pointer
 * @param margin the factor a last-known-good forecast is widened by when every predictor of the chain fails, &ge; 1
 * @param lastGoodMaxAge how long a last-known-good forecast may stand in; older ones are not used
 * @param logInterval the least time between two log lines about the same fallback step
 * @param step the decision step the caller feeds the model at; a served model trained at another step is refused
 *     (its forecasts fail, for the fallback chain to act on). Empty: the step of the service's first answer
 */
public record PredictorConfig(Optional<String> name, String model, Optional<Path> modelDir, Optional<Path> registryDir,
    Optional<String> featureSchemaId, Optional<URI> serviceUrl, Duration connectTimeout, Duration requestTimeout,
    Duration reloadInterval, double margin, Duration lastGoodMaxAge, Duration logInterval, Optional<Duration> step) {

  public static final String NAME = "presize.predictor.name";
  public static final String MODEL = "presize.predictor.model";
  public static final String MODEL_DIR = "presize.predictor.model-dir";
  public static final String REGISTRY_DIR = "presize.registry.dir";
  public static final String FEATURE_SCHEMA = "presize.predictor.feature-schema";
  public static final String SERVICE_URL = "presize.predictor.service.url";
  public static final String CONNECT_TIMEOUT = "presize.predictor.service.connect-timeout";
  public static final String REQUEST_TIMEOUT = "presize.predictor.service.request-timeout";
  public static final String RELOAD_INTERVAL = "presize.predictor.reload-interval";
  public static final String MARGIN = "presize.predictor.fallback.margin";
  public static final String LAST_GOOD_MAX_AGE = "presize.predictor.fallback.max-age";
  public static final String LOG_INTERVAL = "presize.predictor.fallback.log-interval";
  public static final String STEP = "presize.predictor.step";

  public PredictorConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(registryDir, "registryDir");
    Objects.requireNonNull(featureSchemaId, "featureSchemaId");
    Objects.requireNonNull(serviceUrl, "serviceUrl");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    positive("connectTimeout", connectTimeout);
    positive("requestTimeout", requestTimeout);
    positive("reloadInterval", reloadInterval);
    positive("lastGoodMaxAge", lastGoodMaxAge);
    Objects.requireNonNull(logInterval, "logInterval");
    if (logInterval.isNegative()) {
      throw new IllegalArgumentException("logInterval must be >= 0, was " + logInterval);
    }
    Objects.requireNonNull(step, "step");
    step.ifPresent(d -> positive("step", d));
    if (!(margin >= 1) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be finite and >= 1, was " + margin);
    }
    serviceUrl.ifPresent(u -> {
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("service url must be http(s)://host[:port], was " + u);
      }
    });
  }

  /** The defaults: the one place they are written. */
  public static PredictorConfig defaults() {
    return new PredictorConfig(Optional.empty(), "default", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Duration.ofMillis(250), Duration.ofMillis(100), Duration.ofSeconds(1), 1.5,
        Duration.ofMinutes(5), Duration.ofSeconds(30), Optional.empty());
  }

  /**
   * Reads the settings from {@code config} over {@link #defaults()}.
   *
   * @throws ConfigurationException naming {@code key=value} for a malformed or out-of-range value
   */
  public static PredictorConfig from(ConfigProperties config) {
    PredictorConfig d = defaults();
    Optional<URI> url = config.getString(SERVICE_URL).filter(s -> !s.isEmpty()).map(s -> {
      try {
        return new URI(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
      } catch (URISyntaxException e) {
        throw new ConfigurationException(SERVICE_URL, SERVICE_URL + "=" + s + ": not a URL (" + e.getMessage() + ")");
      }
    });
    double margin = d.margin();
    Optional<String> m = config.getString(MARGIN);
    if (m.isPresent()) {
      try {
        margin = Double.parseDouble(m.get().startsWith("x") || m.get().startsWith("×") ? m.get().substring(1) : m.get());
      } catch (NumberFormatException e) {
        throw new ConfigurationException(MARGIN, MARGIN + "=" + m.get() + ": expected a factor >= 1, e.g. 1.5");
      }
    }
    try {
      return new PredictorConfig(config.getString(NAME).filter(s -> !s.isEmpty()),
          config.getString(MODEL, d.model()),
          config.getString(MODEL_DIR).filter(s -> !s.isEmpty()).map(Path::of),
          config.getString(REGISTRY_DIR).filter(s -> !s.isEmpty()).map(Path::of),
          config.getString(FEATURE_SCHEMA).filter(s -> !s.isEmpty()),
          url,
          config.getPositiveDuration(CONNECT_TIMEOUT, d.connectTimeout()),
          config.getPositiveDuration(REQUEST_TIMEOUT, d.requestTimeout()),
          config.getPositiveDuration(RELOAD_INTERVAL, d.reloadInterval()),
          margin,
          config.getPositiveDuration(LAST_GOOD_MAX_AGE, d.lastGoodMaxAge()),
          config.getDuration(LOG_INTERVAL, d.logInterval()),
          config.getString(STEP).filter(s -> !s.isEmpty()).isPresent()
              ? Optional.of(config.getPositiveDuration(STEP, Duration.ofSeconds(1))) : Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("presize.predictor", "presize.predictor.*: " + e.getMessage()
          + " (settings: " + config.asMap().entrySet().stream()
          .filter(x -> x.getKey().startsWith("presize.predictor.")).map(x -> x.getKey() + "=" + x.getValue()).toList()
          + ")");
    }
  }

  private static void positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be > 0, was " + d);
    }
  }
}
