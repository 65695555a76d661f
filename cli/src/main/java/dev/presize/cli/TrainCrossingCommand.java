package dev.presize.cli;

import dev.presize.trainer.model.Series;
import dev.presize.trainer.simulate.CheckpointSimulation;
import dev.presize.trainer.train.CrossingTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code presize train-crossing}: trains a crossing model (the probability that memory crosses the limit in the
 * next step), which the checkpoint schedule takes in place of the probability read off the memory forecast.
 */
@Command(name = "train-crossing", mixinStandardHelpOptions = true,
    description = {"Trains a crossing model: XGBoost binary:logistic on features of the recent steps relative to the"
        + " limit (headroom over recent change, the share of recent changes that would cross, crossing history,"
        + " CPU and I/O jumps, the same time an hour, a day and a week before), labelled by whether memory crosses"
        + " the limit in the next step. The limit of each series is a quantile of its memory (--capacity-quantile),"
        + " from its first --sizing-steps steps when given (without it the limit is read off the whole series, so"
        + " the features know a little of its future). One in five of the series (--fold K/N: the K-th of N groups)"
        + " is held out whole; of the others the later 20%% of each series' steps choose the round. Written only if,"
        + " on the held-out series, its log loss beats each series' own crossing rate so far and the constant rate,"
        + " and the checkpoint schedule it feeds wastes less than the one fed by the forecast; otherwise exit 1 and"
        + " nothing written.",
        "Use it with presize checkpoint-sim --crossing-model DIR. Method: docs/checkpoint-schedule.md."})
