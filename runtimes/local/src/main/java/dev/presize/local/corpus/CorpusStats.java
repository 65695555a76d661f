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
   * @param peakCores highest CPU rate over any 100 ms window
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
   * @param memorySizeCorrelation Spearman rank correlation of input size and peak RSS over the runs (NaN if one size)
   * @param dominant the resource this workload uses most beyond the corpus's lightest workload (see
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
    }
    return new RunStats(run, seconds, max(t, Metric.PROC_RSS_BYTES), meanCores, peakCores,
        delta(t, Metric.NET_RX_BYTES), delta(t, Metric.NET_TX_BYTES), delta(t, Metric.PROC_READ_BYTES),
        delta(t, Metric.PROC_WRITE_BYTES));
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

  /**
   * For each workload, the resource it uses most beyond the corpus's lightest workload: per resource, the mean
   * intensity scaled so the lightest workload is 0 and the heaviest 1 (what every run pays anyway, such as a JVM's
   * start-up, drops out), and the largest scaled value wins. A workload using nothing beyond the lightest on any
   * resource is CPU-dominated by convention.
   */
  static Map<String, Resource> dominant(Map<String, Map<Resource, Double>> intensity) {
    Map<Resource, double[]> range = new EnumMap<>(Resource.class);
    for (Resource res : Resource.values()) {
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (Map<Resource, Double> m : intensity.values()) {
        min = Math.min(min, m.get(res));
        max = Math.max(max, m.get(res));
      }
      range.put(res, new double[] {min, max});
    }
    Map<String, Resource> out = new LinkedHashMap<>();
    intensity.forEach((w, m) -> {
      Resource best = Resource.CPU;
      double bestScore = 0;
      for (Resource res : Resource.values()) {
        double[] r = range.get(res);
        double score = r[1] > r[0] ? (m.get(res) - r[0]) / (r[1] - r[0]) : 0;
        if (score > bestScore) {
          best = res;
          bestScore = score;
        }
      }
      out.put(w, best);
    });
    return out;
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
