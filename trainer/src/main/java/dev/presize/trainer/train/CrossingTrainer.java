package dev.presize.trainer.train;

import dev.presize.core.checkpoint.CrossingFeatures;
import dev.presize.core.model.CrossingModel;
import dev.presize.trainer.features.Splits;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.simulate.CheckpointJob;
import dev.presize.trainer.simulate.CheckpointSimulation;
import dev.presize.trainer.simulate.CrossingInputs;
import dev.presize.trainer.simulate.SimulationParams;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains a {@link CrossingModel}: XGBoost {@code binary:logistic} on {@link CrossingFeatures}, labelled by whether
 * the next step crosses the limit.
 *
 * <p>The limit of each series is the {@code capacityQuantile} of its memory (of its first {@code sizingSteps}
 * steps, which are then not trained on, or of its whole length), as the checkpoint simulation sets it
 * ({@link CheckpointJob}). A row is a step not over the limit (only those can be followed by a crossing). Series
 * are split as {@code presize train} splits them ({@link Splits}, 20% of the series held out whole, seed 42), or
 * with another fold of the same hash order held out ({@link Options#fold}, {@link Splits#foldSeries}); of the
 * others the earlier 80% of each series' steps train and the later 20% validate. Negatives are kept one in
 * {@code negativeKeepInverse} with that weight, so the probability stays calibrated. Training stops when the
 * validation log loss has not improved for {@code patience} rounds, and the model keeps the best round's trees.
 *
 * <p>The gate judges the model on the held-out series only, which neither trained it nor chose its round: it is
 * written only if there its log loss beats the constant crossing rate of the training rows and each series' own
 * crossing rate so far, and the adaptive checkpoint schedule fed by it wastes less over those series' whole length
 * than the same schedule fed by the forecast-derived probability, at {@link SimulationParams#defaults()}' cost
 * (the replay of {@code presize checkpoint-sim --crossing-model}, {@link CheckpointSimulation}).
 */
public final class CrossingTrainer {

  private static final int RATE_COLUMN = CrossingFeatures.NAMES.indexOf("crossing_rate");

  private CrossingTrainer() {
  }

  /**
   * Training settings.
   *
   * @param capacityQuantile the quantile of each series' memory taken as its limit
   * @param sizingSteps the first steps of each series the limit is set from and not trained on (0: the limit from
   *     the whole series)
   * @param maxRounds the most boosting rounds
   * @param patience rounds without improvement of the validation log loss before stopping
   * @param negativeKeepInverse keep one negative in this many, weighted by it
   * @param seed seeds the split and the sampling
   * @param threads XGBoost threads
   * @param fold which of {@code folds} groups of the series (by the seeded hash, {@link Splits#foldSeries}) is held
   *     out: 0 of 5 is the 20% {@code presize train} holds out; the others let every series be held out once
   * @param folds how many groups
   */
  public record Options(double capacityQuantile, int sizingSteps, int maxRounds, int patience,
      int negativeKeepInverse, long seed, int threads, int fold, int folds) {
    public Options {
      if (folds < 2 || fold < 0 || fold >= folds) {
        throw new IllegalArgumentException("fold must be in [0, folds) with folds >= 2, was " + fold + " of "
            + folds);
      }
      if (!(capacityQuantile > 0 && capacityQuantile < 1)) {
        throw new IllegalArgumentException("capacityQuantile must be in (0, 1), was " + capacityQuantile);
      }
      if (sizingSteps < 0 || maxRounds < 1 || patience < 1 || negativeKeepInverse < 1 || threads < 1) {
        throw new IllegalArgumentException("need sizingSteps >= 0 and maxRounds, patience, negativeKeepInverse,"
            + " threads >= 1");
      }
    }

    /** p95 limits from each whole series, up to 800 rounds, patience 20, negatives 1 in 3, seed 42, 2 threads. */
    public static Options defaults() {
      return new Options(0.95, 0, 800, 20, 3, 42, 2, 0, 5);
    }

    /** The same with a limit set from the first {@code steps} steps of each series. */
    public Options withSizingSteps(int steps) {
      return new Options(capacityQuantile, steps, maxRounds, patience, negativeKeepInverse, seed, threads, fold,
          folds);
    }

    /** The same with another capacity quantile. */
    public Options withCapacityQuantile(double q) {
      return new Options(q, sizingSteps, maxRounds, patience, negativeKeepInverse, seed, threads, fold,
          folds);
    }

    /** The same holding out fold {@code k} of {@code n} ({@link Splits#foldSeries}). */
    public Options withFold(int k, int n) {
      return new Options(capacityQuantile, sizingSteps, maxRounds, patience, negativeKeepInverse, seed, threads, k,
          n);
    }

    /** The same with at most {@code rounds} rounds. */
    public Options withMaxRounds(int rounds) {
      return new Options(capacityQuantile, sizingSteps, rounds, patience, negativeKeepInverse, seed, threads, fold,
          folds);
    }
  }

  /**
   * How a model's probabilities score on a set of rows.
   *
   * @param rows rows scored (negatives sampled as in training, and weighted)
   * @param crossings crossings among them
   * @param logLoss the model's weighted log loss
   * @param constantLogLoss the log loss of the training rows' constant crossing rate
   * @param rateSoFarLogLoss the log loss of each series' own crossing rate so far (the constant rate before its
   *     first step)
   * @param auc the model's AUC (unweighted; NaN without both classes)
   */
  public record Scores(int rows, long crossings, double logLoss, double constantLogLoss, double rateSoFarLogLoss,
      double auc) {

    /** Whether the model's log loss beats both baselines'. */
    public boolean beatsBaselines() {
      return logLoss < constantLogLoss && logLoss < rateSoFarLogLoss;
    }
  }

  /**
   * What training did.
   *
   * @param info what the model records (step, limit rule, scores, held-out series)
   * @param trainRows rows trained on (after sampling)
   * @param rounds the rounds kept
   * @param validation the scores on the validation steps, which chose the round (so not the gate's)
   * @param heldOut the scores on the held-out series (the gate's)
   * @param heldOutSimulation the checkpoint schedule replayed on the held-out series at the default cost, fed by
   *     the forecast ({@link CheckpointSimulation.Result#adaptive()}) and by the model
   *     ({@link CheckpointSimulation.Result#crossing()}), beside every fixed interval and the oracle
   * @param lateSimulation the same replay scored only after the time the training rows end (the last 20% of each
   *     held-out series, {@code scoreFrom} 0.8), where nothing learned from the same weeks on other series helps;
   *     for information, not part of the gate
   * @param written whether the model passed the gate and was written
   */
  public record Result(CrossingModel.Info info, int trainRows, int rounds, Scores validation, Scores heldOut,
      CheckpointSimulation.Result heldOutSimulation, CheckpointSimulation.Result lateSimulation, boolean written) {

    /** The held-out waste of the schedule fed by the model. */
    public double wasteWithModel() {
      return heldOutSimulation.crossing().orElseThrow().totalSteps();
    }

    /** The held-out waste of the schedule fed by the forecast. */
    public double wasteWithoutModel() {
      return heldOutSimulation.adaptive().totalSteps();
    }
  }

  /** Rows of one split. */
  private static final class Rows {
    float[] x = new float[1 << 16];
    float[] y = new float[1 << 12];
    float[] w = new float[1 << 12];
    int n;

    void add(float[] row, boolean label, float weight) {
      if ((long) (n + 1) * CrossingFeatures.WIDTH > x.length) {
        x = Arrays.copyOf(x, Math.max(x.length * 2, (n + 1) * CrossingFeatures.WIDTH));
      }
      if (n == y.length) {
        y = Arrays.copyOf(y, n * 2);
        w = Arrays.copyOf(w, n * 2);
      }
      System.arraycopy(row, 0, x, n * CrossingFeatures.WIDTH, CrossingFeatures.WIDTH);
      y[n] = label ? 1 : 0;
      w[n] = weight;
      n++;
    }

    DMatrix matrix() throws XGBoostError {
      DMatrix m = new DMatrix(Arrays.copyOf(x, n * CrossingFeatures.WIDTH), n, CrossingFeatures.WIDTH, Float.NaN);
      m.setLabel(Arrays.copyOf(y, n));
      m.setWeight(Arrays.copyOf(w, n));
      return m;
    }
  }

  /**
   * Trains on {@code series} (one step length) and writes the model to {@code out} if it passes the gate.
   *
   * @param progress one line per stage, for the command line
   * @throws IllegalArgumentException no series with memory, series of several step lengths, or no crossing to
   *     learn from
   */
  public static Result train(List<Series> series, Options o, Path out, Consumer<String> progress)
      throws IOException {
    Map<Series, CheckpointJob> jobs = new LinkedHashMap<>();
    Duration step = null;
    for (Series s : series) {
      CheckpointJob job = CheckpointJob.withHistory(s, o.capacityQuantile(), o.sizingSteps()).orElse(null);
      if (job == null) {
        continue;
      }
      if (step != null && !step.equals(s.step())) {
        throw new IllegalArgumentException("the series have different steps (" + step + " and " + s.step() + " in "
            + s.id() + "): train a crossing model on series of one step");
      }
      step = s.step();
      jobs.put(s, job);
    }
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException("no series with at least " + (o.sizingSteps() + 2)
          + " memory values to train a crossing model on");
    }
    Set<String> ids = new LinkedHashSet<>();
    jobs.keySet().forEach(s -> ids.add(s.id()));
    if (jobs.size() < Math.max(5, o.folds())) {
      throw new IllegalArgumentException(jobs.size() + " series with memory: a crossing model needs at least "
          + Math.max(5, o.folds()) + ", so that one in " + o.folds() + " can be held out of training");
    }
    Set<String> test = Splits.foldSeries(ids, o.seed(), o.fold(), o.folds());
    Rows train = new Rows();
    Rows validation = new Rows();
    Rows heldOut = new Rows();
    SplittableRandom random = new SplittableRandom(o.seed());
    for (Map.Entry<Series, CheckpointJob> e : jobs.entrySet()) {
      if (!test.contains(e.getKey().id())) {
        CheckpointJob job = e.getValue();
        addRows(e.getKey(), job, o, random,
            job.history() + (int) Math.round(0.8 * (job.length() - job.history() - 1)), train, validation);
      }
    }
    // sampled after the training rows, so holding series out never changes what is trained on
    for (Map.Entry<Series, CheckpointJob> e : jobs.entrySet()) {
      if (test.contains(e.getKey().id())) {
        addRows(e.getKey(), e.getValue(), o, random, 0, null, heldOut);
      }
    }
    double positives = 0;
    double weightSum = 0;
    for (int i = 0; i < train.n; i++) {
      positives += train.y[i] * train.w[i];
      weightSum += train.w[i];
    }
    if (positives == 0 || validation.n == 0) {
      throw new IllegalArgumentException("no crossing of the p" + Math.round(o.capacityQuantile() * 100)
          + " limit to learn from in the training steps (" + train.n + " training and " + validation.n
          + " validation rows)");
    }
    double constantRate = positives / weightSum;
    progress.accept(String.format(java.util.Locale.ROOT, "%d series (%d held out), %d training, %d validation and"
        + " %d held-out rows (negatives kept 1 in %d), training crossing rate %.4f", jobs.size(), test.size(),
        train.n, validation.n, heldOut.n, o.negativeKeepInverse(), constantRate));
    DMatrix dtrain = null;
    DMatrix dval = null;
    DMatrix dheld = null;
    Booster booster = null;
    try {
      dtrain = train.matrix();
      dval = validation.matrix();
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("objective", "binary:logistic");
      params.put("tree_method", "hist");
      params.put("max_depth", 8);
      params.put("eta", 0.05);
      params.put("min_child_weight", 20);
      params.put("subsample", 0.8);
      params.put("colsample_bytree", 0.8);
      params.put("max_bin", 128);
      params.put("nthread", o.threads());
      params.put("seed", o.seed());
      params.put("eval_metric", "logloss");
      params.put("verbosity", 1);
      booster = XGBoost.train(dtrain, params, 0, Map.of("validation", dval), null, null);
      int bestRound = Trainer.boost(booster, dtrain, dval, o.maxRounds(), o.patience(), 1e-4,
          (round, loss, best, bestLoss) -> {
            if (round % 25 == 0) {
              progress.accept(String.format(java.util.Locale.ROOT, "round %d: validation log loss %.5f (best %.5f"
                  + " at %d)", round, loss, bestLoss, best));
            }
          });
      int rounds = bestRound + 1;
      byte[] json = Trainer.sliceRounds(booster.toByteArray("json"), rounds);
      booster.dispose();
      booster = XGBoost.loadModel(json);
      Scores onValidation = score(booster.predict(dval), validation, constantRate);
      Scores onHeldOut;
      if (heldOut.n == 0) {
        onHeldOut = new Scores(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      } else {
        dheld = heldOut.matrix();
        onHeldOut = score(booster.predict(dheld), heldOut, constantRate);
      }
      Map<String, Double> scores = new LinkedHashMap<>();
      scores.put("validationLogLoss", onValidation.logLoss());
      scores.put("validationAuc", onValidation.auc());
      scores.put("rounds", (double) rounds);
      scores.put("heldOutLogLoss", onHeldOut.logLoss());
      scores.put("heldOutConstantRateLogLoss", onHeldOut.constantLogLoss());
      scores.put("heldOutRateSoFarLogLoss", onHeldOut.rateSoFarLogLoss());
      scores.put("heldOutAuc", onHeldOut.auc());
      Optional<CrossingModel.Fold> fold = Optional.of(new CrossingModel.Fold(o.fold() + 1, o.folds(), o.seed()));
      CrossingModel.Info info = new CrossingModel.Info(step, o.capacityQuantile(), o.sizingSteps(), scores, test,
          fold);
      SimulationParams sim = SimulationParams.defaults();
      sim = new SimulationParams(sim.costSteps(), o.capacityQuantile(), sim.windowSteps(), sim.minIntervalSteps(),
          sim.maxIntervalSteps(), sim.contentionThreshold(), sim.fixedIntervalsSteps(), true, true);
      progress.accept(String.format(java.util.Locale.ROOT, "playing the checkpoint schedule on the %d held-out"
          + " series at C = %s step, with and without the model", test.size(), sim.costSteps()));
      CrossingModel candidate = CrossingModel.of(out, json, info);
      CheckpointSimulation.Result played = CheckpointSimulation.run("held out", new ArrayList<>(jobs.keySet()), sim,
          o.sizingSteps(), candidate);
      CheckpointSimulation.Result late = CheckpointSimulation.run("held out, after the training rows' time",
          new ArrayList<>(jobs.keySet()), sim, o.sizingSteps(), candidate, 0.8);
      scores.put("heldOutCost", sim.costSteps());
      scores.put("heldOutWasteWithoutModel", played.adaptive().totalSteps());
      scores.put("heldOutWasteWithModel", played.crossing().orElseThrow().totalSteps());
      scores.put("heldOutBestFixedWaste", played.bestFixed().getValue().totalSteps());
      scores.put("heldOutLateReductionWithModel", late.crossingReductionVsBestFixed().getAsDouble());
      scores.put("heldOutLateReductionWithoutModel", late.reductionVsBestFixed());
      info = new CrossingModel.Info(step, o.capacityQuantile(), o.sizingSteps(), scores, test, fold);
      boolean pass = onHeldOut.beatsBaselines()
          && played.crossing().orElseThrow().totalSteps() < played.adaptive().totalSteps();
      if (pass) {
        CrossingModel.write(out, json, info);
      }
      return new Result(info, train.n, rounds, onValidation, onHeldOut, played, late, pass);
    } catch (XGBoostError e) {
      throw new TrainingException("XGBoost failed training the crossing model: " + e.getMessage(), e);
    } finally {
      Trainer.dispose(booster, dtrain, dval, dheld);
    }
  }

  /**
   * Adds the rows of one series: each step not over the limit, labelled by whether the next step crosses it, with
   * negatives sampled; steps from {@code splitAt} on go to {@code after} (with each series' rate so far), the
   * earlier ones to {@code before}.
   */
  private static void addRows(Series s, CheckpointJob job, Options o, SplittableRandom random, int splitAt,
      Rows before, Rows after) {
    CrossingInputs inputs = new CrossingInputs(s, job);
    double[] m = job.memory();
    float[] row = new float[CrossingFeatures.WIDTH];
    // Rows only after the history (the sizing period the limit was set from), whose steps warm the features.
    for (int j = job.history(); j + 1 < m.length; j++) {
      inputs.addThrough(j);
      if (m[j] > job.capacity()) {
        continue;
      }
      boolean label = job.fails()[j + 1];
      if (!label && random.nextInt(o.negativeKeepInverse()) != 0) {
        continue;
      }
      inputs.featuresAfter(j, row);
      (j >= splitAt ? after : before).add(row, label, label ? 1 : o.negativeKeepInverse());
    }
  }

  /** The scores of {@code predicted} on {@code rows}. */
  private static Scores score(float[][] predicted, Rows rows, double constantRate) {
    int n = rows.n;
    double[] p = new double[n];
    double[] rate = new double[n];
    double[] constant = new double[n];
    boolean[] y = new boolean[n];
    long crossings = 0;
    for (int i = 0; i < n; i++) {
      p[i] = predicted[i][0];
      float r = rows.x[i * CrossingFeatures.WIDTH + RATE_COLUMN];
      rate[i] = Float.isNaN(r) ? constantRate : r;
      constant[i] = constantRate;
      y[i] = rows.y[i] > 0.5f;
      crossings += y[i] ? 1 : 0;
    }
    return new Scores(n, crossings, logLoss(p, y, rows.w, n), logLoss(constant, y, rows.w, n),
        logLoss(rate, y, rows.w, n), auc(p, y));
  }

  /** Weighted mean log loss, probabilities clipped to [1e-7, 1 - 1e-7] as XGBoost's logloss clips them. */
  static double logLoss(double[] p, boolean[] y, float[] w, int n) {
    double sum = 0;
    double weights = 0;
    for (int i = 0; i < n; i++) {
      double q = Math.min(1 - 1e-7, Math.max(1e-7, p[i]));
      sum += w[i] * -(y[i] ? Math.log(q) : Math.log(1 - q));
      weights += w[i];
    }
    return sum / weights;
  }

  /** The area under the ROC curve (ties counted half), unweighted; NaN without both classes. */
  public static double auc(double[] p, boolean[] y) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
    double rankSum = 0;
    long pos = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && p[order[j + 1]] == p[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (y[order[k]]) {
          rankSum += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = p.length - pos;
    return pos == 0 || neg == 0 ? Double.NaN : (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