final class TrainCrossingCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  TraceInput input;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "The crossing model directory to write (must not exist, or be empty).")
  Path out;

  @Option(names = "--capacity-quantile", defaultValue = "0.95", paramLabel = "Q",
      description = "The quantile of each series' memory taken as its limit, in (0, 1) (default ${DEFAULT-VALUE}).")
  double capacityQuantile;

  @Option(names = "--sizing-steps", defaultValue = "0", paramLabel = "N",
      description = "Set each series' limit from its first N steps and train on the steps after them, the first N"
          + " feeding the features as history (default 0: the limit from the whole series).")
  int sizingSteps;

  @Option(names = "--fold", defaultValue = "1/5", paramLabel = "K/N",
      description = "Hold out the K-th of N groups of the series (by a seeded hash of their ids; default"
          + " ${DEFAULT-VALUE}, the 20%% presize train holds out). Train N models, 1/N to N/N, and give them all to"
          + " presize checkpoint-sim --crossing-model to score every series by the model that did not train on it.")
  String fold;

  @Option(names = "--max-rounds", defaultValue = "800", paramLabel = "N",
      description = "Most boosting rounds; early stopping on the validation log loss usually ends sooner (default"
          + " ${DEFAULT-VALUE}).")
  int maxRounds;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (!(capacityQuantile > 0 && capacityQuantile < 1)) {
      throw new UsageError(cl, "--capacity-quantile " + capacityQuantile + ": must be in (0, 1)");
    }
    if (sizingSteps < 0) {
      throw new UsageError(cl, "--sizing-steps " + sizingSteps + ": must be 0 or more");
    }
    if (maxRounds < 1) {
      throw new UsageError(cl, "--max-rounds " + maxRounds + ": must be 1 or more");
    }
    int[] kn = fold(cl, fold);
    TraceInput.requireNewModelDir(cl, "--out", out);
    input.check(cl);
    PrintWriter err = cl.getErr();
    err.println("presize train-crossing: reading " + input.traceFormat().id() + " traces from " + input.traces);
    err.flush();
    if (sizingSteps == 0) {
      err.println("presize train-crossing: the limit of each series is its p" + Math.round(capacityQuantile * 100)
          + " over its whole length, so the features know a little of its future; --sizing-steps N sets it from the"
          + " first N steps only");
    }
    List<Series> series = input.read(cl);
    CrossingTrainer.Options o = CrossingTrainer.Options.defaults().withCapacityQuantile(capacityQuantile)
        .withSizingSteps(sizingSteps).withMaxRounds(maxRounds).withFold(kn[0] - 1, kn[1]);
    long started = System.nanoTime();
    CrossingTrainer.Result r;
    try {
      r = CrossingTrainer.train(series, o, out, line -> {
        err.println("  " + line);
        err.flush();
      });
    } catch (IllegalArgumentException e) {
      throw new UsageError(cl, "--traces " + input.traces + ": " + e.getMessage());
    }
    PrintWriter o2 = cl.getOut();
    CrossingTrainer.Scores v = r.validation();
    CrossingTrainer.Scores h = r.heldOut();
    CheckpointSimulation.Result sim = r.heldOutSimulation();
    o2.printf(Locale.ROOT, "crossing model %s in %.1f s: %d rounds (validation log loss %.5f, AUC %.3f)%n",
        r.written() ? "-> " + out : "NOT written", (System.nanoTime() - started) / 1e9, r.rounds(), v.logLoss(),
        v.auc());
    o2.printf(Locale.ROOT, "held out, %d series (%d rows, %d crossings): log loss %.5f (constant rate %.5f, each"
        + " series' rate so far %.5f), AUC %.3f%n", r.info().testSeries().size(), h.rows(), h.crossings(), h.logLoss(),
        h.constantLogLoss(), h.rateSoFarLogLoss(), h.auc());
    o2.printf(Locale.ROOT, "checkpoint waste on them at C = %s step: %.1f steps with the model, %.1f without (%+.1f%%);"
        + " below the best fixed interval (%s steps): %.1f%% with the model, %.1f%% without%n",
        sim.params().costSteps(), r.wasteWithModel(), r.wasteWithoutModel(),
        100 * (r.wasteWithModel() / r.wasteWithoutModel() - 1), sim.bestFixed().getKey(),
        100 * sim.crossingReductionVsBestFixed().getAsDouble(), 100 * sim.reductionVsBestFixed());
    CheckpointSimulation.Result late = r.lateSimulation();
    o2.printf(Locale.ROOT, "after the training rows' time (the last 20%% of each held-out series, %d steps, %d"
        + " crossings): below the best fixed interval (%s steps): %.1f%% with the model, %.1f%% without%n",
        late.steps(), late.failures(), late.bestFixed().getKey(),
        100 * late.crossingReductionVsBestFixed().getAsDouble(), 100 * late.reductionVsBestFixed());
    o2.flush();
    if (!r.written()) {
      List<String> failed = new java.util.ArrayList<>();
      if (!(h.logLoss() < h.constantLogLoss())) {
        failed.add(String.format(Locale.ROOT, "its log loss %.5f is not below the constant rate's %.5f", h.logLoss(),
            h.constantLogLoss()));
      }
      if (!(h.logLoss() < h.rateSoFarLogLoss())) {
        failed.add(String.format(Locale.ROOT, "its log loss %.5f is not below each series' rate so far %.5f",
            h.logLoss(), h.rateSoFarLogLoss()));
      }
      if (!(r.wasteWithModel() < r.wasteWithoutModel())) {
        failed.add(String.format(Locale.ROOT, "the schedule it feeds wastes %.1f steps, not less than the %.1f of"
            + " the schedule fed by the forecast", r.wasteWithModel(), r.wasteWithoutModel()));
      }
      err.println("presize train-crossing: on the " + r.info().testSeries().size() + " held-out series "
          + String.join("; ", failed) + "; so the model was not written");
      err.flush();
      return 1;
    }
    return 0;
  }

  /** {@code K/N} as {K, N}, with {@code 1 <= K <= N} and {@code 2 <= N <= 100}. */
  static int[] fold(CommandLine cl, String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3})/(\\d{1,3})").matcher(text.strip());
    if (m.matches()) {
      int k = Integer.parseInt(m.group(1));
      int n = Integer.parseInt(m.group(2));
      if (n >= 2 && n <= 100 && k >= 1 && k <= n) {
        return new int[] {k, n};
      }
    }
    throw new UsageError(cl, "--fold " + text + ": must be K/N with 1 <= K <= N and 2 <= N <= 100, e.g. 2/5");
  }
}
