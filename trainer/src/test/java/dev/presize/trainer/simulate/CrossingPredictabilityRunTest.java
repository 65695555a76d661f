package dev.presize.trainer.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.checkpoint.ExceedanceModel;
import dev.presize.spi.resources.Quantiles;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.InvocationHistory;
import dev.presize.trainer.features.Target;
import dev.presize.trainer.input.BitbrainsReader;
import dev.presize.trainer.input.PresizeTraceReader;
import dev.presize.trainer.input.SharedData;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.PresizeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How predictable the simulation's failures (upward crossings of a series' p95 memory, {@link CheckpointJob}) are,
 * and so how much any schedule can gain over a constant checkpoint rate. Reported, not asserted, in
 * {@code trainer/target/checkpoint-simulation/<dataset>-predictability.md}; the numbers are in
 * {@code docs/checkpoint-schedule.md}.
 *
 * <p><b>The measure.</b> With a hazard {@code p} per step, the best interval is Young's {@code sqrt(2C/p)} and the
 * waste per step about {@code sqrt(2Cp)}. A predictor that sorts the steps into groups with failure rates
 * {@code p_g} wastes about {@code sum_g n_g sqrt(2C p_g)}; a constant rate, {@code N sqrt(2C F/N)}. Their ratio
 * {@code sum_g n_g sqrt(p_g) / (N sqrt(F/N))} does not depend on C: the share of the constant rate's waste left
 * when each group's true rate is known. The groups' rates are measured on the very steps they score (in
 * sample), so the ratio is a lower bound for a causal schedule using the same information. {@code 0.7} or less is
 * needed for 30% below the best fixed interval.
 *
 * <p>Run: {@code ./mvnw -o -q -B -pl runtimes/core,trainer verify -Dtest='CrossingPredictability*'
 * -Dsurefire.failIfNoSpecifiedTests=false}; with {@code -Dpresize.bitbrains.model=DIR} (a model trained with
 * {@code presize train --format bitbrains}) the learned forecast is measured too, on its held-out VMs.
 */
class CrossingPredictabilityRunTest {

  private static final Path OUT = Path.of("target/checkpoint-simulation");

  /** Groups of steps and their failures. */
  static final class Groups {
    final Map<Long, long[]> counts = new HashMap<>();

    void add(long key, boolean fail) {
      long[] c = counts.computeIfAbsent(key, k -> new long[2]);
      c[0]++;
      if (fail) {
        c[1]++;
      }
    }

    /** {@code sum_g n_g sqrt(p_g) / (N sqrt(F/N))}. */
    double ratio() {
      double s = 0;
      long n = 0;
      long f = 0;
      for (long[] c : counts.values()) {
        s += c[0] * Math.sqrt((double) c[1] / c[0]);
        n += c[0];
        f += c[1];
      }
      return f == 0 ? 1 : s / (n * Math.sqrt((double) f / n));
    }
  }

  /** The log-spaced bin of an exceedance probability (as the calibration bins it). */
  static long bin(double p) {
    double[] edges = {1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.2, 0.4, 0.7};
    int b = 0;
    while (b < edges.length && p >= edges[b]) {
      b++;
    }
    return b;
  }

  private static long log2(int v) {
    return 31 - Integer.numberOfLeadingZeros(Math.max(1, v));
  }

  @Test
  @DisplayName("Bitbrains rnd 2013-7: p95 crossings are close to memoryless")
  void bitbrains() throws Exception {
    List<Series> series = BitbrainsReader.readDirectory(SharedData.dir("bitbrains-rnd-2013-7"), Integer.MAX_VALUE);
    Map<String, Double> r = measure(series, Set.of());
    String model = System.getProperty("presize.bitbrains.model");
    if (model != null) {
      FeatureExtractor ex = FeatureExtractor.standard();
      try (PresizeModel m = PresizeModel.load(Path.of(model), ex.schema())) {
        r.putAll(learned(series, m, ex));
      }
    }
    write("bitbrains", r);
    assertThat(r.get("trailing-change forecast, P bin")).isBetween(0.0, 1.0);
  }

  @Test
  @DisplayName("our corpus: crossings follow the forecast closely")
  void corpus() throws Exception {
    Map<String, Double> r = measure(PresizeTraceReader.readCorpus(SharedData.corpus(), Duration.ofMillis(10)),
        Set.of());
    write("corpus", r);
    assertThat(r.get("trailing-change forecast, P bin")).isBetween(0.0, 1.0);
  }

