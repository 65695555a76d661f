package dev.presize.spi.resources;

/** A resource Presize forecasts and sizes, with the unit its forecasts are expressed in. */
public enum Resource {
  /** Mean CPU over the horizon, in millicores (1000 = one core). */
  CPU("millicores"),
  /** Peak memory over the horizon, in bytes. */
  MEMORY("bytes"),
  /** Peak network rate over the horizon, in Mbit/s. */
  NETWORK("Mbit/s"),
  /** Peak storage I/O rate over the horizon, in bytes per second. */
  DISK("bytes/s");

  private final String unit;

  Resource(String unit) {
    this.unit = unit;
  }

  /** The unit of this resource's forecasts and allocations. */
  public String unit() {
    return unit;
  }
}
