package dev.presize.testkit;

import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SampleWriter;
import java.util.EnumSet;
import java.util.Set;

/**
 * A {@link SampleWriter} for tests that keeps the last value put for each metric, without allocating per put.
 */
public final class RecordingSampleWriter implements SampleWriter {

  private final long[] values = new long[Metric.values().length];
  private final boolean[] written = new boolean[Metric.values().length];

  @Override
  public void put(Metric metric, long value) {
    values[metric.ordinal()] = value;
    written[metric.ordinal()] = true;
  }

  /** The last value put for {@code metric}; fails if it was never put. */
  public long get(Metric metric) {
    if (!written[metric.ordinal()]) {
      throw new AssertionError(metric + " was never written; written: " + written());
    }
    return values[metric.ordinal()];
  }

  public boolean has(Metric metric) {
    return written[metric.ordinal()];
  }

  /** Every metric put at least once since creation or {@link #clear()}. */
  public Set<Metric> written() {
    Set<Metric> s = EnumSet.noneOf(Metric.class);
    for (Metric m : Metric.values()) {
      if (written[m.ordinal()]) {
        s.add(m);
      }
    }
    return s;
  }

  public void clear() {
    java.util.Arrays.fill(written, false);
  }
}