  /** The ratios of the stand-in forecast and of simple causal context, over every series. */
  private static Map<String, Double> measure(List<Series> series, Set<String> only) {
    Map<String, Groups> g = new LinkedHashMap<>();
    for (String name : List.of("constant rate over the dataset", "each series' own constant rate (the oracle)",
        "trailing-change forecast, P bin", "P bin x steps since last over x crossings in the last 288 steps",
        "P bin x since over x crossings x over 288 steps ago", "P bin x headroom over mean |change| of 12 steps",
        "P bin x headroom / mad12 x since over x crossings")) {
      g.put(name, new Groups());
    }
    Groups[] a = g.values().toArray(new Groups[0]);
    long si = 0;
    for (Series s : series) {
      CheckpointJob job = CheckpointJob.of(s, 0.95).orElse(null);
      if (job == null) {
        continue;
      }
      si++;
      TrailingDeltaForecast fc = new TrailingDeltaForecast(288);
      double[] m = job.memory();
      double cap = job.capacity();
      int lastOver = -1_000_000;
      ArrayDeque<Integer> crossings = new ArrayDeque<>();
      for (int i = 1; i < m.length; i++) {
        if (i >= 2) {
          fc.add(m[i - 1] - m[i - 2]);
        }
        if (m[i - 1] > cap) {
          lastOver = i - 1;
        }
        if (job.fails()[i - 1]) {
          crossings.add(i - 1);
        }
        while (!crossings.isEmpty() && crossings.peekFirst() < i - 288) {
          crossings.pollFirst();
        }
        if (fc.size() == 0 || m[i - 1] > cap) {
          continue;
        }
        boolean fail = job.fails()[i];
        long p = bin(ExceedanceModel.probabilityAbove(fc.next(m[i - 1]), cap));
        long ctx = p * 10_000 + Math.min(crossings.size(), 40) / 4 * 100 + log2(i - lastOver);
        long day = i >= 288 ? (m[i - 288] > cap ? 2 : 1) : 0;
        a[0].add(0, fail);
        a[1].add(si, fail);
        a[2].add(p, fail);
        a[3].add(ctx, fail);
        a[4].add(ctx * 10 + day, fail);
        double mad = 0;
        int k = 0;
        for (int q = i - 1; q >= Math.max(1, i - 12); q--) {
          mad += Math.abs(m[q] - m[q - 1]);
          k++;
        }
        mad = k == 0 ? 0 : mad / k;
        double h = cap - m[i - 1];
        long hb = mad <= 0 ? 15 : Math.max(0, Math.min(14, (long) Math.floor(Math.log(h / mad + 1e-12) / Math.log(2)) + 4));
        a[5].add(p * 100 + hb, fail);
        a[6].add(ctx * 100 + hb, fail);
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    g.forEach((k, v) -> out.put(k, v.ratio()));
    return out;
  }

  /** The learned model's exceedance probability on its held-out VMs, beside the stand-in's on the same steps. */
  private static Map<String, Double> learned(List<Series> series, PresizeModel model, FeatureExtractor ex) {
    Set<String> test = model.testSeries();
    Groups learned = new Groups();
    Groups trailing = new Groups();
    Groups both = new Groups();
    int width = ex.width();
    for (Series s : series) {
      CheckpointJob job = test.contains(s.id()) ? CheckpointJob.of(s, 0.95).orElse(null) : null;
      if (job == null) {
        continue;
      }
      int n = s.length();
      int first = n - job.length();
      float[] features = new float[n * width];
      FeatureExtractor.Prepared prepared = ex.prepare(s, InvocationHistory.Stats.NONE);
      float[] row = new float[width];
      for (int t = 0; t < n; t++) {
        prepared.extract(t, row);
        System.arraycopy(row, 0, features, t * width, width);
      }
      double[][] f = model.forecast(Target.MEMORY_PEAK, features, n, width);
      TrailingDeltaForecast fc = new TrailingDeltaForecast(288);
      double[] m = job.memory();
      double cap = job.capacity();
      for (int j = 1; j < m.length; j++) {
        if (j >= 2) {
          fc.add(m[j - 1] - m[j - 2]);
        }
        double[] q = model.reported(Target.MEMORY_PEAK, f[first + j - 1]); // row t forecasts step t + 1
        if (fc.size() == 0 || m[j - 1] > cap || Double.isNaN(q[0])) {
          continue;
        }
        long pl = bin(ExceedanceModel.probabilityAbove(Quantiles.sorted(q[0], q[1], q[2]), cap));
        long pt = bin(ExceedanceModel.probabilityAbove(fc.next(m[j - 1]), cap));
        learned.add(pl, job.fails()[j]);
        trailing.add(pt, job.fails()[j]);
        both.add(pl * 100 + pt, job.fails()[j]);
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("held-out VMs: learned model, P bin", learned.ratio());
    out.put("held-out VMs: trailing-change forecast, P bin", trailing.ratio());
    out.put("held-out VMs: learned x trailing P bins", both.ratio());
    return out;
  }

  private static void write(String dataset, Map<String, Double> ratios) throws Exception {
    StringBuilder md = new StringBuilder("| grouping of the steps | waste left vs a constant rate (in sample) |\n"
        + "|---|---|\n");
    ratios.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %.3f |%n", k, v)));
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve(dataset + "-predictability.md"), md.toString());
    System.out.println(dataset + "\n" + md);
  }
}
