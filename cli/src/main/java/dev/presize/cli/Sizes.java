package dev.presize.cli;

/**
 * CPU amounts and durations as a user writes them in options: {@code 1500m}, {@code 2}; {@code 5m}, {@code 100ms}
 * (sizes: {@code Quantities.formatBytes}).
 */
final class Sizes {

  private Sizes() {}

  /** Millicores as cores when whole ({@code 2}), else as millicores ({@code 1500m}). */
  static String cpu(long millicores) {
    return millicores % 1000 == 0 ? Long.toString(millicores / 1000) : millicores + "m";
  }

  /** A duration in the largest of h, m, s, ms, us, ns it is a whole number of: {@code 5m}, {@code 1500ms}. */
  static String duration(java.time.Duration d) {
    return dev.presize.spi.config.Quantities.formatDuration(d);
  }
}
