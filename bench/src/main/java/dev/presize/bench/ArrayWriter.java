package dev.presize.bench;

import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SampleWriter;

/**
 * A {@link SampleWriter} that stores each value at its metric's ordinal: the cheapest writer there is, so that a
 * source's own cost is what a per-source benchmark measures.
 */
final class ArrayWriter implements SampleWriter {

  final long[] values = new long[Metric.values().length];

  @Override
  public void put(Metric metric, long value) {
    values[metric.ordinal()] = value;
  }

  /** A value that depends on everything written, for a {@code Blackhole}. */
  long checksum() {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }
}
