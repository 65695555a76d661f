package dev.presize.trainer.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.core.checkpoint.ExceedanceModel;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.InvocationHistory;
import dev.presize.trainer.features.Splits;
import dev.presize.trainer.features.Target;
import dev.presize.trainer.features.WindowBuilder;
import dev.presize.trainer.input.BitbrainsReader;
import dev.presize.trainer.input.SharedData;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.PresizeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * An experiment: does a <b>direct classifier</b> of the simulation's failure event (an upward crossing of the VM's
 * p95 memory at the next step, {@link CheckpointJob}) sort Bitbrains' steps better than the exceedance probabilities
 * derived from memory quantile forecasts ({@link CrossingPredictabilityRunTest})?
 *
 * <p>XGBoost {@code binary:logistic} ({@code hist}) on the schema-5 features plus capacity-relative features that
 * read only the past and the capacity. Split as {@code presize train} splits (20% of VMs held out by the seeded hash,
 * seed 42; of the others the earlier 80% of each VM's steps train and the later 20% validate, for early stopping).
 * Negatives are subsampled in training (kept with probability 1/{@value #NEG_KEEP_INV}, weight
 * {@value #NEG_KEEP_INV}, so the probabilities stay calibrated). Measured on the held-out VMs' steps that are not
 * over the capacity (the steps where a crossing can happen), with the "waste left" ratio of
 * {@link CrossingPredictabilityRunTest} (independent of C).
 *
 * <p>Run (about 5.5 minutes on two cores, 8 GB heap): {@code ./mvnw -o -q -B -pl spi,runtimes/core,trainer verify
 * -Dtest='CrossingClassifier*' -Dsurefire.failIfNoSpecifiedTests=false -Dpresize.crossing.classifier=true
 * -Dsurefire.argLine=-Xmx8g [-Dpresize.bitbrains.model=DIR]}; the table goes to
 * {@code trainer/target/checkpoint-simulation/bitbrains-classifier.md}.
 *
 * <p>What came of it is built: {@code presize train-crossing} trains such a classifier on the capacity-relative
 * features alone ({@link dev.presize.core.checkpoint.CrossingFeatures}), which this experiment showed carry nearly
 * all of the gain (the "capacity features only" variant).
 */
@EnabledIfSystemProperty(named = "presize.crossing.classifier", matches = "true", disabledReason = "an experiment"
    + " of about 6 minutes, not part of the suite: run it with -Dpresize.crossing.classifier=true (see the class doc)")
class CrossingClassifierRunTest {

  private static final Path OUT = Path.of("target/checkpoint-simulation");
  private static final int NEG_KEEP_INV = 3;
  private static final int DAY = 288;
  private static final int WEEK = 7 * DAY;
  /**
   * {@code -Dpresize.crossing.sizing-steps=N}: the capacity is the p95 of each VM's first N steps and only the
   * steps after them are played and scored ({@link CheckpointJob#of(Series, double, int)}), so nothing divided by
   * the capacity knows the future; 0 (the default) is the p95 over the whole trace.
   */
  private static final int SIZING_STEPS = Integer.getInteger("presize.crossing.sizing-steps", 0);

  private static final String[] EXTRA = {
      "x.mem_to_cap", "x.headroom_over_std288", "x.headroom_over_mad12", "x.max12_to_cap", "x.max288_to_cap",
      "x.frac_over_288", "x.steps_since_over", "x.crossings_288", "x.crossings_2016", "x.day_next_over",
      "x.day_next_fail", "x.week_next_over", "x.week_next_fail", "x.day_next_to_cap", "x.week_next_to_cap",
      "x.trailing_P", "x.emp_exceed_288", "x.rate_so_far", "x.hour_of_day", "x.day_of_week", "x.mem_diff_z288",
      "x.steps_since_crossing", "x.cpu_to_max288", "x.cpu_diff_z288", "x.net_to_max288", "x.net_diff_z288",
      "x.disk_to_max288", "x.disk_diff_z288", "x.hour_next_over_4", "x.hour_next_fail_8", "x.hour_next_to_cap",
      "x.hour23_next_to_cap"};

  /** The rows of one series: one per step t (series index) whose next step is in the job, from job step 1. */
  private static final class Rows {
    String id;
    boolean test;
    int n;
    float[] features;
    boolean[] notOver;
    boolean[] labelCross;
    boolean[] labelAbove;
    boolean[] validation;
    double[] trailingP;
    double[] learnedP;
  }

  @Test
  @DisplayName("Bitbrains: a direct classifier of p95 crossings vs the quantile-derived P")
  void bitbrains() throws Exception {
    long t0 = System.nanoTime();
    List<Series> series = BitbrainsReader.readDirectory(SharedData.dir("bitbrains-rnd-2013-7"), Integer.MAX_VALUE);
    FeatureExtractor ex = FeatureExtractor.standard();
    WindowBuilder wb = new WindowBuilder(ex, 1, 1);
    Set<String> withRows = new HashSet<>();
    for (Series s : series) {
      if (wb.rowCount(s) > 0) {
        withRows.add(s.id());
      }
    }
    Set<String> test = new Splits(0.2, 0.2, 42).testSeries(withRows);
    String modelDir = System.getProperty("presize.bitbrains.model");
    PresizeModel model = modelDir == null ? null : PresizeModel.load(Path.of(modelDir), ex.schema());
    if (model != null) {
      assertThat(test).as("held-out VMs as the learned model's").isEqualTo(model.testSeries());
    }
    log(t0, "read " + series.size() + " series, " + test.size() + " held out");
    int width = ex.width() + EXTRA.length;
    List<Rows> rows = series.parallelStream().map(s -> rows(s, test.contains(s.id()), ex, model))
        .filter(r -> r != null).toList();
    if (model != null) {
      model.close();
    }
    log(t0, "features: " + rows.stream().mapToInt(r -> r.n).sum() + " rows of " + width);

    List<String> names = new ArrayList<>(ex.schema().names());
    names.addAll(List.of(EXTRA));

    // the held-out evaluation steps: not over the capacity now (a crossing can follow)
    int nt = 0;
    for (Rows r : rows) {
      if (r.test) {
        for (int i = 0; i < r.n; i++) {
          nt += r.notOver[i] ? 1 : 0;
        }
      }
    }
    float[] testX = new float[Math.multiplyExact(nt, width)];
    boolean[] y = new boolean[nt];
    double[] trailing = new double[nt];
    double[] learned = new double[nt];
    long[] vm = new long[nt];
    int k = 0;
    long vmIndex = 0;
    for (Rows r : rows) {
      if (!r.test) {
        continue;
      }
      vmIndex++;
      for (int i = 0; i < r.n; i++) {
        if (r.notOver[i]) {
          System.arraycopy(r.features, i * width, testX, k * width, width);
          y[k] = r.labelCross[i];
          trailing[k] = r.trailingP[i];
          learned[k] = r.learnedP == null ? Double.NaN : r.learnedP[i];
          vm[k] = vmIndex;
          k++;
        }
      }
    }
    long failures = 0;
    for (boolean b : y) {
      failures += b ? 1 : 0;
    }
    log(t0, "held-out steps not over the capacity: " + nt + ", crossings " + failures);

    Map<String, String> table = new LinkedHashMap<>();
    Map<String, String> importances = new LinkedHashMap<>();
    table.put("held-out: constant rate", fmt(ratio(new long[nt], y)));
    table.put("held-out: each VM's own constant rate", fmt(ratio(vm, y)));
    table.put("held-out: trailing-change forecast, P bin", fmt(ratio(logBins(trailing), y)) + " | "
        + auc(trailing, y) + " | " + ap(trailing, y));
    table.put("held-out: trailing-change forecast, 20 quantile bins", fmt(ratio(quantileBins(trailing, 20), y)));
    if (model != null) {
      table.put("held-out: learned model (schema 5), P bin", fmt(ratio(logBins(learned), y)) + " | "
          + auc(learned, y) + " | " + ap(learned, y));
      long[] both = new long[nt];
      long[] lb = logBins(learned);
      long[] tb = logBins(trailing);
      for (int i = 0; i < nt; i++) {
        both[i] = lb[i] * 100 + tb[i];
      }
      table.put("held-out: learned x trailing P bins", fmt(ratio(both, y)));
    }

    record Variant(String name, boolean crossLabel, int from, int w) { }
    List<Variant> variants = List.of(
        new Variant("label = crossing, schema 5 + capacity features", true, 0, width),
        new Variant("label = crossing, capacity features only", true, ex.width(), EXTRA.length),
        new Variant("label = crossing, schema 5 only", true, 0, ex.width()));
    // one feature alone: the share of the last 288 step changes that would carry the current level over
    int empCol = ex.width() + Arrays.asList(EXTRA).indexOf("x.emp_exceed_288");
    double[] emp = new double[nt];
    for (int i = 0; i < nt; i++) {
      float e = testX[i * width + empCol];
      emp[i] = Float.isNaN(e) ? 0 : e;
    }
    table.put("held-out: empirical exceedance of the last 288 changes (no model), P bin", fmt(ratio(logBins(emp), y))
        + " | " + auc(emp, y) + " | " + ap(emp, y));
    table.put("held-out: empirical exceedance of the last 288 changes, 20 quantile bins",
        fmt(ratio(quantileBins(emp, 20), y)));
    double[] firstP = null;
    for (Variant v : variants) {
      double[] p = trainAndPredict(rows, v.crossLabel, v.from, v.w, width, testX, nt, names, importances, v.name,
          t0);
      if (firstP == null) {
        firstP = p;
      }
      long[] tb = logBins(trailing);
      long[] lb = logBins(p);
      long[] both = new long[nt];
      for (int i = 0; i < nt; i++) {
        both[i] = lb[i] * 100 + tb[i];
      }
      String head = "classifier (" + v.name + ")";
      table.put(head + ", P bin (calibration edges)", fmt(ratio(lb, y)) + " | " + auc(p, y) + " | " + ap(p, y));
      table.put(head + ", 20 quantile bins", fmt(ratio(quantileBins(p, 20), y)));
      table.put(head + ", 50 quantile bins", fmt(ratio(quantileBins(p, 50), y)));
      table.put(head + ", 200 quantile bins", fmt(ratio(quantileBins(p, 200), y)));
      table.put(head + " x trailing P bins", fmt(ratio(both, y)));
      table.put(head + ", its own P as the hazard (out of sample)", fmt(plugIn(p, y)));
      double mean = Arrays.stream(p).sum() / nt;
      table.put(head + ": mean P vs crossing rate", String.format(Locale.ROOT, "%.4f vs %.4f", mean,
          (double) failures / nt));
      table.put(head + ": rate by 10 quantile bins of P", deciles(p, y));
    }
    assertThat(ratio(quantileBins(firstP, 20), y)).as("the classifier sorts the held-out crossings better than the"
        + " stand-in's P does").isLessThan(ratio(logBins(trailing), y));

    // the held-out VMs simulated: the adaptive schedule fed the classifier's P instead of the stand-in's
    Map<String, double[]> pBySeries = new HashMap<>();
    int at = 0;
    for (Rows r : rows) {
      if (!r.test) {
        continue;
      }
      double[] pj = new double[r.n + 2]; // by job step forecast: row i forecasts job step i + 2
      Arrays.fill(pj, Double.NaN);
      for (int i = 0; i < r.n; i++) {
        if (r.notOver[i]) {
          pj[i + 2] = firstP[at++];
        }
      }
      pBySeries.put(r.id, pj);
    }
    StringBuilder sim = new StringBuilder("\n| C (steps) | failures / steps | adaptive, stand-in | adaptive, classifier P"
        + " (online calibration) | adaptive, classifier P (no calibration) | Daly oracle | best fixed |"
        + " stand-in / oracle | classifier / oracle | classifier (no cal.) / oracle | classifier vs best fixed |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (double cost : new double[] {0.02, 0.1, 0.5}) {
      sim.append(simulate(series, test, pBySeries, SimulationParams.defaults().withCostSteps(cost)));
      log(t0, "simulated C = " + cost);
    }

    StringBuilder md = new StringBuilder("Bitbrains rnd 2013-7, held-out VMs (" + test.size() + "), capacity: p95 of "
        + (SIZING_STEPS == 0 ? "the whole trace" : "the first " + SIZING_STEPS + " steps, the rest played") + ", " + nt
        + " steps not over the capacity, " + failures + " crossings\n\n"
        + "| grouping of the held-out steps | waste left (in sample) | AUC | average precision |\n|---|---|---|---|\n");
    table.forEach((key, val) -> md.append("| ").append(key).append(" | ").append(val).append(" |\n"));
    md.append("\nSimulation of the held-out VMs (label = crossing, schema 5 + capacity features; total waste in"
        + " steps)\n").append(sim);
    md.append("\nTop 10 features by total gain\n\n");
    importances.forEach((key, val) -> md.append("* ").append(key).append(": ").append(val).append('\n'));
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve(SIZING_STEPS == 0 ? "bitbrains-classifier.md"
        : "bitbrains-classifier-sized-" + SIZING_STEPS + ".md"), md.toString());
    System.out.println(md);
    log(t0, "done");
  }

  private static void log(long t0, String what) {
    System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - t0) / 1e9, what);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Trains one classifier on the training VMs and returns its P on the held-out steps. */
  private static double[] trainAndPredict(List<Rows> rows, boolean crossLabel, int from, int w, int fullWidth,
      float[] testX, int nt, List<String> names, Map<String, String> importances, String name, long t0)
      throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    int[] counts = new int[2];
    List<int[]> picks = new ArrayList<>(); // {rows index, row, validation?}
    for (int ri = 0; ri < rows.size(); ri++) {
      Rows r = rows.get(ri);
      if (r.test) {
        continue;
      }
      for (int i = 0; i < r.n; i++) {
        if (crossLabel && !r.notOver[i]) {
          continue;
        }
        boolean pos = crossLabel ? r.labelCross[i] : r.labelAbove[i];
        if (!pos && random.nextInt(NEG_KEEP_INV) != 0) {
          continue;
        }
        int val = r.validation[i] ? 1 : 0;
        counts[val]++;
        picks.add(new int[] {ri, i, val});
      }
    }
    float[][] x = {new float[Math.multiplyExact(counts[0], w)], new float[Math.multiplyExact(counts[1], w)]};
    float[][] label = {new float[counts[0]], new float[counts[1]]};
    float[][] weight = {new float[counts[0]], new float[counts[1]]};
    int[] at = new int[2];
    for (int[] pk : picks) {
      Rows r = rows.get(pk[0]);
      int s = pk[2];
      int j = at[s]++;
      System.arraycopy(r.features, pk[1] * fullWidth + from, x[s], j * w, w);
      boolean pos = crossLabel ? r.labelCross[pk[1]] : r.labelAbove[pk[1]];
      label[s][j] = pos ? 1 : 0;
      weight[s][j] = pos ? 1 : NEG_KEEP_INV;
    }
    picks.clear();
    log(t0, name + ": " + counts[0] + " training rows, " + counts[1] + " validation rows (negatives 1/"
        + NEG_KEEP_INV + ")");
    DMatrix dtrain = new DMatrix(x[0], counts[0], w, Float.NaN);
    dtrain.setLabel(label[0]);
    dtrain.setWeight(weight[0]);
    DMatrix dval = new DMatrix(x[1], counts[1], w, Float.NaN);
    dval.setLabel(label[1]);
    dval.setWeight(weight[1]);
    x[0] = null;
    x[1] = null;
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("objective", "binary:logistic");
    params.put("tree_method", "hist");
    params.put("max_depth", 6);
    params.put("eta", 0.1);
    params.put("min_child_weight", 5);
    params.put("subsample", 0.8);
    params.put("colsample_bytree", 0.8);
    params.put("max_bin", 128);
    params.put("nthread", 2);
    params.put("seed", 42);
    params.put("eval_metric", "logloss");
    params.put("verbosity", 1);
    Booster booster = XGBoost.train(dtrain, params, 0, Map.of("validation", dval), null, null);
    DMatrix[] evalSets = {dval};
    String[] evalNames = {"validation"};
    double best = Double.POSITIVE_INFINITY;
    int bestRound = -1;
    int maxRounds = Integer.getInteger("presize.crossing.rounds", 400);
    for (int round = 0; round < maxRounds; round++) {
      booster.update(dtrain, round);
      String line = booster.evalSet(evalSets, evalNames, round);
      double loss = Double.parseDouble(line.substring(line.lastIndexOf(':') + 1).strip());
      if (loss < best * (1 - 1e-4)) {
        best = loss;
        bestRound = round;
      }
      if (round % 25 == 0) {
        log(t0, name + ": round " + round + " validation logloss " + loss);
      }
      if (round - bestRound >= 20) {
        break;
      }
    }
    log(t0, name + ": best round " + bestRound + ", validation logloss " + best);
    String[] fnames = new String[w];
    for (int i = 0; i < w; i++) {
      fnames[i] = "f" + i;
    }
    Map<String, Double> gain = booster.getScore(fnames, "total_gain");
    double total = gain.values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder top = new StringBuilder();
    gain.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10)
        .forEach(e -> top.append(top.length() == 0 ? "" : ", ").append(names.get(from + Integer.parseInt(
            e.getKey().substring(1)))).append(String.format(Locale.ROOT, " %.1f%%", 100 * e.getValue() / total)));
    importances.put(name, top.toString());
    float[] tx = testX;
    if (w != fullWidth) {
      tx = new float[Math.multiplyExact(nt, w)];
      for (int i = 0; i < nt; i++) {
        System.arraycopy(testX, i * fullWidth + from, tx, i * w, w);
      }
    }
    DMatrix dtest = new DMatrix(tx, nt, w, Float.NaN);
    float[][] pred = booster.predict(dtest, false, bestRound + 1);
    double[] p = new double[nt];
    for (int i = 0; i < nt; i++) {
      p[i] = pred[i][0];
    }
    dtest.dispose();
    dtrain.dispose();
    dval.dispose();
    booster.dispose();
    log(t0, name + ": predicted");
    return p;
  }

  /** One cost: the held-out VMs under the stand-in schedule, the classifier-fed schedule, the oracle and fixed. */
  private static String simulate(List<Series> series, Set<String> test, Map<String, double[]> pBySeries,
      SimulationParams params) {
    ExceedanceCalibration pooledTrailing = ExceedanceCalibration.defaults();
    ExceedanceCalibration pooledClassifier = ExceedanceCalibration.defaults();
    CheckpointSimulator.Waste trailing = CheckpointSimulator.Waste.zero();
    CheckpointSimulator.Waste classifier = CheckpointSimulator.Waste.zero();
    CheckpointSimulator.Waste raw = CheckpointSimulator.Waste.zero();
    CheckpointSimulator.Waste oracle = CheckpointSimulator.Waste.zero();
    Map<Double, CheckpointSimulator.Waste> fixed = new LinkedHashMap<>();
    long steps = 0;
    long failures = 0;
    for (Series s : series) {
      if (!test.contains(s.id())) {
        continue;
      }
      CheckpointJob job = CheckpointJob.of(s, params.capacityQuantile(), SIZING_STEPS).orElse(null);
      if (job == null) {
        continue;
      }
      steps += job.length();
      failures += job.failures();
      double c = params.costSteps();
      trailing = trailing.plus(CheckpointSimulator.run(job, new AdaptivePolicy(params, pooledTrailing.child()), c));
      double[] p = pBySeries.get(s.id());
      classifier = classifier.plus(CheckpointSimulator.run(job, new GivenPPolicy(params, pooledClassifier.child(),
          p), c));
      raw = raw.plus(CheckpointSimulator.run(job, new GivenPPolicy(params, ExceedanceCalibration.identity(), p), c));
      double lambda = (double) job.failures() / job.length();
      double oracleInterval = lambda == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(2 * c / lambda);
      oracle = oracle.plus(CheckpointSimulator.run(job, CheckpointPolicy.fixed(oracleInterval), c));
      for (double t : params.fixedIntervalsSteps()) {
        fixed.merge(t, CheckpointSimulator.run(job, CheckpointPolicy.fixed(t), c), CheckpointSimulator.Waste::plus);
      }
    }
    Map.Entry<Double, CheckpointSimulator.Waste> best = fixed.entrySet().stream()
        .min(Map.Entry.comparingByValue(java.util.Comparator.comparingDouble(CheckpointSimulator.Waste::totalSteps)))
        .orElseThrow();
    double o = oracle.totalSteps();
    double b = best.getValue().totalSteps();
    return String.format(Locale.ROOT, "| %s | %d / %d | %.0f | %.0f | %.0f | %.0f | %.0f @%s | %.3f | %.3f | %.3f |"
        + " %.1f%% less (stand-in %.1f%% less) |%n", params.costSteps(), failures, steps, trailing.totalSteps(),
        classifier.totalSteps(), raw.totalSteps(), o, b, best.getKey(), trailing.totalSteps() / o,
        classifier.totalSteps() / o, raw.totalSteps() / o, 100 * (1 - classifier.totalSteps() / b),
        100 * (1 - trailing.totalSteps() / b));
  }

  /** The adaptive schedule with each step's exceedance probability given (a classifier's, by job step). */
  static final class GivenPPolicy extends GivenExceedancePolicy {
    private final double[] p;

    GivenPPolicy(SimulationParams params, ExceedanceCalibration calibration, double[] p) {
      super(params, calibration);
      this.p = p;
    }

    @Override
    double rawExceedance(CheckpointJob job, int step) {
      return step < 2 || step >= p.length ? Double.NaN : p[step];
    }
  }

  /** The rows of one series: schema-5 features, capacity-relative features, labels and the reference P's. */
  private static Rows rows(Series s, boolean test, FeatureExtractor ex, PresizeModel model) {
    CheckpointJob job = CheckpointJob.of(s, 0.95, SIZING_STEPS).orElse(null);
    if (job == null) {
      return null;
    }
    int n = s.length();
    int first = n - job.length();
    double[] m = job.memory();
    double cap = job.capacity();
    boolean[] fails = job.fails();
    int jobSteps = m.length;
    // rows at job steps j = 1 .. jobSteps - 2 (series t = first + j), forecasting job step j + 1
    int rowsN = Math.max(0, jobSteps - 2);
    if (rowsN == 0) {
      return null;
    }
    int schemaWidth = ex.width();
    int width = schemaWidth + EXTRA.length;
    Rows r = new Rows();
    r.id = s.id();
    r.test = test;
    r.n = rowsN;
    r.features = new float[Math.multiplyExact(rowsN, width)];
    r.notOver = new boolean[rowsN];
    r.labelCross = new boolean[rowsN];
    r.labelAbove = new boolean[rowsN];
    r.validation = new boolean[rowsN];
    r.trailingP = new double[rowsN];
    int validationFrom = (int) Math.round(0.8 * rowsN);
    FeatureExtractor.Prepared prepared = ex.prepare(s, InvocationHistory.Stats.NONE);
    float[] row = new float[schemaWidth];
    double[][] learnedQ = null;
    if (model != null && test) {
      float[] all = new float[Math.multiplyExact(n, schemaWidth)];
      for (int t = 0; t < n; t++) {
        prepared.extract(t, row);
        System.arraycopy(row, 0, all, t * schemaWidth, schemaWidth);
      }
      learnedQ = model.forecast(Target.MEMORY_PEAK, all, n, schemaWidth);
      r.learnedP = new double[rowsN];
    }
    double[][] other = {CrossingInputs.filled(s, Resource.CPU), CrossingInputs.filled(s, Resource.NETWORK),
        CrossingInputs.filled(s, Resource.DISK)};
    int[] overPrefix = new int[jobSteps + 1];
    int[] failPrefix = new int[jobSteps + 1];
    for (int q = 0; q < jobSteps; q++) {
      overPrefix[q + 1] = overPrefix[q] + (m[q] > cap ? 1 : 0);
      failPrefix[q + 1] = failPrefix[q] + (fails[q] ? 1 : 0);
    }
    TrailingDeltaForecast fc = new TrailingDeltaForecast(288);
    int lastOver = Integer.MIN_VALUE / 2;
    int lastCross = Integer.MIN_VALUE / 2;
    int crossingsSoFar = 0;
    int notOverSoFar = 0;
    for (int j = 1; j <= rowsN; j++) {
      int i = j - 1; // row index
      int t = first + j;
      fc.add(m[j] - m[j - 1]);
      // state up to and including step j
      for (int q = j; q >= Math.max(0, j - 1); q--) {
        if (m[q] > cap && q > lastOver) {
          lastOver = q;
        }
      }
      if (fails[j]) {
        lastCross = j;
        crossingsSoFar++;
      }
      if (m[j - 1] <= cap) {
        notOverSoFar++;
      }
      prepared.extract(t, row);
      int o = i * width;
      System.arraycopy(row, 0, r.features, o, schemaWidth);
      int c = o + schemaWidth;
      float[] f = r.features;
      double cur = m[j];
      // trailing windows over job steps (j - k, j]
      double sd288 = diffStd(m, j, 288);
      double mad12 = diffMeanAbs(m, j, 12);
      double tiny = 1e-9 * Math.max(cap, 1);
      f[c++] = (float) (cur / cap);
      f[c++] = (float) ((cap - cur) / (sd288 + tiny));
      f[c++] = (float) ((cap - cur) / (mad12 + tiny));
      f[c++] = (float) (max(m, j, 12) / cap);
      f[c++] = (float) (max(m, j, 288) / cap);
      int from288 = Math.max(0, j - 287);
      int over288 = overPrefix[j + 1] - overPrefix[from288];
      int cross288 = failPrefix[j + 1] - failPrefix[from288];
      int cross2016 = failPrefix[j + 1] - failPrefix[Math.max(0, j - WEEK + 1)];
      int exceed288 = 0;
      for (int q = Math.max(1, from288); q <= j; q++) {
        if (cur + (m[q] - m[q - 1]) > cap) {
          exceed288++;
        }
      }
      f[c++] = (float) over288 / (j - from288 + 1);
      f[c++] = Math.min(j - lastOver, 20_000);
      f[c++] = cross288;
      f[c++] = cross2016;
      int d = j + 1 - DAY;
      int wk = j + 1 - WEEK;
      f[c++] = d >= 0 ? (m[d] > cap ? 1 : 0) : Float.NaN;
      f[c++] = d >= 0 ? (fails[d] ? 1 : 0) : Float.NaN;
      f[c++] = wk >= 0 ? (m[wk] > cap ? 1 : 0) : Float.NaN;
      f[c++] = wk >= 0 ? (fails[wk] ? 1 : 0) : Float.NaN;
      f[c++] = d >= 1 ? (float) (Math.max(m[d - 1], Math.max(m[d], m[Math.min(d + 1, j)])) / cap) : Float.NaN;
      f[c++] = wk >= 1 ? (float) (Math.max(m[wk - 1], Math.max(m[wk], m[Math.min(wk + 1, j)])) / cap)
          : Float.NaN;
      double pt = ExceedanceModel.probabilityAbove(fc.next(cur), cap);
      f[c++] = (float) pt;
      f[c++] = j >= 1 ? (float) exceed288 / Math.min(j, 288) : Float.NaN;
      f[c++] = notOverSoFar == 0 ? Float.NaN : (float) crossingsSoFar / notOverSoFar;
      ZonedDateTime when = Instant.ofEpochMilli(s.endMillis(t)).atZone(ZoneOffset.UTC);
      f[c++] = when.getHour() + when.getMinute() / 60f;
      f[c++] = when.getDayOfWeek().getValue();
      f[c++] = (float) ((m[j] - m[j - 1]) / (sd288 + tiny));
      f[c++] = Math.min(j - lastCross, 20_000);
      int hOver = 0;
      int hFail = 0;
      for (int k = 1; k <= 8; k++) {
        int q = j + 1 - 12 * k;
        if (q >= 0) {
          hOver += k <= 4 && m[q] > cap ? 1 : 0;
          hFail += fails[q] ? 1 : 0;
        }
      }
      f[c++] = hOver;
      f[c++] = hFail;
      f[c++] = j + 1 - 12 >= 0 ? (float) (m[j + 1 - 12] / cap) : Float.NaN;
      f[c++] = j + 1 - 36 >= 0 ? (float) (Math.max(m[j + 1 - 24], m[j + 1 - 36]) / cap) : Float.NaN;
      for (double[] x : other) {
        if (x == null) {
          f[c++] = Float.NaN;
          f[c++] = Float.NaN;
          continue;
        }
        double xs = diffStd(x, t, 288);
        double xm = max(x, t, 288);
        f[c++] = xm > 0 ? (float) (x[t] / xm) : Float.NaN;
        f[c++] = t >= 1 ? (float) ((x[t] - x[t - 1]) / (xs + 1e-12)) : Float.NaN;
      }
      r.notOver[i] = cur <= cap;
      r.labelCross[i] = fails[j + 1];
      r.labelAbove[i] = m[j + 1] > cap;
      r.validation[i] = i >= validationFrom;
      r.trailingP[i] = pt;
      if (learnedQ != null) {
        double[] q = model.reported(Target.MEMORY_PEAK, learnedQ[t]);
        r.learnedP[i] = Double.isNaN(q[0]) ? 0
            : ExceedanceModel.probabilityAbove(Quantiles.sorted(q[0], q[1], q[2]), cap);
      }
    }
    return r;
  }



  private static double max(double[] x, int j, int k) {
    double mx = Double.NaN;
    for (int q = Math.max(0, j - k + 1); q <= j; q++) {
      if (!Double.isNaN(x[q]) && (Double.isNaN(mx) || x[q] > mx)) {
        mx = x[q];
      }
    }
    return mx;
  }

  /** Std of the step changes over the last k changes ending at step j. */
  private static double diffStd(double[] x, int j, int k) {
    double s = 0;
    double ss = 0;
    int c = 0;
    for (int q = Math.max(1, j - k + 1); q <= j; q++) {
      double dlt = x[q] - x[q - 1];
      if (!Double.isNaN(dlt)) {
        s += dlt;
        ss += dlt * dlt;
        c++;
      }
    }
    if (c < 2) {
      return Double.NaN;
    }
    double mean = s / c;
    return Math.sqrt(Math.max(0, ss / c - mean * mean));
  }

  private static double diffMeanAbs(double[] x, int j, int k) {
    double s = 0;
    int c = 0;
    for (int q = Math.max(1, j - k + 1); q <= j; q++) {
      double dlt = x[q] - x[q - 1];
      if (!Double.isNaN(dlt)) {
        s += Math.abs(dlt);
        c++;
      }
    }
    return c == 0 ? Double.NaN : s / c;
  }

  /** {@code sum_g n_g sqrt(p_g) / (N sqrt(F/N))}, as {@link CrossingPredictabilityRunTest}'s Groups. */
  static double ratio(long[] key, boolean[] fail) {
    CrossingPredictabilityRunTest.Groups g = new CrossingPredictabilityRunTest.Groups();
    for (int i = 0; i < key.length; i++) {
      g.add(key[i], fail[i]);
    }
    return g.ratio();
  }

  /**
   * Young's waste with each step's own predicted {@code p} as the hazard (interval {@code sqrt(2C/p)}), against the
   * true outcomes: per step {@code sqrt(2C)·(sqrt(p)/2 + y/(2 sqrt(p)))}, as a share of the constant rate's
   * {@code N sqrt(2C F/N)}. No rate is measured on the steps scored; {@code p} is floored at 1e-4.
   */
  static double plugIn(double[] p, boolean[] y) {
    double s = 0;
    long f = 0;
    for (int i = 0; i < p.length; i++) {
      double q = Math.max(1e-4, p[i]);
      s += Math.sqrt(q) / 2 + (y[i] ? 1 / (2 * Math.sqrt(q)) : 0);
      f += y[i] ? 1 : 0;
    }
    return s / (p.length * Math.sqrt((double) f / p.length));
  }

  /** The calibration's log-spaced bins. */
  static long[] logBins(double[] p) {
    long[] out = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = CrossingPredictabilityRunTest.bin(p[i]);
    }
    return out;
  }

  /** Bins at the {@code k}-quantiles of the score (ties stay in one bin). */
  static long[] quantileBins(double[] p, int k) {
    double[] sorted = p.clone();
    Arrays.sort(sorted);
    double[] edges = new double[k - 1];
    for (int b = 1; b < k; b++) {
      edges[b - 1] = sorted[(int) ((long) b * sorted.length / k)];
    }
    long[] out = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      int pos = Arrays.binarySearch(edges, p[i]);
      if (pos < 0) {
        pos = -pos - 1;
      } else {
        while (pos < edges.length && edges[pos] <= p[i]) {
          pos++;
        }
      }
      out[i] = pos;
    }
    return out;
  }

  /** ROC AUC with tied scores at their mean rank. */
  static String auc(double[] p, boolean[] y) {
    return String.format(Locale.ROOT, "%.3f", dev.presize.trainer.train.CrossingTrainer.auc(p, y));
  }


  /** Average precision (step-wise, ties counted as one threshold). */
  static String ap(double[] p, boolean[] y) {
    Integer[] idx = order(p);
    long pos = 0;
    for (boolean b : y) {
      pos += b ? 1 : 0;
    }
    double ap = 0;
    long tp = 0;
    long seen = 0;
    int i = idx.length - 1;
    while (i >= 0) {
      int j = i;
      while (j - 1 >= 0 && p[idx[j - 1]] == p[idx[i]]) {
        j--;
      }
      long tpHere = 0;
      for (int q = j; q <= i; q++) {
        tpHere += y[idx[q]] ? 1 : 0;
      }
      tp += tpHere;
      seen += i - j + 1;
      ap += (double) tpHere / pos * tp / seen;
      i = j - 1;
    }
    return String.format(Locale.ROOT, "%.3f (base %.3f)", ap, (double) pos / y.length);
  }

  private static Integer[] order(double[] p) {
    Integer[] idx = new Integer[p.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(p[a], p[b]));
    return idx;
  }

  /** The crossing rate in each decile of the score, lowest first, with the bin's mean P. */
  static String deciles(double[] p, boolean[] y) {
    long[] bins = quantileBins(p, 10);
    double[] sumP = new double[10];
    long[] n = new long[10];
    long[] f = new long[10];
    for (int i = 0; i < p.length; i++) {
      int b = (int) bins[i];
      sumP[b] += p[i];
      n[b]++;
      f[b] += y[i] ? 1 : 0;
    }
    StringBuilder out = new StringBuilder();
    for (int b = 0; b < 10; b++) {
      if (n[b] > 0) {
        out.append(out.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%.4f/%.4f", (double) f[b] / n[b],
            sumP[b] / n[b]));
      }
    }
    return out + " (rate/mean P)";
  }
}
