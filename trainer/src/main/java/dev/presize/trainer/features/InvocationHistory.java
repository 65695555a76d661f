package dev.presize.trainer.features;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The past invocations of each function: for an invocation starting at {@code t}, what the invocations of the same
 * function that had ended by {@code t} used at their peak (overall, and at the same input size). Series without a
 * {@link Series#function() function} have no history.
 *
 * <p>Not thread-safe.
 */
public final class InvocationHistory {

  /**
   * What a function's earlier invocations used; {@code NaN} where there is nothing to go by.
   *
   * @param runs how many earlier invocations ended before this one started
   * @param memoryMaxPeak the largest peak memory (bytes) of those
   * @param memorySameInputMaxPeak the largest peak memory of those with the same input size
   * @param cpuMaxPeak the largest per-step CPU (cores) of those
   * @param cpuSameInputMaxPeak the largest per-step CPU of those with the same input size
   * @param sameInput the earlier invocations with the same input size, each as its memory and CPU per step from its
   *     own start (for {@link #memorySameInputAhead} and {@link #cpuSameInputAhead}); not copied, not to be changed
   */
  public record Stats(int runs, double memoryMaxPeak, double memorySameInputMaxPeak, double cpuMaxPeak,
      double cpuSameInputMaxPeak, List<double[][]> sameInput) {
    /** No history. */
    public static final Stats NONE = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of());

    /** A history without per-step profiles. */
    public Stats(int runs, double memoryMaxPeak, double memorySameInputMaxPeak, double cpuMaxPeak,
        double cpuSameInputMaxPeak) {
      this(runs, memoryMaxPeak, memorySameInputMaxPeak, cpuMaxPeak, cpuSameInputMaxPeak, List.of());
    }

    public Stats {
      sameInput = List.copyOf(sameInput);
    }

    /**
     * What the earlier invocations with the same input used at the same age: the largest memory of any of them over
     * its steps {@code t+1 .. t+k} (counted from its own start); NaN when none has any of those steps.
     */
    public double memorySameInputAhead(int t, int k) {
      return ahead(0, t, k);
    }

    /** {@link #memorySameInputAhead} for CPU (cores per step). */
    public double cpuSameInputAhead(int t, int k) {
      return ahead(1, t, k);
    }

    private double ahead(int resource, int t, int k) {
      double m = Double.NaN;
      for (double[][] run : sameInput) {
        double[] x = run[resource];
        if (x == null) {
          continue;
        }
        for (int i = t + 1; i <= t + k && i < x.length; i++) {
          m = max(m, x[i]);
        }
      }
      return m;
    }
  }

  private record Run(long endMillis, double inputSize, double memoryPeak, double cpuPeak, double[][] profile) {
  }

  private final Map<String, List<Run>> runs = new HashMap<>();
  private final java.util.Set<String> ids = new java.util.HashSet<>();

  /**
   * Records {@code s} as a completed invocation of its function (ignored without a function, or when a series with
   * its id was recorded already).
   */
  public void add(Series s) {
    if (s.function().isEmpty() || !ids.add(s.id())) {
      return;
    }
    runs.computeIfAbsent(s.function(), f -> new ArrayList<>())
        .add(new Run(s.endMillis(), s.inputSize(), peak(s, Resource.MEMORY), peak(s, Resource.CPU),
            new double[][] {values(s, Resource.MEMORY), values(s, Resource.CPU)}));
  }

  /** The history of {@code s}'s function from the invocations that ended by the time {@code s} started. */
  public Stats before(Series s) {
    List<Run> past = s.function().isEmpty() ? null : runs.get(s.function());
    if (past == null) {
      return Stats.NONE;
    }
    int n = 0;
    double mem = Double.NaN;
    double memSame = Double.NaN;
    double cpu = Double.NaN;
    double cpuSame = Double.NaN;
    List<double[][]> sameInput = new ArrayList<>();
    for (Run r : past) {
      if (r.endMillis > s.startMillis()) {
        continue;
      }
      n++;
      mem = max(mem, r.memoryPeak);
      cpu = max(cpu, r.cpuPeak);
      if (!Double.isNaN(s.inputSize()) && Double.compare(r.inputSize, s.inputSize()) == 0) {
        memSame = max(memSame, r.memoryPeak);
        cpuSame = max(cpuSame, r.cpuPeak);
        sameInput.add(r.profile);
      }
    }
    return n == 0 ? Stats.NONE : new Stats(n, mem, memSame, cpu, cpuSame, sameInput);
  }

  /** The history of every series of {@code series}, each from the others that ended before it started. */
  public static Map<Series, Stats> of(List<Series> series) {
    List<Series> byStart = new ArrayList<>(series);
    byStart.sort(Comparator.comparingLong(Series::startMillis));
    List<Series> byEnd = new ArrayList<>(series);
    byEnd.sort(Comparator.comparingLong(Series::endMillis));
    InvocationHistory h = new InvocationHistory();
    Map<Series, Stats> out = new IdentityHashMap<>();
    int e = 0;
    for (Series s : byStart) {
      while (e < byEnd.size() && byEnd.get(e).endMillis() <= s.startMillis()) {
        h.add(byEnd.get(e++));
      }
      out.put(s, h.before(s));
    }
    return out;
  }

  private static double[] values(Series s, Resource r) {
    return s.has(r) ? s.values(r) : null;
  }

  private static double peak(Series s, Resource r) {
    if (!s.has(r)) {
      return Double.NaN;
    }
    double m = Double.NaN;
    for (int i = 0; i < s.length(); i++) {
      m = max(m, s.value(r, i));
    }
    return m;
  }

  private static double max(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  @Override
  public String toString() {
    return "InvocationHistory[" + runs.size() + " functions]";
  }
}
