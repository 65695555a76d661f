package dev.presize.local.run;

import dev.presize.spi.metrics.Metric;
import java.time.Duration;
import java.util.List;

/**
 * Folds the 10 ms samples of a recording into decision {@link Step}s, the way the trainer reads a trace
 * ({@code PresizeTraceReader}): CPU from the cgroup's CPU counter (else the tree's user + system time), memory as
 * the largest RSS of the tree in the step (else the cgroup's usage), network and disk as rates of their counters.
 *
 * <p>A step closes at the first sample at or after its planned end; its rates are over the time between the
 * samples that close it and the one before. Single-threaded.
 */
final class StepAggregator {

  private final long stepNanos;
  private final int cpu;
  private final int cpuUser;
  private final int cpuSystem;
  private final int rss;
  private final int group;
  private final int workingSet;
  private final int rx;
  private final int tx;
  private final int read;
  private final int write;
  private final int throttled;
  private final int oom;

  private boolean first = true;
  private int index;
  private long startTs;
  private long boundary;
  private double startCpu;
  private double startNet;
  private double startDisk;
  private long startThrottled;
  private double peak;
  private long lastTs;
  private long[] last;

  StepAggregator(List<String> columns, Duration step) {
    if (step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("step must be positive, was " + step);
    }
    this.stepNanos = step.toNanos();
    cpu = columns.indexOf(Metric.CGROUP_CPU_USAGE_NANOS.key());
    cpuUser = columns.indexOf(Metric.PROC_CPU_USER_NANOS.key());
    cpuSystem = columns.indexOf(Metric.PROC_CPU_SYSTEM_NANOS.key());
    rss = columns.indexOf(Metric.PROC_RSS_BYTES.key());
    group = columns.indexOf(Metric.CGROUP_MEMORY_USAGE_BYTES.key());
    workingSet = columns.indexOf(Metric.CGROUP_MEMORY_WORKING_SET_BYTES.key());
    rx = columns.indexOf(Metric.NET_RX_BYTES.key());
    tx = columns.indexOf(Metric.NET_TX_BYTES.key());
    read = columns.indexOf(Metric.PROC_READ_BYTES.key());
    write = columns.indexOf(Metric.PROC_WRITE_BYTES.key());
    throttled = columns.indexOf(Metric.CGROUP_CPU_THROTTLED_NANOS.key());
    oom = columns.indexOf(Metric.CGROUP_OOM_KILLS.key());
    if (cpu < 0 && (cpuUser < 0 || cpuSystem < 0)) {
      throw new IllegalArgumentException("no CPU column (" + Metric.CGROUP_CPU_USAGE_NANOS.key() + " or "
          + Metric.PROC_CPU_USER_NANOS.key() + " + " + Metric.PROC_CPU_SYSTEM_NANOS.key() + ") among " + columns);
    }
    if (rss < 0 && group < 0) {
      throw new IllegalArgumentException("no memory column (" + Metric.PROC_RSS_BYTES.key() + " or "
          + Metric.CGROUP_MEMORY_USAGE_BYTES.key() + ") among " + columns);
    }
    last = new long[columns.size()];
  }

  /** Adds one sample; returns the step it closes, or null. */
  Step accept(long ts, long[] v) {
    if (first) {
      first = false;
      begin(ts, v);
      peak = memory(v);
      boundary = ts + stepNanos;
      remember(ts, v);
      return null;
    }
    peak = Math.max(peak, memory(v));
    remember(ts, v);
    if (ts < boundary) {
      return null;
    }
    Step s = close(ts, v);
    begin(ts, v);
    peak = memory(v); // the closing sample also opens the next step: its RSS belongs to both
    boundary += stepNanos;
    if (boundary <= ts) {
      boundary = ts + stepNanos; // samples were late (a stalled sampler): realign instead of emitting empty steps
    }
    return s;
  }

  /** The step under way, closed at the last sample, or null when it has no time yet. */
  Step flush() {
    if (first || lastTs <= startTs) {
      return null;
    }
    Step s = close(lastTs, last);
    begin(lastTs, last);
    return s;
  }

  /** Cumulative OOM kills seen so far (0 when not sampled). */
  long oomKills() {
    return oom < 0 || first ? 0 : last[oom];
  }

  private Step close(long ts, long[] v) {
    double seconds = (ts - startTs) / 1e9;
    double cores = (cpuCounter(v) - startCpu) / (ts - startTs);
    double net = rx >= 0 && tx >= 0 ? ((double) v[rx] + v[tx] - startNet) / seconds : Double.NaN;
    double disk = read >= 0 && write >= 0 ? ((double) v[read] + v[write] - startDisk) / seconds : Double.NaN;
    long thr = throttled >= 0 ? Math.max(0, v[throttled] - startThrottled) : 0;
    return new Step(index++, ts, Math.max(0, cores), peak, group >= 0 ? v[group] : -1,
        workingSet >= 0 ? v[workingSet] : -1, net, disk, thr, oom >= 0 ? v[oom] : 0);
  }

  private void begin(long ts, long[] v) {
    startTs = ts;
    startCpu = cpuCounter(v);
    startNet = rx >= 0 && tx >= 0 ? (double) v[rx] + v[tx] : 0;
    startDisk = read >= 0 && write >= 0 ? (double) v[read] + v[write] : 0;
    startThrottled = throttled >= 0 ? v[throttled] : 0;
  }

  private void remember(long ts, long[] v) {
    lastTs = ts;
    System.arraycopy(v, 0, last, 0, v.length);
  }

  private double cpuCounter(long[] v) {
    return cpu >= 0 ? v[cpu] : (double) v[cpuUser] + v[cpuSystem];
  }

  private double memory(long[] v) {
    return rss >= 0 ? v[rss] : v[group];
  }
}
