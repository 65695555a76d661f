package dev.presize.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.trainer.evaluate.QuantileScore;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.FeatureSchema;
import dev.presize.trainer.features.Split;
import dev.presize.trainer.features.Target;
import dev.presize.trainer.features.WindowBuilder;
import dev.presize.trainer.features.Windows;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The trainer of Presize models: windows from series, a split by series and time, one XGBoost multi-quantile model
 * per target with early stopping on the validation split, then calibration and validation metrics.
 *
 * <p>Per target, rows whose target or reference level is missing are left out. Labels are {@link TargetTransform
 * log-ratios} to the current level. Training stops when the validation loss (XGBoost's {@code quantile} metric, the
 * mean pinball loss over the quantiles) has not improved for {@link TrainingOptions#earlyStoppingRounds()} rounds,
 * and the saved model is cut back to the best round (its JSON keeps the trees of rounds {@code 0..best} only).
 * Training is deterministic for given data and options.
 */
public final class Trainer {

  /**
   * The under-provisioned shares the allocation is also calibrated for, besides the default, so the slack vs
   * under-provisioning trade-off can be compared with any baseline at its own operating point.
   */
  public static final double[] OPERATING_POINTS = {0.0002, 0.0003, 0.0005, 0.001, 0.002, 0.0025, 0.003, 0.004, 0.005,
      0.0075, 0.01, 0.02, 0.05, 0.1};

  /** The fewest training rows a target needs; fewer and the target is skipped with a note. */
  public static final int MIN_TRAIN_ROWS = 200;
  /** The fewest validation rows a target needs. */
  public static final int MIN_VALIDATION_ROWS = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FeatureExtractor extractor = FeatureExtractor.standard();

  /** The schema of the rows this trainer's models take. */
  public FeatureSchema schema() {
    return extractor.schema();
  }

  /**
   * Trains on {@code series}.
   *
   * @param source where the series came from (format, directories, digest), recorded in the model
   * @throws TrainingException when no target has enough data, or XGBoost fails
   */
  public TrainedModel train(List<Series> series, TrainingOptions options, Source source, TrainingListener listener) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(listener, "listener");
    if (series.isEmpty()) {
      throw new TrainingException("no series to train on");
    }
    long started = System.nanoTime();
    Duration step = series.get(0).step();
    for (Series s : series) {
      if (!s.step().equals(step)) {
        throw new TrainingException("series " + s.id() + " has a step of " + s.step() + ", " + series.get(0).id()
            + " of " + step + ": resample them to one step");
      }
    }
    listener.stage("building windows from " + series.size() + " series (horizon " + options.horizonSteps()
        + " step(s), stride " + options.strideSteps() + ")");
    WindowBuilder builder = new WindowBuilder(extractor, options.horizonSteps(), options.strideSteps());
    // The held-out series depend on the ids only: count their rows, but build windows for the others alone.
    int[] rowCounts = series.parallelStream().mapToInt(builder::rowCount).toArray();
    Set<String> withRows = new HashSet<>();
    for (int i = 0; i < series.size(); i++) {
      if (rowCounts[i] > 0) {
        withRows.add(series.get(i).id());
      }
    }
    Set<String> test = options.splits().testSeries(withRows);
    List<Series> kept = new ArrayList<>();
    int testRows = 0;
    for (int i = 0; i < series.size(); i++) {
      if (test.contains(series.get(i).id())) {
        testRows += rowCounts[i];
      } else {
        kept.add(series.get(i));
      }
    }
    Windows all = builder.build(kept);
    Split split = options.splits().split(all, test);
    listener.stage(String.format(java.util.Locale.ROOT, "%d windows: %d train, %d validation, %d test (%d held-out"
        + " series)", all.size() + testRows, split.train().size(), split.validation().size(), testRows,
        test.size()));
    Map<Target, TargetModel> models = new EnumMap<>(Target.class);
    for (Target target : options.targets()) {
      TargetModel m = trainTarget(target, split, options, listener);
      if (m != null) {
        models.put(target, m);
      }
    }
    if (models.isEmpty()) {
      throw new TrainingException("no target had enough data: each needs " + MIN_TRAIN_ROWS + " training and "
          + MIN_VALIDATION_ROWS + " validation windows with a value (had " + split.train().size() + " and "
          + split.validation().size() + " windows); give more or longer series");
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<String> testIds = new ArrayList<>(test);
    testIds.sort(Comparator.naturalOrder());
    TrainedModel.Provenance provenance = new TrainedModel.Provenance(source.format(), source.traces(),
        source.dataDigest(), split.train().size(), split.validation().size(), testRows, testIds, seconds);
    return new TrainedModel(options, extractor.schema(), step, Instant.now(), models, provenance);
  }

  /**
   * Where training data came from.
   *
   * @param format the trace format id
   * @param traces the directories as given
   * @param dataDigest the digest of the input files
   */
  public record Source(String format, List<String> traces, String dataDigest) {
    public Source {
      Objects.requireNonNull(format, "format");
      traces = List.copyOf(traces);
      Objects.requireNonNull(dataDigest, "dataDigest");
    }
  }

  private TargetModel trainTarget(Target target, Split split, TrainingOptions o, TrainingListener listener) {
    TargetTransform transform = TargetTransform.standard(target, extractor.schema());
    Rows train = rows(split.train(), target, transform);
    Rows validation = rows(split.validation(), target, transform);
    if (train.n < MIN_TRAIN_ROWS || validation.n < MIN_VALIDATION_ROWS) {
      listener.targetDone(target, "skipped: " + train.n + " training and " + validation.n
          + " validation windows with a value (needs " + MIN_TRAIN_ROWS + " and " + MIN_VALIDATION_ROWS + ")");
      return null;
    }
    listener.stage("training " + TargetModel.key(target) + " on " + train.n + " windows, validating on "
        + validation.n);
    int width = extractor.width();
    DMatrix dtrain = null;
    DMatrix dval = null;
    Booster booster = null;
    // XGBoost copies a dense matrix on one thread: build the validation matrix on another meanwhile.
    CompletableFuture<DMatrix> pendingValidation = CompletableFuture.supplyAsync(() -> {
      try {
        return matrix(validation, width);
      } catch (XGBoostError e) {
        throw new CompletionException(e);
      }
    });
    try {
      try {
        dtrain = matrix(train, width);
      } finally {
        dval = joinMatrix(pendingValidation);
      }
      Map<String, Object> params = o.xgboostParams();
      // Zero rounds: the booster only, with the validation matrix in its prediction cache (as a watch), so each
      // round's evaluation adds the new trees' outputs instead of predicting every tree again.
      booster = XGBoost.train(dtrain, params, 0, Map.of("validation", dval), null, null);
      int bestRound = boost(booster, dtrain, dval, o.maxRounds(), o.earlyStoppingRounds(), o.minImprovement(),
          (round, loss, best, bestLoss) -> listener.round(target, round, o.maxRounds(), loss, best));
      int rounds = Math.max(1, bestRound + 1);
      byte[] json = sliceRounds(booster.toByteArray("json"), rounds);
      booster.dispose();
      booster = XGBoost.loadModel(json);
      float[][] predicted = booster.predict(dval);
      Map<String, Double> importance = importance(booster, extractor.schema());
      return evaluateAndCalibrate(target, json, transform, rounds, bestRound, train.n, validation, predicted,
          importance, o, listener);
    } catch (XGBoostError e) {
      throw new TrainingException("XGBoost failed training the " + TargetModel.key(target) + " model: "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new TrainingException("could not read back the " + TargetModel.key(target) + " model: "
          + e.getMessage(), e);
    } finally {
      dispose(booster, dtrain, dval);
    }
  }

  /** Frees the native memory of {@code booster} and {@code matrices}, each if not null (for {@code finally}). */
  static void dispose(Booster booster, DMatrix... matrices) {
    if (booster != null) {
      booster.dispose();
    }
    for (DMatrix m : matrices) {
      if (m != null) {
        m.dispose();
      }
    }
  }

  private static DMatrix matrix(Rows rows, int width) throws XGBoostError {
    DMatrix m = new DMatrix(rows.features, rows.n, width, Float.NaN);
    try {
      m.setLabel(rows.labels);
      return m;
    } catch (XGBoostError e) {
      m.dispose();
      throw e;
    }
  }

  /** The matrix built by {@code pending}; an XGBoost failure comes back as the {@link XGBoostError} it was. */
  private static DMatrix joinMatrix(CompletableFuture<DMatrix> pending) throws XGBoostError {
    try {
      return pending.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof XGBoostError x) {
        throw x;
      }
      throw e;
    }
  }

  private static TargetModel evaluateAndCalibrate(Target target, byte[] json, TargetTransform transform, int rounds,
      int bestRound, int trainRows, Rows validation, float[][] predicted, Map<String, Double> importance,
      TrainingOptions o, TrainingListener listener) {
    List<Double> qs = o.quantiles();
    int allocIndex = qs.indexOf(o.allocationQuantile());
    Map<Double, Double> pinball = new TreeMap<>();
    Map<Double, Double> coverage = new TreeMap<>();
    double[] sums = new double[qs.size()];
    long[] covered = new long[qs.size()];
    double[] alloc = new double[validation.n];
    double[] median = new double[validation.n];
    int medianIndex = Math.max(0, qs.indexOf(0.5));
    double[] q = new double[qs.size()];
    double[][] byQuantile = new double[qs.size()][validation.n];
    for (int i = 0; i < validation.n; i++) {
      double r = validation.reference[i];
      double y = validation.actual[i];
      for (int k = 0; k < qs.size(); k++) {
        q[k] = transform.inverse(predicted[i][k], r);
        if (k > 0) {
          q[k] = Math.max(q[k], q[k - 1]);
        }
        sums[k] += QuantileScore.pinball(qs.get(k), q[k], y);
        covered[k] += y <= q[k] ? 1 : 0;
        byQuantile[k][i] = q[k];
      }
      alloc[i] = q[allocIndex];
      median[i] = q[medianIndex];
    }
    for (int k = 0; k < qs.size(); k++) {
      pinball.put(qs.get(k), sums[k] / validation.n);
      coverage.put(qs.get(k), (double) covered[k] / validation.n);
    }
    Calibration calibration = Calibration.fit(validation.actual, alloc, median, validation.n,
        o.targetUnderProvisioned().get(target));
    Map<Double, Calibration> operatingPoints = new TreeMap<>();
    for (double u : OPERATING_POINTS) {
      operatingPoints.put(u, Calibration.fit(validation.actual, alloc, median, validation.n, u));
    }
    Map<Double, Double> quantileSpread = new TreeMap<>();
    for (int k = 0; k < qs.size(); k++) {
      if (qs.get(k) > 0.5 && medianIndex != k) {
        quantileSpread.put(qs.get(k), Calibration.coverageSpread(validation.actual, byQuantile[k], median,
            validation.n, qs.get(k)));
      }
    }
    double factor = calibration.parameter();
    double under = calibration.underProvisioned();
    listener.targetDone(target, String.format(java.util.Locale.ROOT,
        "%d rounds (best %d); validation coverage p90 %.3f, p99 %.3f; calibration %s %.3f -> %.4f above,"
            + " slack %.3f", rounds, bestRound, coverage.get(0.9) == null ? Double.NaN : coverage.get(0.9),
        coverage.get(0.99) == null ? Double.NaN : coverage.get(0.99), calibration.rule(), factor, under,
        calibration.slack()));
    return new TargetModel(target, json, transform, calibration, operatingPoints, quantileSpread, rounds, bestRound, trainRows,
        validation.n, pinball, coverage, importance);
  }

  /** Total gain per feature, largest first. */
  private static Map<String, Double> importance(Booster booster, FeatureSchema schema) throws XGBoostError {
    String[] names = new String[schema.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = "f" + i;
    }
    Map<String, Double> byIndex = booster.getScore(names, "total_gain");
    List<Map.Entry<String, Double>> entries = new ArrayList<>(byIndex.entrySet());
    entries.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : entries) {
      int i = Integer.parseInt(e.getKey().substring(1));
      out.put(schema.names().get(i), e.getValue());
    }
    return out;
  }

  /**
   * The XGBoost JSON model cut to its first {@code rounds} boosting rounds: the trees of later rounds are removed
   * and {@code tree_info}, {@code iteration_indptr} and {@code num_trees} adjusted. Evaluating the cut model gives
   * exactly XGBoost's prediction with the iteration range {@code [0, rounds)}.
   */
  /** What {@link #boost} reports after each round. */
  interface RoundObserver {
    void round(int round, double validationLoss, int bestRound, double bestLoss);
  }

  /**
   * Boosts {@code booster} one round at a time (its validation matrix {@code dval} in its prediction cache, so each
   * evaluation adds only the new trees) until {@code maxRounds}, or until {@code patience} rounds have passed
   * without a validation loss lower than the best by the share {@code minImprovement}. Returns the best round
   * (0-based); the booster holds every round played.
   */
  static int boost(Booster booster, DMatrix dtrain, DMatrix dval, int maxRounds, int patience,
      double minImprovement, RoundObserver observer) throws XGBoostError {
    DMatrix[] evalSets = {dval};
    String[] evalNames = {"validation"};
    double best = Double.POSITIVE_INFINITY;
    int bestRound = -1;
    for (int round = 0; round < maxRounds; round++) {
      booster.update(dtrain, round);
      double loss = lastNumber(booster.evalSet(evalSets, evalNames, round));
      if (loss < best * (1 - minImprovement) || bestRound < 0) {
        best = loss;
        bestRound = round;
      }
      observer.round(round, loss, bestRound, best);
      if (round - bestRound >= patience) {
        break;
      }
    }
    return bestRound;
  }

  static byte[] sliceRounds(byte[] modelJson, int rounds) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(modelJson);
    ObjectNode model = (ObjectNode) root.path("learner").path("gradient_booster").path("model");
    ArrayNode indptr = (ArrayNode) model.get("iteration_indptr");
    if (indptr == null || !model.has("trees")) {
      throw new IOException("not an XGBoost gbtree JSON model (no iteration_indptr or trees)");
    }
    int have = indptr.size() - 1;
    if (rounds >= have) {
      return modelJson;
    }
    int keepTrees = indptr.get(rounds).asInt();
    ArrayNode trees = (ArrayNode) model.get("trees");
    ArrayNode info = (ArrayNode) model.get("tree_info");
    while (trees.size() > keepTrees) {
      trees.remove(trees.size() - 1);
    }
    while (info.size() > keepTrees) {
      info.remove(info.size() - 1);
    }
    while (indptr.size() > rounds + 1) {
      indptr.remove(indptr.size() - 1);
    }
    ObjectNode param = (ObjectNode) model.get("gbtree_model_param");
    param.put("num_trees", Integer.toString(keepTrees));
    JsonNode attributes = root.path("learner").path("attributes");
    if (attributes instanceof ObjectNode a) {
      a.remove("best_iteration");
      a.remove("best_score");
    }
    return JSON.writeValueAsBytes(root);
  }

  /** The last number in an XGBoost evaluation line such as {@code [3]\tvalidation-quantile:0.0123}. */
  static double lastNumber(String evalLine) {
    int colon = evalLine.lastIndexOf(':');
    if (colon < 0) {
      throw new TrainingException("unexpected XGBoost evaluation output: '" + evalLine + "'");
    }
    return Double.parseDouble(evalLine.substring(colon + 1).strip());
  }

  /** The rows of {@code w} with a value of {@code target} and of its reference: features, labels, actuals. */
  private static Rows rows(Windows w, Target target, TargetTransform transform) {
    int width = w.width();
    int ref = transform.referenceColumn();
    int n = 0;
    for (int i = 0; i < w.size(); i++) {
      if (usable(w, i, target, ref)) {
        n++;
      }
    }
    Rows out = new Rows(n, width);
    for (int i = 0, j = 0; i < w.size(); i++) {
      if (!usable(w, i, target, ref)) {
        continue;
      }
      w.copyFeatures(i, out.features, j * width);
      double y = w.target(i, target);
      double r = w.feature(i, ref);
      out.actual[j] = y;
      out.reference[j] = r;
      out.labels[j] = (float) transform.label(y, r);
      j++;
    }
    return out;
  }

  private static boolean usable(Windows w, int i, Target target, int ref) {
    float y = w.target(i, target);
    float r = w.feature(i, ref);
    return Float.isFinite(y) && Float.isFinite(r) && y >= 0 && r >= 0;
  }

  private static final class Rows {
    final int n;
    final float[] features;
    final float[] labels;
    final double[] actual;
    final double[] reference;

    Rows(int n, int width) {
      this.n = n;
      features = new float[Math.multiplyExact(n, width)];
      labels = new float[n];
      actual = new double[n];
      reference = new double[n];
    }
  }
}
