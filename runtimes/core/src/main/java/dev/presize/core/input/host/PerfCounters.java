package dev.presize.core.input.host;

import dev.presize.spi.metrics.Metric;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The running totals of the hardware counters Presize asks {@code perf stat} for, written by the reader thread
 * and read by the sampler thread (each slot a volatile long).
 */
final class PerfCounters {

  /** The perf event names, in the order of {@link #METRICS}. */
  static final List<String> EVENTS = List.of(
      "instructions", "cycles", "branches", "branch-misses", "cache-references", "cache-misses");

  /** The metric each event feeds, in the order of {@link #EVENTS}. */
  static final List<Metric> METRICS = List.of(
      Metric.HW_INSTRUCTIONS, Metric.HW_CYCLES, Metric.HW_BRANCHES, Metric.HW_BRANCH_MISSES,
      Metric.HW_CACHE_REFERENCES, Metric.HW_CACHE_MISSES);

  private final AtomicLongArray totals = new AtomicLongArray(EVENTS.size());
  private static final int NONE_YET = 0;
  private static final int COUNTED = 1;
  private static final int UNSUPPORTED = 2;

  /** Per slot: {@link #NONE_YET}, {@link #COUNTED} (at least once) or {@link #UNSUPPORTED} (and never counted). */
  private final AtomicLongArray state = new AtomicLongArray(EVENTS.size());
  private final Metric[] metrics = METRICS.toArray(new Metric[0]);

  /** The slot of a normalized perf event name, or -1 for events Presize did not ask for. */
  static int indexOf(String event) {
    if (event.equals("cpu-cycles")) {
      return 1;
    }
    return EVENTS.indexOf(event);
  }

  /** Adds one interval's count. Reader thread only. */
  void add(int index, long delta) {
    if (delta > 0) {
      totals.addAndGet(index, delta);
    }
    state.set(index, COUNTED);
  }

  /**
   * Marks slot {@code index} as a counter this host does not have, unless it was counted before (on hybrid CPUs
   * one PMU may lack an event the other counts): an unsupported slot is never reported.
   */
  void markUnsupported(int index) {
    state.compareAndSet(index, NONE_YET, UNSUPPORTED);
  }

  /** The total of slot {@code index} so far. */
  long total(int index) {
    return totals.get(index);
  }

  /** Whether perf said the host lacks the counter of slot {@code index}. */
  boolean unsupported(int index) {
    return state.get(index) == UNSUPPORTED;
  }

  int size() {
    return metrics.length;
  }

  Metric metric(int index) {
    return metrics[index];
  }

  static Set<Metric> metricSet() {
    return EnumSet.copyOf(METRICS);
  }
}
