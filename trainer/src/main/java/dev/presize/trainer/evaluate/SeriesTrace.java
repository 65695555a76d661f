package dev.presize.trainer.evaluate;

import dev.presize.spi.resources.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What happened step by step in the replay of one resource of one series: the usage, every method's allocation and,
 * when a forecasting method took part, its quantile forecasts. For plots (forecast vs actual, allocation vs usage).
 *
 * <p>Arrays are indexed by step and have the same length; a {@code NaN} is a step without a value (no usage, or no
 * allocation). Units are the {@link dev.presize.trainer.model.Series} units.
 *
 * @param dataset the dataset's name, as in {@link EvaluationResult#dataset()}
 * @param seriesId the series' id
 * @param resource the resource
 * @param timeMillis epoch milliseconds at the end of each step
 * @param used the usage of each step
 * @param allocations each method's allocation per step, by method name in replay order
 * @param forecasts quantile forecasts per step, by quantile (e.g. 0.5, 0.9, 0.99) in increasing order; empty when no
 *     method forecast quantiles
 */
public record SeriesTrace(String dataset, String seriesId, Resource resource, long[] timeMillis, double[] used,
    Map<String, double[]> allocations, Map<Double, double[]> forecasts) {

  public SeriesTrace {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(seriesId, "seriesId");
    Objects.requireNonNull(resource, "resource");
    int n = timeMillis.length;
    if (used.length != n) {
      throw new IllegalArgumentException("used has " + used.length + " steps, timeMillis " + n);
    }
    allocations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(allocations));
    forecasts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(forecasts));
    allocations.forEach((m, a) -> {
      if (a.length != n) {
        throw new IllegalArgumentException("allocation of " + m + " has " + a.length + " steps, timeMillis " + n);
      }
    });
    forecasts.forEach((q, f) -> {
      if (f.length != n) {
        throw new IllegalArgumentException("forecast " + q + " has " + f.length + " steps, timeMillis " + n);
      }
    });
  }

  /** Number of steps. */
  public int length() {
    return timeMillis.length;
  }

  /** The last {@code steps} steps of this trace (all of it when it is shorter). */
  public SeriesTrace tail(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, was " + steps);
    }
    int n = length();
    int from = Math.max(0, n - steps);
    Map<String, double[]> a = new LinkedHashMap<>();
    allocations.forEach((m, x) -> a.put(m, java.util.Arrays.copyOfRange(x, from, n)));
    Map<Double, double[]> f = new java.util.TreeMap<>();
    forecasts.forEach((q, x) -> f.put(q, java.util.Arrays.copyOfRange(x, from, n)));
    return new SeriesTrace(dataset, seriesId, resource, java.util.Arrays.copyOfRange(timeMillis, from, n),
        java.util.Arrays.copyOfRange(used, from, n), a, f);
  }
}
