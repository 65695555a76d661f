package dev.presize.core.checkpoint;

/**
 * Host pressure now: the PSI {@code some avg10} of CPU, memory and I/O, in percent of the last 10 s in which some
 * task was stalled on that resource. A resource the host does not report is {@code NaN}.
 */
public record PressureSample(double cpuSomePercent, double memorySomePercent, double ioSomePercent) {

  public PressureSample {
    check("cpuSomePercent", cpuSomePercent);
    check("memorySomePercent", memorySomePercent);
    check("ioSomePercent", ioSomePercent);
  }

  /** The highest of the three (ignoring missing ones), or {@code NaN} when none is known: the contention now. */
  public double maxPercent() {
    double m = Double.NaN;
    for (double v : new double[] {cpuSomePercent, memorySomePercent, ioSomePercent}) {
      if (!Double.isNaN(v) && (Double.isNaN(m) || v > m)) {
        m = v;
      }
    }
    return m;
  }

  private static void check(String name, double v) {
    if (!Double.isNaN(v) && !(v >= 0 && v <= 100)) {
      throw new IllegalArgumentException(name + " must be in [0, 100] or NaN, was " + v);
    }
  }
}
