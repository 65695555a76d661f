package dev.presize.trainer.input;

import dev.presize.core.trace.TraceData;
import dev.presize.core.trace.TraceReader;
import dev.presize.local.corpus.CorpusManifest;
import dev.presize.local.corpus.CorpusRun;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of Presize's own {@code .pstrace} traces: one trace becomes one {@link Series}
 * {@code presize/<trace file name without extension>} at a step the caller chooses (e.g. 100 ms).
 *
 * <p>Step {@code i} covers {@code (t0 + i*step, t0 + (i+1)*step]}, {@code t0} the first sample's time; the last
 * step ends at the last sample and may be shorter. Counters are interpolated linearly between samples at the
 * step boundaries, so a rate is the counter's increase over the step divided by the step's length:
 * <ul>
 *   <li>CPU cores = Δ{@code cgroup.cpu.usage} / Δt where recorded, else Δ({@code proc.cpu.user} +
 *       {@code proc.cpu.system}) / Δt;</li>
 *   <li>MEMORY = the largest {@code proc.rss} sampled in the step ({@code cgroup.memory.usage} when there is no
 *       {@code proc.rss}), a peak ({@link Series#memoryIsPeak()} true); a step with no sample of its own (a step
 *       shorter than the sampling interval) takes the latest sample before it;</li>
 *   <li>NETWORK = Δ({@code net.rx.bytes} + {@code net.tx.bytes}) / Δt and DISK = Δ({@code proc.io.read} +
 *       {@code proc.io.write}) / Δt, in bytes per second, each only when its columns were recorded.</li>
 * </ul>
 * Provisioned CPU cores and memory bytes come from the {@code cgroup.cpu.limit} (millicores) and
 * {@code cgroup.memory.limit} columns where recorded: their largest value, absent when 0 (unlimited).
 */
public final class PresizeTraceReader {

  private static final String EXTENSION = ".pstrace";

  private PresizeTraceReader() {
  }

  /**
   * Reads one trace at {@code step}.
   *
   * @throws InputDataException when the trace has fewer than two samples or no CPU or memory column
   * @throws IOException when the file cannot be read, or is damaged or incomplete (the core reader's exceptions)
   */
  public static Series read(Path trace, Duration step) throws IOException {
    if (step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("step must be positive, was " + step);
    }
    TraceData data = TraceReader.readAll(trace);
    long[] ts = data.timestampsNanos();
    int n = ts.length;
    if (n < 2) {
      throw new InputDataException(trace, 0, "has " + n + " samples; a series needs at least 2", null);
    }
    long stepNanos = step.toNanos();
    long t0 = ts[0];
    long span = ts[n - 1] - t0;
    int steps = (int) Math.max(1, (span + stepNanos - 1) / stepNanos);
    Map<Resource, double[]> usage = new EnumMap<>(Resource.class);

    double[] cpuCounter;
    if (data.hasColumn(Metric.CGROUP_CPU_USAGE_NANOS.key())) {
      cpuCounter = toDouble(data.column(Metric.CGROUP_CPU_USAGE_NANOS));
    } else if (data.hasColumn(Metric.PROC_CPU_USER_NANOS.key()) && data.hasColumn(Metric.PROC_CPU_SYSTEM_NANOS.key())) {
      cpuCounter = sum(data.column(Metric.PROC_CPU_USER_NANOS), data.column(Metric.PROC_CPU_SYSTEM_NANOS));
    } else {
      throw new InputDataException(trace, 0, "has no CPU column (" + Metric.CGROUP_CPU_USAGE_NANOS.key() + " or "
          + Metric.PROC_CPU_USER_NANOS.key() + " + " + Metric.PROC_CPU_SYSTEM_NANOS.key() + "); its columns are "
          + data.header().columns(), null);
    }
    // nanoseconds of CPU per nanosecond = cores
    usage.put(Resource.CPU, rates(ts, cpuCounter, stepNanos, steps, 1.0));

    long[] memory;
    if (data.hasColumn(Metric.PROC_RSS_BYTES.key())) {
      memory = data.column(Metric.PROC_RSS_BYTES);
    } else if (data.hasColumn(Metric.CGROUP_MEMORY_USAGE_BYTES.key())) {
      memory = data.column(Metric.CGROUP_MEMORY_USAGE_BYTES);
    } else {
      throw new InputDataException(trace, 0, "has no memory column (" + Metric.PROC_RSS_BYTES.key() + " or "
          + Metric.CGROUP_MEMORY_USAGE_BYTES.key() + "); its columns are " + data.header().columns(), null);
    }
    usage.put(Resource.MEMORY, peaks(ts, memory, stepNanos, steps));

    if (data.hasColumn(Metric.NET_RX_BYTES.key()) && data.hasColumn(Metric.NET_TX_BYTES.key())) {
      usage.put(Resource.NETWORK, rates(ts, sum(data.column(Metric.NET_RX_BYTES), data.column(Metric.NET_TX_BYTES)),
          stepNanos, steps, 1e9));
    }
    if (data.hasColumn(Metric.PROC_READ_BYTES.key()) && data.hasColumn(Metric.PROC_WRITE_BYTES.key())) {
      usage.put(Resource.DISK, rates(ts, sum(data.column(Metric.PROC_READ_BYTES),
          data.column(Metric.PROC_WRITE_BYTES)), stepNanos, steps, 1e9));
    }

    Map<Resource, Double> provisioned = new EnumMap<>(Resource.class);
    if (data.hasColumn(Metric.CGROUP_CPU_LIMIT_MILLICORES.key())) {
      long max = max(data.column(Metric.CGROUP_CPU_LIMIT_MILLICORES));
      if (max > 0) {
        provisioned.put(Resource.CPU, max / 1000.0);
      }
    }
    if (data.hasColumn(Metric.CGROUP_MEMORY_LIMIT_BYTES.key())) {
      long max = max(data.column(Metric.CGROUP_MEMORY_LIMIT_BYTES));
      if (max > 0) {
        provisioned.put(Resource.MEMORY, (double) max);
      }
    }
    String name = trace.getFileName().toString();
    String id = "presize/" + (name.endsWith(EXTENSION) ? name.substring(0, name.length() - EXTENSION.length()) : name);
    long startMillis = data.header().startTime().toEpochMilli() + t0 / 1_000_000;
    var inputSize = data.header().inputSizeBytes();
    return new Series(id, "presize", startMillis, step, usage, true, provisioned, "", data.header().functionId(),
        inputSize.isPresent() ? inputSize.getAsLong() : Double.NaN);
  }

  /**
   * Reads every successful run (exit code 0) of the corpus in {@code corpusDir}, in manifest order.
   *
   * @throws IOException when the directory has no {@code corpus.json}, or a trace cannot be read
   */
  public static List<Series> readCorpus(Path corpusDir, Duration step) throws IOException {
    CorpusManifest manifest = CorpusManifest.read(corpusDir).orElseThrow(() -> new IOException(
        corpusDir + " is not a corpus: it has no " + CorpusManifest.FILE));
    List<Series> out = new ArrayList<>(manifest.runs().size());
    for (CorpusRun run : manifest.runs()) {
      if (run.exitCode() == 0) {
        out.add(read(corpusDir.resolve(run.trace()), step));
      }
    }
    return out;
  }

  /** Mean rate per step of a counter: Δcounter / Δt between the interpolated values at the step's ends. */
  private static double[] rates(long[] ts, double[] counter, long stepNanos, int steps, double perNanos) {
    double[] out = new double[steps];
    long t0 = ts[0];
    long tEnd = ts[ts.length - 1];
    int cursor = 0;
    long start = t0;
    double startValue = counter[0];
    for (int i = 0; i < steps; i++) {
      long end = Math.min(tEnd, t0 + (i + 1) * stepNanos);
      while (cursor < ts.length - 2 && ts[cursor + 1] < end) {
        cursor++;
      }
      double endValue = interpolate(ts, counter, cursor, end);
      long dt = end - start;
      out[i] = dt > 0 ? (endValue - startValue) / dt * perNanos : Double.NaN;
      start = end;
      startValue = endValue;
    }
    return out;
  }

  /** The counter at {@code t}, with {@code ts[i] <= t <= ts[i + 1]} (or the last sample). */
  private static double interpolate(long[] ts, double[] v, int i, long t) {
    if (i + 1 >= ts.length || t >= ts[i + 1]) {
      return v[Math.min(i + 1, ts.length - 1)];
    }
    long dt = ts[i + 1] - ts[i];
    if (dt <= 0) {
      return v[i + 1];
    }
    return v[i] + (v[i + 1] - v[i]) * ((double) (t - ts[i]) / dt);
  }

  /** The largest sample in each step; a step with none takes the latest sample before it. */
  private static double[] peaks(long[] ts, long[] v, long stepNanos, int steps) {
    double[] out = new double[steps];
    long t0 = ts[0];
    int j = 0;
    long latest = v[0];
    for (int i = 0; i < steps; i++) {
      long end = t0 + (i + 1) * stepNanos;
      long peak = Long.MIN_VALUE;
      while (j < ts.length && (ts[j] <= end || i == steps - 1)) {
        peak = Math.max(peak, v[j]);
        latest = v[j];
        j++;
      }
      out[i] = peak == Long.MIN_VALUE ? latest : peak;
    }
    return out;
  }

  private static double[] toDouble(long[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  private static double[] sum(long[] a, long[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (double) a[i] + b[i];
    }
    return out;
  }

  private static long max(long[] a) {
    long m = 0;
    for (long x : a) {
      m = Math.max(m, x);
    }
    return m;
  }
}
