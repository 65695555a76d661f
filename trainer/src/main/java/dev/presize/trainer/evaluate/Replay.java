package dev.presize.trainer.evaluate;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.AutopilotRecommender;
import dev.presize.trainer.baseline.EwmaRecommender;
import dev.presize.trainer.baseline.QuantileRecommender;
import dev.presize.trainer.baseline.ReactiveRecommender;
import dev.presize.trainer.baseline.Recommender;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.baseline.StaticRecommender;
import dev.presize.trainer.baseline.VpaRecommender;
import dev.presize.trainer.model.Series;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An online replay of usage series through sizing methods: at every step each method decides an allocation from the
 * past only, and is scored on the usage that follows.
 *
 * <p>For each series and each method a fresh {@link Recommender} is created. At step {@code i} (time
 * {@code t = series.endMillis(i)}), for every resource of the series whose value at {@code i} is a number: first
 * every allocation is decided (resources in {@link Resource} order) with {@link Recommender#recommend(Resource, long) recommend(resource, t)}, then each
 * is scored against the actual value, then every actual value is {@link Recommender#observe observed}. So no method
 * sees any resource's value at {@code i} before deciding at {@code i}. Steps whose value is {@code NaN} are neither
 * scored nor observed. Series are replayed from their first step: warm-up counts, for every method alike.
 *
 * <p><b>Fallback</b>, the same for every method: when a method answers {@code NaN} (no opinion yet, or a resource it
 * does not size), the allocation is the series' {@link Series#provisioned(Resource) provisioned} size of the
 * resource if known, else the last value of the resource observed earlier in the series (never step {@code i}'s
 * own); with neither (the first step of a series without a provisioned size), the step is not scored and is
 * counted in {@link ResourceMetrics#unallocatedSteps()}. Fallback steps are scored and counted in
 * {@link ResourceMetrics#fallbackSteps()}.
 *
 * <p>CPU and MEMORY are reported for every method; NETWORK and DISK only for the methods that gave an allocation of
 * their own at least once (otherwise the row would only measure the fallback).
 */
public final class Replay {

  /** The relative change of allocation above which a step counts as a resize: 1%. */
  public static final double RESIZE_THRESHOLD = 0.01;

  private static final Set<Resource> ALWAYS_REPORTED = Set.of(Resource.CPU, Resource.MEMORY);
  /** The quantiles a {@link QuantileRecommender}'s forecasts are scored at. */
  private static final double[] FORECAST_QUANTILES = {0.5, 0.9, 0.99};

  private final List<RecommenderFactory> methods;

  /** A replay of {@code methods}; their names must be distinct. */
  public Replay(List<RecommenderFactory> methods) {
    this.methods = List.copyOf(methods);
    if (this.methods.isEmpty()) {
      throw new IllegalArgumentException("a replay needs at least one method");
    }
    Set<String> names = new LinkedHashSet<>();
    for (RecommenderFactory m : this.methods) {
      if (!names.add(m.name())) {
        throw new IllegalArgumentException("method name " + m.name() + " appears twice in " + this.methods);
      }
    }
  }

  /**
   * The five baselines with their default, step-scaled configurations, in the order: static (provisioned),
   * reactive, ewma, vpa, autopilot.
   */
  public static List<RecommenderFactory> baselines() {
    return List.of(StaticRecommender.provisioned(), ReactiveRecommender.factory(), EwmaRecommender.factory(),
        VpaRecommender.factory(), AutopilotRecommender.factory());
  }

  /** The methods replayed, in order. */
  public List<RecommenderFactory> methods() {
    return methods;
  }

  /** Replays every series of {@code dataset} through every method. */
  public EvaluationResult run(String dataset, List<Series> series) {
    return run(dataset, series, Set.of()).result();
  }

  /**
   * The outcome of a replay: the metrics, and the step-by-step traces of the series asked for.
   *
   * @param result the metrics of every method
   * @param traces per traced series, one {@link SeriesTrace} per resource it has, in series then resource order
   */
  public record Outcome(EvaluationResult result, List<SeriesTrace> traces) {
    public Outcome {
      Objects.requireNonNull(result, "result");
      traces = List.copyOf(traces);
    }
  }

  /**
   * Replays every series of {@code dataset} through every method, and keeps the step-by-step trace (usage, every
   * method's allocation, quantile forecasts) of the series whose ids are in {@code traceSeries}.
   */
  public Outcome run(String dataset, List<Series> series, Set<String> traceSeries) {
    Objects.requireNonNull(dataset, "dataset");
    Map<String, Map<Resource, MetricsAccumulator>> acc = new LinkedHashMap<>();
    for (RecommenderFactory m : methods) {
      acc.put(m.name(), new EnumMap<>(Resource.class));
    }
    List<SeriesTrace> traces = new ArrayList<>();
    long steps = 0;
    for (Series s : series) {
      steps += s.length();
      boolean trace = traceSeries.contains(s.id());
      Map<Resource, Map<String, double[]>> allocations = new EnumMap<>(Resource.class);
      Map<Resource, Map<Double, double[]>> forecasts = new EnumMap<>(Resource.class);
      for (RecommenderFactory m : methods) {
        Capture capture = trace ? new Capture(s) : null;
        replayOne(s, m.create(s), acc.get(m.name()), capture);
        if (capture != null) {
          capture.allocations.forEach((r, a) -> allocations.computeIfAbsent(r, x -> new LinkedHashMap<>())
              .put(m.name(), a));
          if (!capture.forecasts.isEmpty()) {
            capture.forecasts.forEach((r, f) -> forecasts.putIfAbsent(r, f));
          }
        }
      }
      if (trace) {
        long[] times = new long[s.length()];
        for (int i = 0; i < times.length; i++) {
          times[i] = s.endMillis(i);
        }
        for (Resource r : EnumSet.copyOf(s.usage().keySet())) {
          if (allocations.containsKey(r)) {
            traces.add(new SeriesTrace(dataset, s.id(), r, times, s.values(r), allocations.get(r),
                forecasts.getOrDefault(r, Map.of())));
          }
        }
      }
    }
    Map<String, Map<Resource, ResourceMetrics>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<Resource, MetricsAccumulator>> e : acc.entrySet()) {
      Map<Resource, ResourceMetrics> byResource = new EnumMap<>(Resource.class);
      for (Map.Entry<Resource, MetricsAccumulator> r : e.getValue().entrySet()) {
        if (ALWAYS_REPORTED.contains(r.getKey()) || r.getValue().ownSteps() > 0) {
          byResource.put(r.getKey(), r.getValue().metrics());
        }
      }
      out.put(e.getKey(), byResource);
    }
    return new Outcome(new EvaluationResult(dataset, series.size(), steps, out), traces);
  }

  /** One method's allocations (and quantile forecasts) over one series, per resource, for a trace. */
  private static final class Capture {
    final Map<Resource, double[]> allocations = new EnumMap<>(Resource.class);
    final Map<Resource, Map<Double, double[]>> forecasts = new EnumMap<>(Resource.class);
    final int n;

    Capture(Series s) {
      n = s.length();
    }

    double[] allocation(Resource r) {
      return allocations.computeIfAbsent(r, x -> nans(n));
    }

    double[] forecast(Resource r, double q) {
      return forecasts.computeIfAbsent(r, x -> new java.util.TreeMap<>()).computeIfAbsent(q, x -> nans(n));
    }

    private static double[] nans(int n) {
      double[] a = new double[n];
      java.util.Arrays.fill(a, Double.NaN);
      return a;
    }
  }

  private static void replayOne(Series s, Recommender recommender, Map<Resource, MetricsAccumulator> acc,
      Capture capture) {
    QuantileRecommender quantiles = recommender instanceof QuantileRecommender q ? q : null;
    List<Resource> resources = new ArrayList<>(EnumSet.copyOf(s.usage().keySet())); // enum order: deterministic
    int k = resources.size();
    double[][] values = new double[k][];
    double[] provisioned = new double[k];
    double[] lastObserved = new double[k];
    MetricsAccumulator[] accumulators = new MetricsAccumulator[k];
    for (int j = 0; j < k; j++) {
      Resource r = resources.get(j);
      values[j] = s.values(r);
      OptionalDouble p = s.provisioned(r);
      provisioned[j] = p.isPresent() && p.getAsDouble() > 0 ? p.getAsDouble() : Double.NaN;
      lastObserved[j] = Double.NaN;
      accumulators[j] = acc.computeIfAbsent(r, x -> new MetricsAccumulator());
      accumulators[j].startSeries();
    }
    double[] allocation = new double[k];
    boolean[] fallback = new boolean[k];
    double[][] q = new double[k][3];
    for (int i = 0; i < s.length(); i++) {
      long t = s.endMillis(i);
      // 1. decide every allocation from the past only
      for (int j = 0; j < k; j++) {
        if (Double.isNaN(values[j][i])) {
          continue;
        }
        double own = recommender.recommend(resources.get(j), t);
        fallback[j] = Double.isNaN(own);
        allocation[j] = !fallback[j] ? own : !Double.isNaN(provisioned[j]) ? provisioned[j] : lastObserved[j];
        for (int x = 0; x < 3; x++) {
          q[j][x] = quantiles == null ? Double.NaN : quantiles.quantile(resources.get(j), FORECAST_QUANTILES[x]);
        }
        if (capture != null) {
          capture.allocation(resources.get(j))[i] = allocation[j];
          if (quantiles != null) {
            for (int x = 0; x < 3; x++) {
              capture.forecast(resources.get(j), FORECAST_QUANTILES[x])[i] = q[j][x];
            }
          }
        }
      }
      // 2. score, 3. then reveal step i
      for (int j = 0; j < k; j++) {
        double used = values[j][i];
        if (Double.isNaN(used)) {
          continue;
        }
        if (Double.isNaN(allocation[j])) {
          accumulators[j].unallocated();
        } else {
          accumulators[j].score(allocation[j], used, fallback[j], q[j][0], q[j][1], q[j][2]);
        }
      }
      for (int j = 0; j < k; j++) {
        double used = values[j][i];
        if (!Double.isNaN(used)) {
          recommender.observe(resources.get(j), t, used);
          lastObserved[j] = used;
        }
      }
    }
  }
}
