package dev.presize.cli;

import dev.presize.core.model.CrossingModel;
import dev.presize.local.run.RunSummary;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.simulate.CheckpointSimulation;
import dev.presize.trainer.simulate.CheckpointSimulator.Waste;
import dev.presize.trainer.simulate.SimulationParams;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code presize checkpoint-sim}: the checkpoint simulation of docs/checkpoint-schedule.md on anyone's traces: the
 * production adaptive schedule against the Daly oracle and fixed intervals, per checkpoint cost.
 */
@Command(name = "checkpoint-sim", mixinStandardHelpOptions = true,
    description = {"Replays traces as jobs that fail when memory crosses a capacity (each series' own quantile,"
        + " --capacity-quantile) and restart from their last checkpoint, and totals the waste (lost work plus"
        + " checkpoint overhead, in steps) of Presize's adaptive checkpoint schedule (contention trigger, Young/Daly"
        + " interval from the calibrated exceedance probability), of the Daly oracle that knows each series' failure"
        + " rate, and of fixed intervals; per checkpoint cost C (--cost, in steps).",
        "Model and method: docs/checkpoint-schedule.md."})
final class CheckpointSimCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  TraceInput input;

  @Option(names = "--cost", split = ",", defaultValue = "0.02,0.1,0.5", paramLabel = "STEPS",
      description = "Checkpoint costs C in steps, comma-separated (default ${DEFAULT-VALUE}).")
  List<Double> costs;

  @Option(names = "--capacity-quantile", defaultValue = "0.95", paramLabel = "Q",
      description = "The quantile of each series' own memory taken as its capacity, in (0, 1) (default "
          + "${DEFAULT-VALUE}).")
  double capacityQuantile;

  @Option(names = "--sizing-steps", defaultValue = "0", paramLabel = "N",
      description = "Set each series' capacity from its first N steps only, and score the steps after them; the"
          + " first N are its history, played to the adaptive schedules first so they start warm (0, the default:"
          + " the capacity from the whole series, which the schedule could not know in advance, and no history).")
  int sizingSteps;

  @Option(names = "--score-from", defaultValue = "0", paramLabel = "F",
      description = "Play each series whole but count the waste only after the first F of its steps, in [0, 1)"
          + " (default 0). With --crossing-model, 0.8 scores its held-out series only after the time its training rows"
          + " end.")
  double scoreFrom;

  @Option(names = "--crossing-model", paramLabel = "DIR",
      description = "Also play the adaptive schedule fed by this crossing model (presize train-crossing), on the"
          + " series it held out of training only, with the capacity rule it was trained with. Repeat it with the"
          + " models of a cross-validation (train-crossing --fold 1/5 ... 5/5, held-out series disjoint): each series"
          + " is played by the model that did not train on it, and the totals are over all of them.")
  List<java.nio.file.Path> crossingModels = new ArrayList<>();

  @Option(names = "--json", description = "Print the result as one JSON object ({\"series\", \"steps\", \"failures\","
      + " \"costs\": [{\"cost\", \"adaptive\", \"oracle\", \"bestFixed\", \"fixed\", \"adaptiveOverOracle\","
      + " \"reductionVsBestFixed\", and with --crossing-model \"crossing\", \"crossingOverOracle\","
      + " \"crossingReductionVsBestFixed\"}]}).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    for (double c : costs) {
      if (!(c > 0) || Double.isInfinite(c)) {
        throw new UsageError(cl, "--cost " + c + ": a checkpoint cost must be more than 0 steps");
      }
    }
    if (!(capacityQuantile > 0 && capacityQuantile < 1)) {
      throw new UsageError(cl, "--capacity-quantile " + capacityQuantile + ": must be in (0, 1)");
    }
    if (sizingSteps < 0) {
      throw new UsageError(cl, "--sizing-steps " + sizingSteps + ": must be 0 or more");
    }
    if (!(scoreFrom >= 0 && scoreFrom < 1)) {
      throw new UsageError(cl, "--score-from " + scoreFrom + ": must be in [0, 1)");
    }
    input.check(cl);
    List<CrossingModel> models = new ArrayList<>();
    java.util.Set<String> heldOut = new java.util.HashSet<>();
    for (java.nio.file.Path dir : crossingModels) {
      if (crossingModels.stream().filter(d -> d.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize()))
          .count() > 1) {
        throw new UsageError(cl, "--crossing-model " + dir + " is given twice");
      }
      CrossingModel model;
      try {
        model = CrossingModel.load(dir);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UsageError(cl, "--crossing-model " + dir + ": no such directory");
      } catch (dev.presize.core.model.ModelFormatException e) {
        throw new UsageError(cl, "--crossing-model " + dir + ": " + e.getMessage());
      }
      if (!models.isEmpty() && (capacityQuantile != model.capacityQuantile()
          || sizingSteps != model.sizingSteps())) {
        throw new UsageError(cl, "--crossing-model " + dir + " was trained with --capacity-quantile "
            + model.capacityQuantile() + " --sizing-steps " + model.sizingSteps() + ", " + crossingModels.get(0)
            + " with " + capacityQuantile + " and " + sizingSteps + ": give the models of one cross-validation");
      }
      boolean quantileGiven = cl.getParseResult().hasMatchedOption("--capacity-quantile");
      boolean sizingGiven = cl.getParseResult().hasMatchedOption("--sizing-steps");
      if ((quantileGiven && capacityQuantile != model.capacityQuantile())
          || (sizingGiven && sizingSteps != model.sizingSteps())) {
        throw new UsageError(cl, "--crossing-model " + dir + " was trained with --capacity-quantile "
            + model.capacityQuantile() + " --sizing-steps " + model.sizingSteps() + "; simulate it with those");
      }
      if (!models.isEmpty() && !model.step().equals(models.get(0).step())) {
        throw new UsageError(cl, "--crossing-model " + dir + " was trained at a step of " + Sizes.duration(model
            .step()) + ", " + crossingModels.get(0) + " at " + Sizes.duration(models.get(0).step()));
      }
      for (String id : model.testSeries()) {
        if (!heldOut.add(id)) {
          throw new UsageError(cl, "--crossing-model " + dir + " holds out " + id + ", which another of the models"
              + " held out too: give the models of one cross-validation (train-crossing --fold K/N), whose held-out"
              + " series are disjoint");
        }
      }
      capacityQuantile = model.capacityQuantile();
      sizingSteps = model.sizingSteps();
      models.add(model);
    }
    List<Series> series = input.read(spec.commandLine());
    for (int i = 0; i < models.size(); i++) {
      if (!series.isEmpty() && !series.get(0).step().equals(models.get(i).step())) {
        throw new UsageError(cl, "--crossing-model " + crossingModels.get(i) + " was trained at a step of "
            + Sizes.duration(models.get(i).step()) + ", the traces have " + Sizes.duration(series.get(0).step())
            + " (--step)");
      }
    }
    String dataset = String.join(",", input.traceNames());
    SimulationParams base = SimulationParams.defaults();
    List<CheckpointSimulation.Result> results = new ArrayList<>();
    for (double c : costs) {
      SimulationParams p = new SimulationParams(c, capacityQuantile, base.windowSteps(), base.minIntervalSteps(),
          base.maxIntervalSteps(), base.contentionThreshold(), base.fixedIntervalsSteps(), true, true);
      try {
        results.add(CheckpointSimulation.run(dataset, series, p, sizingSteps, models, scoreFrom));
      } catch (IllegalArgumentException e) {
        throw new UsageError(cl, e.getMessage());
      }
    }
    if (results.get(0).series() == 0) {
      throw new UsageError(cl, "--traces " + dataset + ": no series with at least 2 memory values to simulate");
    }
    PrintWriter out = cl.getOut();
    if (json) {
      out.println(RunSummary.jsonLine(json(results)));
    } else {
      if (!models.isEmpty()) {
        out.println(folds(models, series.size()));
      }
      out.print(text(results));
    }
    out.flush();
    return 0;
  }

  /**
   * One line on the crossing models given: which folds of which cross-validation (as {@code train-crossing --fold}
   * recorded them), which folds of it are missing, and how many of the traces' series they hold out.
   */
  static String folds(List<CrossingModel> models, int tracesSeries) {
    int heldOut = models.stream().mapToInt(m -> m.testSeries().size()).sum();
    String of = String.format(Locale.ROOT, "; they hold out %d of the %d series in the traces", heldOut, tracesSeries);
    List<CrossingModel.Fold> folds = models.stream().flatMap(m -> m.fold().stream()).toList();
    if (folds.size() < models.size()) {
      return "crossing models: " + models.size() + " given, " + (models.size() - folds.size()) + " of them without"
          + " a recorded fold (trained before train-crossing recorded it)" + of;
    }
    CrossingModel.Fold first = folds.get(0);
    if (folds.stream().anyMatch(f -> f.n() != first.n() || f.seed() != first.seed())) {
      return "crossing models: folds " + String.join(", ", folds.stream().map(f -> f + " (seed " + f.seed() + ")")
          .toList()) + ", not of one cross-validation" + of;
    }
    java.util.SortedSet<Integer> ks = new java.util.TreeSet<>();
    folds.forEach(f -> ks.add(f.k()));
    List<String> missing = new ArrayList<>();
    for (int k = 1; k <= first.n(); k++) {
      if (!ks.contains(k)) {
        missing.add(String.valueOf(k));
      }
    }
    return "crossing models: fold" + (ks.size() == 1 ? " " : "s ")
        + String.join(", ", ks.stream().map(String::valueOf).toList()) + " of " + first.n() + " (seed " + first.seed()
        + ")" + (missing.isEmpty() ? ", every fold" : ", not " + String.join(", ", missing)
        + ": their series are not played") + of;
  }

  static String text(List<CheckpointSimulation.Result> results) {
    CheckpointSimulation.Result first = results.get(0);
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d series%s, %d steps, %d failures (capacity p%s"
        + " of each series' memory%s)", first.series(), first.crossing().isPresent()
        ? " (each held out of the training of the crossing model that plays it)" : "", first.steps(), first.failures(),
        String.format(Locale.ROOT, "%.4g", 100 * first.params().capacityQuantile()).replaceAll("\\.?0+$", ""),
        first.sizingSteps() > 0 ? " in its first " + first.sizingSteps()
            + " steps, played first as history, the steps after them scored" : ""));
    if (first.scoreFrom() > 0) {
      sb.append(String.format(Locale.ROOT, "; waste counted after the first %.0f%% of each series' steps",
          100 * first.scoreFrom()));
    }
    sb.append(String.format("%n%n"));
    sb.append(String.format(Locale.ROOT, "%-8s %14s %14s %20s %16s %16s%n", "C", "adaptive", "Daly oracle",
        "best fixed (steps)", "adaptive/oracle", "vs best fixed"));
    for (CheckpointSimulation.Result r : results) {
      Map.Entry<Double, Waste> best = r.bestFixed();
      sb.append(String.format(Locale.ROOT, "%-8s %14.1f %14.1f %20s %16s %16s%n", fmt(r.params().costSteps()),
          r.adaptive().totalSteps(), r.oracle().totalSteps(), String.format(Locale.ROOT, "%.1f @%s",
          best.getValue().totalSteps(), fmt(best.getKey())), ratio("%.3f", r.adaptiveOverOracle()),
          ratio("%.1f%%", -100 * r.reductionVsBestFixed())));
    }
    if (first.crossing().isPresent()) {
      sb.append(String.format(Locale.ROOT, "%nadaptive, fed by the crossing model:%n%-8s %14s %16s %16s%n", "C",
          "waste", "/oracle", "vs best fixed"));
      for (CheckpointSimulation.Result r : results) {
        sb.append(String.format(Locale.ROOT, "%-8s %14.1f %16s %16s%n", fmt(r.params().costSteps()),
            r.crossing().orElseThrow().totalSteps(), ratio("%.3f", r.crossingOverOracle().getAsDouble()),
            ratio("%.1f%%", -100 * r.crossingReductionVsBestFixed().getAsDouble())));
      }
    }
    for (CheckpointSimulation.Result r : results) {
      double[] sweep = r.params().fixedIntervalsSteps();
      double best = r.bestFixed().getKey();
      if (best == sweep[0] || best == sweep[sweep.length - 1]) {
        sb.append(String.format(Locale.ROOT, "note: at C = %s the best fixed interval is the %s of the sweep (%s"
            + " steps); a %s one might waste less, so \"vs best fixed\" may flatter the adaptive schedule%n",
            fmt(r.params().costSteps()), best == sweep[0] ? "shortest" : "longest", fmt(best),
            best == sweep[0] ? "shorter" : "longer"));
      }
    }
    sb.append("(total waste in steps: lost work plus checkpoint overhead; negative = less than the best fixed; n/a"
        + " where the divisor wastes nothing, e.g. no series ever crosses its capacity)\n");
    return sb.toString();
  }

  static Map<String, Object> json(List<CheckpointSimulation.Result> results) {
    Map<String, Object> m = new LinkedHashMap<>();
    CheckpointSimulation.Result first = results.get(0);
    m.put("dataset", first.dataset());
    m.put("series", first.series());
    m.put("steps", first.steps());
    m.put("failures", first.failures());
    m.put("capacityQuantile", first.params().capacityQuantile());
    m.put("sizingSteps", first.sizingSteps());
    m.put("scoreFrom", first.scoreFrom());
    List<Object> list = new ArrayList<>();
    for (CheckpointSimulation.Result r : results) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("cost", r.params().costSteps());
      e.put("adaptive", waste(r.adaptive()));
      e.put("oracle", waste(r.oracle()));
      Map<String, Object> best = waste(r.bestFixed().getValue());
      best.put("interval", r.bestFixed().getKey());
      e.put("bestFixed", best);
      Map<String, Object> fixed = new LinkedHashMap<>();
      r.fixed().forEach((t, w) -> fixed.put(fmt(t), waste(w)));
      e.put("fixed", fixed);
      e.put("adaptiveOverOracle", finite(r.adaptiveOverOracle()));
      e.put("reductionVsBestFixed", finite(r.reductionVsBestFixed()));
      if (r.crossing().isPresent()) {
        e.put("crossing", waste(r.crossing().orElseThrow()));
        e.put("crossingOverOracle", finite(r.crossingOverOracle().getAsDouble()));
        e.put("crossingReductionVsBestFixed", finite(r.crossingReductionVsBestFixed().getAsDouble()));
      }
      list.add(e);
    }
    m.put("costs", list);
    return m;
  }

  private static Map<String, Object> waste(Waste w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lostSteps", w.lostSteps());
    m.put("checkpoints", w.checkpoints());
    m.put("overheadSteps", w.overheadSteps());
    m.put("totalSteps", w.totalSteps());
    return m;
  }

  /** {@code v} in {@code format}, or {@code n/a} when it is not finite (a ratio over nothing wasted). */
  private static String ratio(String format, double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "n/a";
  }

  /** {@code v}, or null (JSON null) when it is not finite. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** A number of steps as written, never in scientific notation: {@code 2}, {@code 0.5}, {@code 0.00001}. */
  private static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
