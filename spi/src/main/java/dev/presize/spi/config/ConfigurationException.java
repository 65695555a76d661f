package dev.presize.spi.config;

/** A configuration value is missing or malformed; the message names {@code key=value} and what was expected. */
public final class ConfigurationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigurationException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The configuration key at fault, e.g. {@code presize.sampling.interval}. */
  public String key() {
    return key;
  }
}
