package dev.presize.trainer.simulate;

import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.core.model.CrossingModel;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.simulate.CheckpointSimulator.Waste;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;


/**
 * Runs the adaptive schedule, every fixed interval and the Young/Daly oracle over a dataset and totals the waste.
 *
 * <p>The oracle knows each series' true failure rate {@code λ = failures / steps} and checkpoints every
 * {@code sqrt(2C/λ)} steps (never, when a series has no failure); "best fixed" is the one interval of the sweep
 * ({@link SimulationParams#defaultFixedIntervals()}: fine enough to be the best fixed interval within about 0.5%)
 * with the least total waste over the whole dataset, chosen in hindsight.
 */
public final class CheckpointSimulation {

  private CheckpointSimulation() {
  }

  /**
   * The totals of one dataset.
   *
   * @param dataset its label
   * @param params the settings
   * @param series series simulated
   * @param steps steps in total (scored)
   * @param failures failures in total (scored)
   * @param adaptive the adaptive schedule's waste
   * @param oracle the oracle's waste
   * @param fixed each fixed interval's waste, by interval in steps
   * @param sizingSteps the first steps of each series its capacity was set from: history, played to the policies
   *     but not scored (0: none)
   * @param scoreFrom the share of each series played before its waste was counted (0: all counted)
   * @param crossing the waste of the adaptive schedule fed by a crossing model, when one was given
   */
  public record Result(String dataset, SimulationParams params, int series, long steps, long failures,
      Waste adaptive, Waste oracle, Map<Double, Waste> fixed, int sizingSteps, double scoreFrom,
      Optional<Waste> crossing) {

    private static final java.util.Set<Double> LISTED = java.util.Set.of(0.2, 1.0, 2.0, 6.0, 12.0, 24.0, 48.0);

    /** A result without a crossing model. */
    public Result(String dataset, SimulationParams params, int series, long steps, long failures, Waste adaptive,
        Waste oracle, Map<Double, Waste> fixed) {
      this(dataset, params, series, steps, failures, adaptive, oracle, fixed, 0, 0, Optional.empty());
    }

    /** Crossing-model waste / oracle waste, when a crossing model was given. */
    public OptionalDouble crossingOverOracle() {
      return crossing.map(w -> OptionalDouble.of(w.totalSteps() / oracle.totalSteps())).orElse(OptionalDouble.empty());
    }

    /** 1 - crossing-model waste / best fixed waste, when a crossing model was given. */
    public OptionalDouble crossingReductionVsBestFixed() {
      return crossing.map(w -> OptionalDouble.of(1 - w.totalSteps() / bestFixed().getValue().totalSteps()))
          .orElse(OptionalDouble.empty());
    }

    /** The fixed interval with the least total waste. */
    public Map.Entry<Double, Waste> bestFixed() {
      return fixed.entrySet().stream().min((a, b) -> Double.compare(a.getValue().totalSteps(),
          b.getValue().totalSteps())).orElseThrow();
    }

    /** Adaptive waste / oracle waste. */
    public double adaptiveOverOracle() {
      return adaptive.totalSteps() / oracle.totalSteps();
    }

    /** 1 - adaptive waste / best fixed waste: how much less the adaptive schedule wastes. */
    public double reductionVsBestFixed() {
      return 1 - adaptive.totalSteps() / bestFixed().getValue().totalSteps();
    }

    /** A markdown table of the totals. */
    public String toMarkdown() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "%s: %d series, %d steps, %d failures (%s)%n%n", dataset, series, steps,
          failures, params));
      b.append("| policy | lost (steps) | checkpoints | overhead (steps) | total waste (steps) | waste % of time |\n");
      b.append("|---|---|---|---|---|---|\n");
      row(b, "adaptive", adaptive);
      crossing.ifPresent(w -> row(b, "adaptive, crossing model", w));
      row(b, "Daly oracle", oracle);
      // the best of the sweep and a few round intervals (the sweep is fine: SimulationParams.defaultFixedIntervals)
      for (Map.Entry<Double, Waste> e : fixed.entrySet()) {
        boolean best = e.getKey().equals(bestFixed().getKey());
        if (best || fixed.size() <= 12 || LISTED.contains(e.getKey())) {
          row(b, "fixed " + e.getKey() + " steps" + (best ? " (best)" : ""), e.getValue());
        }
      }
      b.append(String.format(Locale.ROOT, "%nadaptive / oracle = %.3f; adaptive vs best fixed = %.1f%% less waste%n",
          adaptiveOverOracle(), 100 * reductionVsBestFixed()));
      crossing.ifPresent(w -> b.append(String.format(Locale.ROOT, "adaptive with the crossing model / oracle = %.3f;"
          + " vs best fixed = %.1f%% less waste%n", crossingOverOracle().getAsDouble(),
          100 * crossingReductionVsBestFixed().getAsDouble())));
      return b.toString();
    }

    private void row(StringBuilder b, String name, Waste w) {
      b.append(String.format(Locale.ROOT, "| %s | %.1f | %d | %.1f | %.1f | %.2f |%n", name, w.lostSteps(),
          w.checkpoints(), w.overheadSteps(), w.totalSteps(), 100 * w.totalSteps() / steps));
    }
  }

  /**
   * Simulates every series of a dataset that has memory, in order. With {@link SimulationParams#calibrate()}, the
   * adaptive schedule calibrates its exceedance probabilities as the live loop does: one calibration per function
   * (a series that is no invocation of a known function, a VM or a task, is its own function) whose prior is one
   * pooled over the dataset, all fed only with outcomes of steps already played.
   */
  public static Result run(String dataset, List<Series> series, SimulationParams params) {
    return run(dataset, series, params, 0, null);
  }

  /**
   * {@link #run(String, List, SimulationParams)} with each series' capacity set from its first {@code sizingSteps}
   * steps, which are its history: played to the policies first (forecast, features and calibration warm from them),
   * never scored ({@link CheckpointJob#withHistory}); and, when {@code crossing} is not null, the
   * adaptive schedule fed by that crossing model played too ({@link CrossingModelPolicy}, with calibrations of its
   * own). With a crossing model only the series it was not trained on are simulated (its
   * {@link CrossingModel#testSeries()}), so its numbers are out of sample.
   *
   * @throws IllegalArgumentException a crossing model none of whose held-out series are in {@code series}
   */
  public static Result run(String dataset, List<Series> series, SimulationParams params, int sizingSteps,
      CrossingModel crossing) {
    return run(dataset, series, params, sizingSteps, crossing, 0);
  }

  /**
   * {@link #run(String, List, SimulationParams, int, CrossingModel)} scoring only the later part of each series:
   * every policy plays the whole job but its waste counts from step {@code round(scoreFrom · (length - 1)) + 1} on
   * ({@link CheckpointSimulator#run(CheckpointJob, CheckpointPolicy, double, int)}), and the oracle's rate is that
   * part's. With {@code scoreFrom = 0.8} a crossing model's held-out series are scored only after the time its
   * training rows end (the later 20% of each series validates), so nothing it learned from the same weeks on other
   * series helps it.
   *
   * @param scoreFrom the share of each job played before scoring starts, in [0, 1)
   */
  public static Result run(String dataset, List<Series> series, SimulationParams params, int sizingSteps,
      CrossingModel crossing, double scoreFrom) {
    return run(dataset, series, params, sizingSteps, crossing == null ? List.of() : List.of(crossing), scoreFrom);
  }

  /**
   * {@link #run(String, List, SimulationParams, int, CrossingModel, double)} with the models of a cross-validation
   * ({@code presize train-crossing --fold K/N}): every series one of them held out is played, in the dataset's
   * order, by every policy in one pass (each calibrated as over one dataset), the crossing-fed schedule with the
   * model that held it out; so the totals, and the best fixed interval, are over all of them together.
   *
   * @throws IllegalArgumentException when two models held out the same series, or one held out none of
   *     {@code series}
   */
  public static Result run(String dataset, List<Series> series, SimulationParams params, int sizingSteps,
      List<CrossingModel> models, double scoreFrom) {
    if (!(scoreFrom >= 0 && scoreFrom < 1)) {
      throw new IllegalArgumentException("scoreFrom must be in [0, 1), was " + scoreFrom);
    }
    Map<String, CrossingModel> byHeldOut = new java.util.HashMap<>();
    for (CrossingModel m : models) {
      for (String id : m.testSeries()) {
        CrossingModel other = byHeldOut.putIfAbsent(id, m);
        if (other != null) {
          throw new IllegalArgumentException("the crossing models " + other.directory() + " and " + m.directory()
              + " both held out " + id + ": give the models of one cross-validation, whose held-out series are"
              + " disjoint");
        }
      }
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    series.forEach(s -> ids.add(s.id()));
    for (CrossingModel m : models) {
      if (m.testSeries().stream().noneMatch(ids::contains)) {
        throw new IllegalArgumentException("none of the " + m.testSeries().size() + " series the crossing model "
            + m.directory() + " held out of training is in " + dataset + ": simulate it on the traces it was"
            + " trained on, whose held-out series it names");
      }
    }
    boolean withModels = !models.isEmpty();
    List<CheckpointJob> jobs = new ArrayList<>();
    List<Series> sources = new ArrayList<>();
    List<String> functions = new ArrayList<>();
    for (Series s : series) {
      if (withModels && !byHeldOut.containsKey(s.id())) {
        continue;
      }
      CheckpointJob.withHistory(s, params.capacityQuantile(), sizingSteps).ifPresent(j -> {
        jobs.add(j);
        sources.add(s);
        functions.add(s.function().isEmpty() ? s.id() : s.function());
      });
    }
    Map<String, ExceedanceCalibration> crossingCalibrations = new java.util.HashMap<>();
    ExceedanceCalibration crossingPooled = ExceedanceCalibration.defaults();
    Waste withModel = Waste.zero();
    Map<String, ExceedanceCalibration> calibrations = new java.util.HashMap<>();
    ExceedanceCalibration pooled = ExceedanceCalibration.defaults();
    Waste adaptive = Waste.zero();
    Waste oracle = Waste.zero();
    Map<Double, Waste> fixed = new LinkedHashMap<>();
    long steps = 0;
    long failures = 0;
    for (int k = 0; k < jobs.size(); k++) {
      CheckpointJob job = jobs.get(k);
      int played = job.length() - job.history();
      int from = job.history() + (scoreFrom == 0 ? 0 : (int) Math.round(scoreFrom * (played - 1)) + 1);
      AdaptivePolicy policy = new AdaptivePolicy(params, params.calibrate() ? calibrations.computeIfAbsent(
          functions.get(k), f -> pooled.child()) : ExceedanceCalibration.identity());
      int scoredFailures = 0;
      for (int q = from; q < job.length(); q++) {
        scoredFailures += job.fails()[q] ? 1 : 0;
      }
      steps += job.length() - from;
      failures += scoredFailures;
      adaptive = adaptive.plus(CheckpointSimulator.run(job, policy, params.costSteps(), from));
      if (withModels) {
        ExceedanceCalibration c = params.calibrate() ? crossingCalibrations.computeIfAbsent(functions.get(k),
            f -> crossingPooled.child()) : ExceedanceCalibration.identity();
        withModel = withModel.plus(CheckpointSimulator.run(job, new CrossingModelPolicy(params, c,
            byHeldOut.get(sources.get(k).id()), sources.get(k)), params.costSteps(), from));
      }
      double lambda = (double) scoredFailures / (job.length() - from);
      double oracleInterval = lambda == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(2 * params.costSteps() / lambda);
      oracle = oracle.plus(CheckpointSimulator.run(job, CheckpointPolicy.fixed(oracleInterval), params.costSteps(),
          from));
      for (double t : params.fixedIntervalsSteps()) {
        fixed.merge(t, CheckpointSimulator.run(job, CheckpointPolicy.fixed(t), params.costSteps(), from),
            Waste::plus);
      }
    }
    return new Result(dataset, params, jobs.size(), steps, failures, adaptive, oracle, fixed, sizingSteps, scoreFrom,
        withModels ? Optional.of(withModel) : Optional.empty());
  }

}
