package dev.presize.spi.metrics;

/** The unit of a metric's {@code long} values. */
public enum MetricUnit {
  NANOSECONDS,
  MICROSECONDS,
  MILLISECONDS,
  BYTES,
  COUNT,
  MILLICORES,
  ID
}
