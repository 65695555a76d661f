package dev.presize.spi;

import dev.presize.spi.config.ConfigProperties;
import java.util.Objects;

/**
 * What every provider is given when probed or asked to create its service: configuration and time.
 *
 * @param config the {@code presize.*} properties in force
 * @param ticker monotonic time for the service to use (never {@code System.nanoTime()} directly)
 */
public record ProviderContext(ConfigProperties config, Ticker ticker) {

  public ProviderContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(ticker, "ticker");
  }

  /** The given config with the system ticker. */
  public static ProviderContext of(ConfigProperties config) {
    return new ProviderContext(config, Ticker.system());
  }
}
