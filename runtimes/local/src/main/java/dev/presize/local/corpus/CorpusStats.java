package dev.presize.local.corpus;

import dev.presize.core.trace.TraceData;
import dev.presize.core.trace.TraceReader;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.resources.Resource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-workload statistics of a corpus, computed from its traces: what each workload used, how its peak memory
 * follows its input size, and which resource it stresses most compared with the other workloads.
 */
public final class CorpusStats {

  /** CPU peaks are taken over windows of this many nanoseconds (the decision window of the control loop). */
  static final long PEAK_WINDOW_NANOS = 100_000_000L;

  private CorpusStats() {}

  /**
   * What one run used.
   *
   * @param run the manifest entry
   * @param durationSeconds first to last sample
   * @param peakRssBytes peak RSS of the process tree
   * @param meanCores CPU seconds / duration
   * @param peakCores highest CPU rate over any 100 ms window, at most the cores the run had
   * @param rxBytes network bytes received over the run (network namespace)
   * @param txBytes network bytes sent over the run
   * @param readBytes storage bytes read
   * @param writeBytes storage bytes written
   */
  public record RunStats(CorpusRun run, double durationSeconds, long peakRssBytes, double meanCores,
      double peakCores, long rxBytes, long txBytes, long readBytes, long writeBytes) {

    /** This run's intensity per resource: cores, peak bytes, and bytes per second for network and disk. */
    Map<Resource, Double> intensity() {
      double seconds = Math.max(durationSeconds, 1e-3);
      Map<Resource, Double> m = new EnumMap<>(Resource.class);
      m.put(Resource.CPU, meanCores);
      m.put(Resource.MEMORY, (double) peakRssBytes);
      m.put(Resource.NETWORK, (rxBytes + txBytes) / seconds);
      m.put(Resource.DISK, (readBytes + writeBytes) / seconds);
      return m;
    }
  }

  /**
   * What one workload used over its runs.
   *
   * @param workload the name
   * @param runs successful runs
   * @param meanDurationSeconds mean run duration
   * @param peakRssBytes highest peak RSS of any run
   * @param meanCores mean over runs of CPU seconds / duration
   * @param peakCores highest 100 ms CPU rate of any run
   * @param meanRxBytes mean network bytes received per run
   * @param meanTxBytes mean network bytes sent per run
   * @param meanReadBytes mean storage bytes read per run
   * @param meanWriteBytes mean storage bytes written per run
   * @param peakRssBySize mean peak RSS per input size
   * @param memoryGrowth peak RSS at the largest size / at the smallest (1 = does not grow)
   * @param memorySizeCorrelation Spearman rank correlation of input size and peak RSS over the runs (NaN with fewer
   *     than 3 runs, or when sizes or peaks do not vary)
   * @param dominant the resource on which this workload ranks highest among the corpus's workloads (see
   *     {@link #dominant})
   */
  public record WorkloadStats(String workload, int runs, double meanDurationSeconds, long peakRssBytes,
      double meanCores, double peakCores, long meanRxBytes, long meanTxBytes, long meanReadBytes,
      long meanWriteBytes, SortedMap<Long, Long> peakRssBySize, double memoryGrowth, double memorySizeCorrelation,
      Resource dominant) {}

  /** Statistics of every successful run in the corpus at {@code dir}, grouped by workload. */
  public static List<WorkloadStats> of(Path dir) throws IOException {
    CorpusManifest manifest = CorpusManifest.read(dir)
        .orElseThrow(() -> new IOException("no " + CorpusManifest.FILE + " in " + dir + ": not a corpus directory"));
    List<RunStats> runs = new ArrayList<>();
    for (CorpusRun r : manifest.runs()) {
      if (r.exitCode() == 0) {
        runs.add(run(r, TraceReader.readAll(dir.resolve(r.trace()))));
      }
    }
    return byWorkload(runs);
  }

