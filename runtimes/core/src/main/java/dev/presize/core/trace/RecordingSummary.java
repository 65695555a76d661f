package dev.presize.core.trace;

import dev.presize.spi.metrics.Metric;
import java.util.List;

/**
 * What one recorded run used, in the units users read: the summary {@code presize record} prints.
 *
 * <p>Process counters (CPU, faults, storage bytes) are totals since the process started, as the kernel keeps
 * them; network bytes are the increase over the recording, since they belong to the network namespace. A value
 * the trace has no column for is -1.
 *
 * @param samples samples recorded
 * @param durationNanos time from the first to the last sample
 * @param peakRssBytes highest summed RSS of the process tree
 * @param cpuSeconds user + system CPU time of the process tree
 * @param minorFaults minor page faults
 * @param majorFaults major page faults
 * @param readBytes bytes read from storage
 * @param writeBytes bytes written to storage
 * @param rxBytes bytes received over the recording
 * @param txBytes bytes sent over the recording
 * @param peakCgroupMemoryBytes highest cgroup memory usage (page cache included), -1 without a cgroup
 * @param cgroupCpuSeconds CPU time charged to the cgroup, -1 without a cgroup
 * @param oomKills OOM kills in the cgroup, -1 without a cgroup
 */
public record RecordingSummary(long samples, long durationNanos, long peakRssBytes, double cpuSeconds,
    long minorFaults, long majorFaults, long readBytes, long writeBytes, long rxBytes, long txBytes,
    long peakCgroupMemoryBytes, double cgroupCpuSeconds, long oomKills) {

  /** The summary of a stored trace. */
  public static RecordingSummary of(TraceData data) {
    Accumulator a = new Accumulator(data.header().columns());
    long[] row = new long[data.header().columnCount()];
    for (int i = 0; i < data.sampleCount(); i++) {
      for (int c = 0; c < row.length; c++) {
        row[c] = data.columns()[c][i];
      }
      a.accept(data.timestampsNanos()[i], row);
    }
    return a.summary();
  }

  /**
   * Builds a summary sample by sample, without allocating per sample (so it can run on a drain thread).
   * Not thread-safe.
   */
  public static final class Accumulator {
    private final int rss;
    private final int user;
    private final int system;
    private final int minflt;
    private final int majflt;
    private final int read;
    private final int write;
    private final int rx;
    private final int tx;
    private final int cgMem;
    private final int cgCpu;
    private final int oom;
    private long samples;
    private long firstTs;
    private long lastTs;
    private long peakRss = -1;
    private long peakCgMem = -1;
    private long firstRx;
    private long firstTx;
    private final long[] last;

    /** For samples whose columns are these metric keys, in order. */
    public Accumulator(List<String> columns) {
      rss = columns.indexOf(Metric.PROC_RSS_BYTES.key());
      user = columns.indexOf(Metric.PROC_CPU_USER_NANOS.key());
      system = columns.indexOf(Metric.PROC_CPU_SYSTEM_NANOS.key());
      minflt = columns.indexOf(Metric.PROC_MINOR_FAULTS.key());
      majflt = columns.indexOf(Metric.PROC_MAJOR_FAULTS.key());
      read = columns.indexOf(Metric.PROC_READ_BYTES.key());
      write = columns.indexOf(Metric.PROC_WRITE_BYTES.key());
      rx = columns.indexOf(Metric.NET_RX_BYTES.key());
      tx = columns.indexOf(Metric.NET_TX_BYTES.key());
      cgMem = columns.indexOf(Metric.CGROUP_MEMORY_USAGE_BYTES.key());
      cgCpu = columns.indexOf(Metric.CGROUP_CPU_USAGE_NANOS.key());
      oom = columns.indexOf(Metric.CGROUP_OOM_KILLS.key());
      last = new long[columns.size()];
    }

    /** Adds one sample; {@code values} is not kept. */
    public void accept(long timestampNanos, long[] values) {
      if (samples == 0) {
        firstTs = timestampNanos;
        firstRx = rx >= 0 ? values[rx] : 0;
        firstTx = tx >= 0 ? values[tx] : 0;
      }
      samples++;
      lastTs = timestampNanos;
      if (rss >= 0) {
        peakRss = Math.max(peakRss, values[rss]);
      }
      if (cgMem >= 0) {
        peakCgMem = Math.max(peakCgMem, values[cgMem]);
      }
      System.arraycopy(values, 0, last, 0, last.length);
    }

    public long samples() {
      return samples;
    }

    public RecordingSummary summary() {
      boolean any = samples > 0;
      return new RecordingSummary(samples, any ? lastTs - firstTs : 0, any ? peakRss : -1,
          any && user >= 0 && system >= 0 ? (last[user] + last[system]) / 1e9 : -1, value(minflt), value(majflt),
          value(read), value(write), any && rx >= 0 ? last[rx] - firstRx : -1,
          any && tx >= 0 ? last[tx] - firstTx : -1, any ? peakCgMem : -1,
          any && cgCpu >= 0 ? last[cgCpu] / 1e9 : -1, value(oom));
    }

    private long value(int column) {
      return samples > 0 && column >= 0 ? last[column] : -1;
    }
  }
}
