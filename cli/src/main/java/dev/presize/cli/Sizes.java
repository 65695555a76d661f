package dev.presize.cli;

import dev.presize.spi.config.Quantities;

/** Sizes and CPU amounts as a user writes them in options: {@code 256Mi}, {@code 1Gi}, {@code 1500m}, {@code 2}. */
final class Sizes {

  private Sizes() {}

  /** {@code bytes} in the largest binary unit that divides it exactly, else with three significant digits. */
  static String bytes(long bytes) {
    String[] units = {"Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return Quantities.formatBytes(bytes);
  }

  /** Millicores as cores when whole ({@code 2}), else as millicores ({@code 1500m}). */
  static String cpu(long millicores) {
    return millicores % 1000 == 0 ? Long.toString(millicores / 1000) : millicores + "m";
  }
}