  /** What one run used, from its trace. */
  public static RunStats run(CorpusRun run, TraceData t) {
    int n = t.sampleCount();
    if (n == 0) {
      return new RunStats(run, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    long[] ts = t.timestampsNanos();
    double seconds = (ts[n - 1] - ts[0]) / 1e9;
    long[] cpu = cpuNanos(t);
    double meanCores = seconds > 0 && cpu != null ? (cpu[n - 1] - cpu[0]) / 1e9 / seconds : 0;
    double peakCores = 0;
    if (cpu != null) {
      int j = 0;
      for (int i = 0; i < n; i++) { // the shortest window of >= 100 ms ending at sample i
        while (j + 1 < i && ts[i] - ts[j + 1] >= PEAK_WINDOW_NANOS) {
          j++;
        }
        if (ts[i] - ts[j] >= PEAK_WINDOW_NANOS) {
          peakCores = Math.max(peakCores, (cpu[i] - cpu[j]) / (double) (ts[i] - ts[j]));
        }
      }
      if (peakCores == 0) {
        peakCores = meanCores; // a run shorter than one window
      }
      // A sample's timestamp is taken before its files are read, so a sampler thread delayed on a saturated host
      // can make a window look shorter than the CPU in it: no window can hold more than the cores there were.
      peakCores = Math.min(peakCores, coresAvailable(t));
    }
    return new RunStats(run, seconds, max(t, Metric.PROC_RSS_BYTES), meanCores, peakCores,
        delta(t, Metric.NET_RX_BYTES), delta(t, Metric.NET_TX_BYTES), delta(t, Metric.PROC_READ_BYTES),
        delta(t, Metric.PROC_WRITE_BYTES));
  }

  /** The run's CPU ceiling: its cgroup's CPU limit when it had one, else the recording host's cores. */
  private static double coresAvailable(TraceData t) {
    double cores = Double.MAX_VALUE;
    if (t.hasColumn(Metric.CGROUP_CPU_LIMIT_MILLICORES.key())) {
      long[] limit = t.column(Metric.CGROUP_CPU_LIMIT_MILLICORES);
      if (limit.length > 0 && limit[limit.length - 1] > 0) {
        cores = limit[limit.length - 1] / 1000.0;
      }
    }
    String hostCpus = t.header().attributes().get("host.cpus");
    if (hostCpus != null) {
      cores = Math.min(cores, Integer.parseInt(hostCpus));
    }
    return cores;
  }

  /** CPU time per sample: the cgroup's (nanosecond precision) when recorded, else the process tree's. */
  private static long[] cpuNanos(TraceData t) {
    if (t.hasColumn(Metric.CGROUP_CPU_USAGE_NANOS.key())) {
      long[] cg = t.column(Metric.CGROUP_CPU_USAGE_NANOS);
      if (cg[cg.length - 1] > 0) {
        return cg;
      }
    }
    if (t.hasColumn(Metric.PROC_CPU_USER_NANOS.key()) && t.hasColumn(Metric.PROC_CPU_SYSTEM_NANOS.key())) {
      long[] u = t.column(Metric.PROC_CPU_USER_NANOS);
      long[] s = t.column(Metric.PROC_CPU_SYSTEM_NANOS);
      long[] sum = new long[u.length];
      for (int i = 0; i < sum.length; i++) {
        sum[i] = u[i] + s[i];
      }
      return sum;
    }
    return null;
  }

  private static long max(TraceData t, Metric m) {
    if (!t.hasColumn(m.key())) {
      return 0;
    }
    long best = 0;
    for (long v : t.column(m)) {
      best = Math.max(best, v);
    }
    return best;
  }

  private static long delta(TraceData t, Metric m) {
    if (!t.hasColumn(m.key())) {
      return 0;
    }
    long[] c = t.column(m);
    return Math.max(0, c[c.length - 1] - c[0]);
  }

  /** Groups runs by workload and says which resource each workload stresses most. */
  public static List<WorkloadStats> byWorkload(List<RunStats> runs) {
    Map<String, List<RunStats>> groups = new LinkedHashMap<>();
    for (RunStats r : runs) {
      groups.computeIfAbsent(r.run().workload(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Map<Resource, Double>> intensity = new LinkedHashMap<>();
    groups.forEach((w, rs) -> {
      Map<Resource, Double> mean = new EnumMap<>(Resource.class);
      for (Resource res : Resource.values()) {
        mean.put(res, rs.stream().mapToDouble(r -> r.intensity().get(res)).average().orElse(0));
      }
      intensity.put(w, mean);
    });
    Map<String, Resource> dominant = dominant(intensity);
    List<WorkloadStats> out = new ArrayList<>();
    groups.forEach((w, rs) -> {
      SortedMap<Long, Long> bySize = new TreeMap<>();
      Map<Long, List<RunStats>> sizes = new TreeMap<>();
      for (RunStats r : rs) {
        sizes.computeIfAbsent(r.run().size(), k -> new ArrayList<>()).add(r);
      }
      sizes.forEach((size, list) ->
          bySize.put(size, Math.round(list.stream().mapToLong(RunStats::peakRssBytes).average().orElse(0))));
      double growth = bySize.size() < 2 || bySize.get(bySize.firstKey()) == 0 ? 1
          : bySize.get(bySize.lastKey()) / (double) bySize.get(bySize.firstKey());
      out.add(new WorkloadStats(w, rs.size(), rs.stream().mapToDouble(RunStats::durationSeconds).average().orElse(0),
          rs.stream().mapToLong(RunStats::peakRssBytes).max().orElse(0),
          rs.stream().mapToDouble(RunStats::meanCores).average().orElse(0),
          rs.stream().mapToDouble(RunStats::peakCores).max().orElse(0),
          Math.round(rs.stream().mapToLong(RunStats::rxBytes).average().orElse(0)),
          Math.round(rs.stream().mapToLong(RunStats::txBytes).average().orElse(0)),
          Math.round(rs.stream().mapToLong(RunStats::readBytes).average().orElse(0)),
          Math.round(rs.stream().mapToLong(RunStats::writeBytes).average().orElse(0)), bySize, growth,
          spearman(rs), dominant.get(w)));
    });
    return out;
  }

  /** Network and disk rates below this (bytes per second) are a process's background noise, not use. */
  static final double IO_FLOOR_BYTES_PER_SECOND = 1 << 20;

  /**
   * For each workload, the resource on which it ranks highest among the corpus's workloads. Units differ between
   * resources, so ranks are compared: per resource, the workload's percentile rank of its mean intensity (CPU
   * cores, peak RSS, network and disk bytes per second), where a resource it does not use (network or disk below
   * 1 MiB/s) ranks 0. A tie goes to the resource on which it is further above the corpus median.
   */
  static Map<String, Resource> dominant(Map<String, Map<Resource, Double>> intensity) {
    Map<Resource, Map<String, Double>> rank = new EnumMap<>(Resource.class);
    Map<Resource, Double> median = new EnumMap<>(Resource.class);
    int k = intensity.size();
    for (Resource res : Resource.values()) {
      List<Map.Entry<String, Double>> sorted = new ArrayList<>();
      intensity.forEach((w, m) -> sorted.add(Map.entry(w, used(res, m.get(res)))));
      sorted.sort(Map.Entry.comparingByValue());
      Map<String, Double> pct = new LinkedHashMap<>();
      for (int i = 0; i < k; ) {
        int j = i;
        while (j + 1 < k && sorted.get(j + 1).getValue().equals(sorted.get(i).getValue())) {
          j++;
        }
        for (int x = i; x <= j; x++) {
          pct.put(sorted.get(x).getKey(), sorted.get(x).getValue() <= 0 || k == 1 ? 0 : (i + j) / 2.0 / (k - 1));
        }
        i = j + 1;
      }
      rank.put(res, pct);
      median.put(res, k == 0 ? 0 : sorted.get(k / 2).getValue());
    }
    Map<String, Resource> out = new LinkedHashMap<>();
    intensity.forEach((w, m) -> {
      Resource best = Resource.CPU;
      for (Resource res : Resource.values()) {
        double p = rank.get(res).get(w);
        double bp = rank.get(best).get(w);
        if (p > bp || (p == bp && p > 0
            && aboveMedian(used(res, m.get(res)), median.get(res)) > aboveMedian(used(best, m.get(best)),
                median.get(best)))) {
          best = res;
        }
      }
      out.put(w, best);
    });
    return out;
  }

  private static double used(Resource r, double v) {
    return (r == Resource.NETWORK || r == Resource.DISK) && v < IO_FLOOR_BYTES_PER_SECOND ? 0 : v;
  }

  private static double aboveMedian(double v, double median) {
    return median <= 0 ? (v > 0 ? Double.MAX_VALUE : 0) : v / median;
  }

  /** Spearman correlation between input size and peak RSS over the runs; NaN when sizes or peaks do not vary. */
  static double spearman(List<RunStats> runs) {
    int n = runs.size();
    if (n < 3) {
      return Double.NaN;
    }
    double[] x = ranks(runs.stream().mapToDouble(r -> r.run().size()).toArray());
    double[] y = ranks(runs.stream().mapToDouble(r -> r.peakRssBytes()).toArray());
    double mx = java.util.Arrays.stream(x).average().orElse(0);
    double my = java.util.Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }

  private static double[] ranks(double[] v) {
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        r[idx[k]] = (i + j) / 2.0;
      }
      i = j + 1;
    }
    return r;
  }
}
