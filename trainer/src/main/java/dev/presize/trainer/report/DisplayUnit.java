package dev.presize.trainer.report;

import dev.presize.spi.resources.Resource;

/**
 * A unit values are shown in: a label and the divisor from the {@link dev.presize.trainer.model.Series} unit (CPU
 * cores, MEMORY bytes, NETWORK/DISK bytes per second), chosen so that the largest value reads well.
 *
 * @param label e.g. {@code GiB}
 * @param divisor series units per display unit, e.g. 2^30 for GiB
 */
record DisplayUnit(String label, double divisor) {

  private static final double KIB = 1024.0;
  private static final double MIB = KIB * 1024;
  private static final double GIB = MIB * 1024;

  DisplayUnit {
    if (!(divisor > 0) || Double.isInfinite(divisor)) {
      throw new IllegalArgumentException("divisor must be positive and finite, was " + divisor);
    }
  }

  /**
   * The unit for values of {@code resource} whose largest magnitude is {@code maxAbs} ({@code NaN} when none is
   * known): cores for CPU; GiB from 1 GiB, else MiB from 1 MiB, else KiB for MEMORY; MB/s from 0.1 MB/s, else kB/s
   * for rates.
   */
  static DisplayUnit of(Resource resource, double maxAbs) {
    double max = Double.isNaN(maxAbs) ? 0 : Math.abs(maxAbs);
    return switch (resource) {
      case CPU -> new DisplayUnit("cores", 1);
      case MEMORY -> max >= GIB ? new DisplayUnit("GiB", GIB)
          : max >= MIB || max == 0 ? new DisplayUnit("MiB", MIB) : new DisplayUnit("KiB", KIB);
      case NETWORK, DISK -> max >= 1e5 || max == 0 ? new DisplayUnit("MB/s", 1e6) : new DisplayUnit("kB/s", 1e3);
    };
  }

  /** {@code value} in this unit. */
  double scale(double value) {
    return value / divisor;
  }
}
