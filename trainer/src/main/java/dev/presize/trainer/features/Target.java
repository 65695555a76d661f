package dev.presize.trainer.features;

import dev.presize.spi.resources.Resource;

/**
 * One quantity forecast over the horizon {@code (t, t+H]}: the aggregate of a resource over steps
 * {@code t+1 .. t+H}, ignoring {@code NaN}s ({@code NaN} when all are).
 */
public enum Target {
  /** Peak memory in bytes (the largest per-step value). */
  MEMORY_PEAK(Resource.MEMORY, true),
  /** Mean CPU in cores (the mean of the per-step means). */
  CPU_MEAN(Resource.CPU, false),
  /** Peak network rate in bytes per second. */
  NETWORK_PEAK(Resource.NETWORK, true),
  /** Peak disk rate in bytes per second. */
  DISK_PEAK(Resource.DISK, true);

  private final Resource resource;
  private final boolean peak;

  Target(Resource resource, boolean peak) {
    this.resource = resource;
    this.peak = peak;
  }

  /** The resource aggregated. */
  public Resource resource() {
    return resource;
  }

  /** Whether the aggregate is the maximum (else the mean). */
  public boolean isPeak() {
    return peak;
  }

  /** The aggregate of {@code x[t+1 .. t+horizonSteps]}, ignoring NaNs; NaN when none is left. */
  double over(double[] x, int t, int horizonSteps) {
    double acc = peak ? Double.NEGATIVE_INFINITY : 0;
    int m = 0;
    for (int i = t + 1; i <= t + horizonSteps; i++) {
      double v = x[i];
      if (!Double.isNaN(v)) {
        m++;
        acc = peak ? Math.max(acc, v) : acc + v;
      }
    }
    if (m == 0) {
      return Double.NaN;
    }
    return peak ? acc : acc / m;
  }
}
