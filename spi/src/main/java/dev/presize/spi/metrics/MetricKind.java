package dev.presize.spi.metrics;

/** How a metric's values behave over time. */
public enum MetricKind {
  /** A level at the sampling instant (bytes resident, threads, a limit). */
  GAUGE,
  /** A cumulative, non-decreasing total since the target started (CPU nanoseconds, bytes read); rates are deltas. */
  COUNTER,
  /** A small categorical id (e.g. a code phase); neither summed nor differenced. */
  LABEL
}
