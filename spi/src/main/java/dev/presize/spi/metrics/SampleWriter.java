package dev.presize.spi.metrics;

/**
 * Where a metric source puts the values of one sample.
 *
 * <p>Called on the sampler thread only. Implementations store into preallocated primitive arrays: {@link #put}
 * never allocates, never blocks, and ignores metrics the source did not declare in {@link MetricSource#metrics()}.
 */
public interface SampleWriter {

  /** Sets {@code metric} to {@code value} in the sample being built. */
  void put(Metric metric, long value);
}
