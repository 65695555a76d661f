package dev.presize.service;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every {@code presize.service.*} setting of the prediction service, typed, with all defaults in
 * {@link #defaults()}.
 *
 * @param registry the filesystem model registry ({@code presize.registry.dir})
 * @param bind the address to listen on
 * @param port the port (0 = any free port)
 * @param tokenFile a file holding the bearer token of the model endpoints; empty disables promote/rollback
 * @param dataDir where feedback residuals are appended ({@code feedback.jsonl})
 * @param threads request worker threads
 * @param queue requests waiting for a worker; beyond it the service answers 429
 * @param pollInterval how often the registry's {@code current} pointers are checked
 * @param forecastCacheSize issued forecasts kept for feedback matching (the oldest are dropped beyond it)
 * @param forecastTtl how long an issued forecast waits for its feedback
 * @param maxRows the most rows of one forecast request
 * @param maxBodyBytes the largest request body
 */
public record ServiceConfig(Path registry, String bind, int port, Optional<Path> tokenFile, Path dataDir, int threads,
    int queue, Duration pollInterval, long forecastCacheSize, Duration forecastTtl, int maxRows, long maxBodyBytes) {

  public static final String REGISTRY = "presize.registry.dir";
  public static final String BIND = "presize.service.bind";
  public static final String PORT = "presize.service.port";
  public static final String TOKEN_FILE = "presize.service.token-file";
  public static final String DATA_DIR = "presize.service.data-dir";
  public static final String THREADS = "presize.service.threads";
  public static final String QUEUE = "presize.service.queue";
  public static final String POLL_INTERVAL = "presize.service.poll-interval";
  public static final String FORECAST_CACHE_SIZE = "presize.service.forecast-cache.size";
  public static final String FORECAST_TTL = "presize.service.forecast-cache.ttl";
  public static final String MAX_ROWS = "presize.service.max-rows";
  public static final String MAX_BODY = "presize.service.max-body";

  public ServiceConfig {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
    }
    if (threads < 1 || queue < 1) {
      throw new IllegalArgumentException("threads and queue must be >= 1, were " + threads + " and " + queue);
    }
    if (pollInterval.isZero() || pollInterval.isNegative() || forecastTtl.isZero() || forecastTtl.isNegative()) {
      throw new IllegalArgumentException("pollInterval and forecastTtl must be > 0, were " + pollInterval + " and "
          + forecastTtl);
    }
    if (forecastCacheSize < 1 || maxRows < 1 || maxBodyBytes < 1024) {
      throw new IllegalArgumentException("forecastCacheSize >= 1, maxRows >= 1, maxBodyBytes >= 1Ki needed, were "
          + forecastCacheSize + ", " + maxRows + ", " + maxBodyBytes);
    }
  }

  /** The defaults: the one place they are written. */
  public static ServiceConfig defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new ServiceConfig(Path.of("registry"), "0.0.0.0", 8080, Optional.empty(), Path.of("presize-data"),
        Math.max(2, 2 * cores), 256, Duration.ofSeconds(1), 1_000_000, Duration.ofMinutes(15), 1024, 16L << 20);
  }

  /**
   * Reads the settings from {@code config} over {@link #defaults()}.
   *
   * @throws ConfigurationException naming {@code key=value} for a malformed or out-of-range value
   */
  public static ServiceConfig from(ConfigProperties config) {
    ServiceConfig d = defaults();
    try {
      return new ServiceConfig(config.getString(REGISTRY).map(Path::of).orElse(d.registry()),
          config.getString(BIND, d.bind()),
          config.getInt(PORT, d.port()),
          config.getString(TOKEN_FILE).filter(s -> !s.isEmpty()).map(Path::of),
          config.getString(DATA_DIR).map(Path::of).orElse(d.dataDir()),
          config.getInt(THREADS, d.threads()),
          config.getInt(QUEUE, d.queue()),
          config.getPositiveDuration(POLL_INTERVAL, d.pollInterval()),
          config.getInt(FORECAST_CACHE_SIZE, (int) d.forecastCacheSize()),
          config.getPositiveDuration(FORECAST_TTL, d.forecastTtl()),
          config.getInt(MAX_ROWS, d.maxRows()),
          config.getBytes(MAX_BODY, d.maxBodyBytes()));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("presize.service", "presize.service.*: " + e.getMessage() + " (settings: "
          + config.asMap().entrySet().stream().filter(x -> x.getKey().startsWith("presize.service."))
          .map(x -> x.getKey() + "=" + x.getValue()).toList() + ")");
    }
  }

  /** A copy with these command-line values over the configured ones. */
  public ServiceConfig with(Path registry, int port, Optional<Path> tokenFile) {
    return new ServiceConfig(registry, bind, port, tokenFile.or(() -> this.tokenFile), dataDir, threads, queue,
        pollInterval, forecastCacheSize, forecastTtl, maxRows, maxBodyBytes);
  }
}
