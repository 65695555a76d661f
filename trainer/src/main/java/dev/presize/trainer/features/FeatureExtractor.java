package dev.presize.trainer.features;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A computer of the model's input features for one step of a {@link Series}, from the data up to and including that
 * step only.
 *
 * <p>For each resource of {@link #RESOURCES} (absent resources give {@code NaN} features) it computes the level,
 * lags, first difference, least-squares slopes, windowed peaks, 90th percentiles and means, two EWMAs, a
 * coefficient of variation, running and decaying peaks with scale-free ratios, and the peak at the next step a day and
 * a week earlier; then the steps since the start, the step length and the invocation's history. Windows ending at
 * step {@code t} cover steps {@code max(0, t-k+1) .. t}, ignore {@code NaN}s, and are {@code NaN} when nothing is
 * left. Units are the series' (CPU cores, memory bytes, network and disk bytes per second); slopes and differences
 * are per step. The names, order and definitions are in {@code docs/features.md}; {@link #schema()} identifies them.
 *
 * <p>Immutable and thread-safe; the {@link Prepared} it returns is not (it owns scratch buffers).
 */
public final class FeatureExtractor {

  /** The resources featurized, in column order. */
  public static final List<Resource> RESOURCES =
      List.of(Resource.CPU, Resource.MEMORY, Resource.NETWORK, Resource.DISK);

  /** Lags in steps. */
  static final int[] LAGS = {1, 2, 4};
  /** Windows (steps) of the least-squares slope. */
  static final int[] SLOPE_WINDOWS = {4, 12};
  /** Windows (steps) of the peak and the 90th percentile. */
  static final int[] PEAK_WINDOWS = {4, 12, 48};
  /** Windows (steps) of the mean. */
  static final int[] MEAN_WINDOWS = {12, 48};
  /** Half-lives (steps) of the EWMAs. */
  static final int[] EWMA_HALF_LIVES = {4, 24};
  /** Window (steps) of the coefficient of variation. */
  static final int CV_WINDOW = 48;
  /** Half-life (steps) of the decaying peak: the peak's memory of past highs fades by half every this many steps. */
  static final int DECAYING_PEAK_HALF_LIFE = 288;
  /** Window (steps) of the mean absolute step change (volatility). */
  static final int VOLATILITY_WINDOW = 12;
  /**
   * Steps ahead the same-input history looks: what earlier invocations with the same input used over their steps
   * {@code t+1 .. t+HISTORY_AHEAD}.
   */
  static final int HISTORY_AHEAD = 4;
  /**
   * The longest window: the history a row looks at, besides the EWMAs, running peaks, the seasonal features and the
   * step count.
   */
  static final int MAX_WINDOW = 48;
  /**
   * The periods of the seasonal features, named {@code day} and {@code week}: many workloads repeat daily and weekly
   * (a nightly batch job, office hours), so what the series did one period before the next step says what it will do.
   */
  static final Duration[] SEASONS = {Duration.ofDays(1), Duration.ofDays(7)};
  static final String[] SEASON_NAMES = {"day", "week"};
  /**
   * Half-width (steps) of the seasonal window: the peak over the steps {@code t + 1 - P - w .. t + 1 - P + w} with
   * {@code P} the period in steps, so a repeat that comes a step early or late still counts.
   */
  static final int SEASON_HALF_WIDTH = 1;
  /** The fewest steps a period must span for its seasonal features; shorter, they are NaN. */
  static final int MIN_SEASON_STEPS = 4;

  /** The index in {@link #PEAK_WINDOWS} of the 48-step window, which the peak-to-level ratio reads. */
  private static final int PEAK48 = indexOf(PEAK_WINDOWS, 48);

  private static final String[] PER_RESOURCE = perResourceNames();
  private static final int PER_RESOURCE_COUNT = PER_RESOURCE.length;
  private static final FeatureSchema SCHEMA = buildSchema();

  private FeatureExtractor() {
  }

  /** The standard extractor (the only one; the schema id names its definitions). */
  public static FeatureExtractor standard() {
    return new FeatureExtractor();
  }

  /** The names and id of the features this extractor writes. */
  public FeatureSchema schema() {
    return SCHEMA;
  }

  /** Number of features per row. */
  public int width() {
    return SCHEMA.size();
  }

  /**
   * Prepares {@code series} for extraction: copies its values once and computes the EWMAs causally (each step's
   * EWMA from the previous one and the step's own value), so extraction per row allocates nothing.
   */
  public Prepared prepare(Series series) {
    return new Prepared(series, InvocationHistory.Stats.NONE);
  }

  /** Prepares {@code series} with its function's invocation {@code history} (from invocations before it). */
  public Prepared prepare(Series series, InvocationHistory.Stats history) {
    return new Prepared(series, Objects.requireNonNull(history, "history"));
  }

  /** The features of {@code series} at step {@code t} (a convenience: prepares the series, allocates the row). */
  public float[] extract(Series series, int t) {
    float[] out = new float[width()];
    prepare(series).extract(t, out);
    return out;
  }

  /** One series ready for feature extraction at any of its steps; owns scratch buffers, so not thread-safe. */
  public static final class Prepared {
    private final Series series;
    private final double[][] values;
    private final double[][][] ewma;
    private final double[][] maxSoFar;
    private final double[][] decayingPeak;
    private final double stepSeconds;
    /** Each season's period in steps; 0 when it spans fewer than {@link #MIN_SEASON_STEPS}. */
    private final int[] seasonSteps = new int[SEASONS.length];
    private final double[] window = new double[MAX_WINDOW];
    private final double[] sorted = new double[MAX_WINDOW];
    private final double[] peaks = new double[PEAK_WINDOWS.length];

    private final InvocationHistory.Stats history;

    private Prepared(Series series, InvocationHistory.Stats history) {
      this.series = Objects.requireNonNull(series, "series");
      this.history = history;
      int n = series.length();
      values = new double[RESOURCES.size()][];
      ewma = new double[RESOURCES.size()][][];
      maxSoFar = new double[RESOURCES.size()][];
      decayingPeak = new double[RESOURCES.size()][];
      for (int r = 0; r < RESOURCES.size(); r++) {
        Resource resource = RESOURCES.get(r);
        if (!series.has(resource)) {
          continue;
        }
        values[r] = series.values(resource);
        ewma[r] = new double[EWMA_HALF_LIVES.length][];
        for (int h = 0; h < EWMA_HALF_LIVES.length; h++) {
          ewma[r][h] = ewma(values[r], EWMA_HALF_LIVES[h], n);
        }
        maxSoFar[r] = maxSoFar(values[r], n);
        decayingPeak[r] = decayingPeak(values[r], DECAYING_PEAK_HALF_LIFE, n);
      }
      stepSeconds = series.step().toNanos() / 1e9;
      for (int k = 0; k < SEASONS.length; k++) {
        long p = Math.round((double) SEASONS[k].toNanos() / series.step().toNanos());
        seasonSteps[k] = p >= MIN_SEASON_STEPS && p <= Integer.MAX_VALUE ? (int) p : 0;
      }
    }

    /** The series prepared. */
    public Series series() {
      return series;
    }

    /**
     * Writes the features at step {@code t} into {@code out[0 .. width)}, reading steps {@code <= t} only.
     *
     * @throws IndexOutOfBoundsException when {@code t} is not a step of the series or {@code out} is too short
     */
    public void extract(int t, float[] out) {
      Objects.checkIndex(t, series.length());
      if (out.length < SCHEMA.size()) {
        throw new IndexOutOfBoundsException("out has " + out.length + " slots, the schema " + SCHEMA.size());
      }
      int c = 0;
      for (int r = 0; r < RESOURCES.size(); r++) {
        if (values[r] == null) {
          Arrays.fill(out, c, c + PER_RESOURCE_COUNT, Float.NaN);
        } else {
          resourceFeatures(values[r], ewma[r], maxSoFar[r][t], decayingPeak[r][t], t, out, c);
        }
        c += PER_RESOURCE_COUNT;
      }
      out[c++] = t;
      out[c++] = (float) stepSeconds;
      // the invocation: its input size and what earlier invocations of the same function used
      out[c++] = (float) series.inputSize();
      out[c++] = history.runs() == 0 ? Float.NaN : history.runs();
      int mem = RESOURCES.indexOf(Resource.MEMORY);
      int cpu = RESOURCES.indexOf(Resource.CPU);
      out[c++] = (float) history.memoryMaxPeak();
      out[c++] = (float) history.memorySameInputMaxPeak();
      out[c++] = (float) ratio(history.memoryMaxPeak(), decayingPeak[mem] == null ? Double.NaN : decayingPeak[mem][t]);
      out[c++] = (float) history.cpuMaxPeak();
      out[c++] = (float) history.cpuSameInputMaxPeak();
      out[c++] = (float) ratio(history.cpuMaxPeak(), decayingPeak[cpu] == null ? Double.NaN : decayingPeak[cpu][t]);
      // what the earlier invocations with the same input used at this age, just ahead
      double memAhead = history.memorySameInputAhead(t, HISTORY_AHEAD);
      double cpuAhead = history.cpuSameInputAhead(t, HISTORY_AHEAD);
      out[c++] = (float) memAhead;
      out[c++] = (float) ratio(memAhead, decayingPeak[mem] == null ? Double.NaN : decayingPeak[mem][t]);
      out[c++] = (float) cpuAhead;
      out[c] = (float) ratio(cpuAhead, decayingPeak[cpu] == null ? Double.NaN : decayingPeak[cpu][t]);
    }

    private void resourceFeatures(double[] x, double[][] ewmas, double max, double dpeak, int t, float[] out,
        int c) {
      double level = x[t];
      out[c++] = (float) level;
      for (int lag : LAGS) {
        out[c++] = (float) (t - lag >= 0 ? x[t - lag] : Double.NaN);
      }
      out[c++] = (float) (t >= 1 ? level - x[t - 1] : Double.NaN);
      // window[j] = x[t - MAX_WINDOW + 1 + j]; the last k entries are the window of length k ending at t
      int have = Math.min(MAX_WINDOW, t + 1);
      Arrays.fill(window, 0, MAX_WINDOW - have, Double.NaN);
      System.arraycopy(x, t - have + 1, window, MAX_WINDOW - have, have);
      for (int k : SLOPE_WINDOWS) {
        out[c++] = (float) slope(window, MAX_WINDOW - k);
      }
      suffixMax(window, PEAK_WINDOWS, peaks);
      for (double p : peaks) {
        out[c++] = (float) p;
      }
      for (int k : PEAK_WINDOWS) {
        out[c++] = (float) p90(window, MAX_WINDOW - k, sorted);
      }
      for (int k : MEAN_WINDOWS) {
        out[c++] = (float) mean(window, MAX_WINDOW - k);
      }
      for (double[] e : ewmas) {
        out[c++] = (float) e[t];
      }
      out[c++] = (float) cv(window, MAX_WINDOW - CV_WINDOW);
      // scale-free: how the level stands against its own history, so one model serves series of any size
      double peak48 = peaks[PEAK48];
      out[c++] = (float) max;
      out[c++] = (float) dpeak;
      out[c++] = (float) ratio(max, level);
      out[c++] = (float) ratio(dpeak, level);
      out[c++] = (float) ratio(peak48, level);
      out[c++] = (float) ratio(meanAbsDiff(window, MAX_WINDOW - VOLATILITY_WINDOW), level);
      // seasonal: what the series did one period before the step being forecast
      for (int k = 0; k < SEASONS.length; k++) {
        double ago = seasonAgo(x, t, seasonSteps[k]);
        out[c++] = (float) ago;
        out[c++] = (float) ratio(ago, dpeak);
      }
    }
  }

  /**
   * The largest non-NaN value of {@code x} over the steps {@code t + 1 - p - SEASON_HALF_WIDTH .. t + 1 - p +
   * SEASON_HALF_WIDTH}, cut to {@code 0 .. t}: the next step, one period of {@code p} steps earlier; NaN when
   * {@code p} is 0 (no such season) or nothing is left.
   */
  static double seasonAgo(double[] x, int t, int p) {
    if (p == 0) {
      return Double.NaN;
    }
    int from = Math.max(0, t + 1 - p - SEASON_HALF_WIDTH);
    int to = Math.min(t, t + 1 - p + SEASON_HALF_WIDTH);
    double m = Double.NaN;
    for (int i = from; i <= to; i++) {
      if (!Double.isNaN(x[i]) && (Double.isNaN(m) || x[i] > m)) {
        m = x[i];
      }
    }
    return m;
  }

  /** {@code a / b}; NaN when either is NaN or {@code b <= 0}. */
  static double ratio(double a, double b) {
    return b > 0 && !Double.isNaN(a) ? a / b : Double.NaN;
  }

  /** The largest non-NaN value up to each step; NaN before the first. */
  static double[] maxSoFar(double[] x, int n) {
    double[] out = new double[n];
    double m = Double.NaN;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(x[i]) && (Double.isNaN(m) || x[i] > m)) {
        m = x[i];
      }
      out[i] = m;
    }
    return out;
  }

  /**
   * A peak that fades: {@code d[t] = max(x[t], d[t-1] · 2^(-1/halfLife))}, carried over NaNs (and decaying through
   * them); NaN before the first value.
   */
  static double[] decayingPeak(double[] x, int halfLifeSteps, int n) {
    double decay = Math.pow(2, -1.0 / halfLifeSteps);
    double[] out = new double[n];
    double d = Double.NaN;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(d)) {
        d *= decay;
      }
      if (!Double.isNaN(x[i]) && (Double.isNaN(d) || x[i] > d)) {
        d = x[i];
      }
      out[i] = d;
    }
    return out;
  }

  /** Mean of |w[i] - w[i-1]| over consecutive non-NaN pairs of {@code w[from..]}; NaN without a pair. */
  static double meanAbsDiff(double[] w, int from) {
    double sum = 0;
    int m = 0;
    for (int i = from + 1; i < w.length; i++) {
      if (!Double.isNaN(w[i]) && !Double.isNaN(w[i - 1])) {
        sum += Math.abs(w[i] - w[i - 1]);
        m++;
      }
    }
    return m == 0 ? Double.NaN : sum / m;
  }

  /** EWMA with {@code alpha = 1 - 2^(-1/halfLife)}, started at the first value, carried over {@code NaN}s. */
  static double[] ewma(double[] x, int halfLifeSteps, int n) {
    double alpha = 1 - Math.pow(2, -1.0 / halfLifeSteps);
    double[] out = new double[n];
    double e = Double.NaN;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(x[i])) {
        e = Double.isNaN(e) ? x[i] : alpha * x[i] + (1 - alpha) * e;
      }
      out[i] = e;
    }
    return out;
  }

  /** Least-squares slope (per step) of the non-NaN points of {@code w[from..]}; NaN with fewer than 2 points. */
  static double slope(double[] w, int from) {
    int m = 0;
    double sumI = 0;
    double sumX = 0;
    for (int i = from; i < w.length; i++) {
      if (!Double.isNaN(w[i])) {
        m++;
        sumI += i;
        sumX += w[i];
      }
    }
    if (m < 2) {
      return Double.NaN;
    }
    double meanI = sumI / m;
    double meanX = sumX / m;
    double num = 0;
    double den = 0;
    for (int i = from; i < w.length; i++) {
      if (!Double.isNaN(w[i])) {
        num += (i - meanI) * (w[i] - meanX);
        den += (i - meanI) * (i - meanI);
      }
    }
    return num / den;
  }

  static double max(double[] w, int from) {
    double m = Double.NaN;
    for (int i = from; i < w.length; i++) {
      if (!Double.isNaN(w[i]) && (Double.isNaN(m) || w[i] > m)) {
        m = w[i];
      }
    }
    return m;
  }

  /**
   * The {@link #max} of each window of {@code w} ending at its last slot, {@code out[j]} of the last {@code lengths[j]}
   * slots (ascending lengths, at most {@code w.length}), in one pass from the end. Among equal values it keeps the
   * earliest, as {@link #max} does, so the results are the same values bit for bit.
   */
  static void suffixMax(double[] w, int[] lengths, double[] out) {
    double m = Double.NaN;
    int j = 0;
    for (int i = w.length - 1; j < lengths.length; i--) {
      if (!Double.isNaN(w[i]) && (Double.isNaN(m) || w[i] >= m)) {
        m = w[i];
      }
      while (j < lengths.length && i == w.length - lengths[j]) {
        out[j++] = m;
      }
    }
  }

  /** {@code Double.compare(a, b) > 0} for non-NaN values, without its bit checks in the common case. */
  private static boolean above(double a, double b) {
    return a > b || a == b && a == 0 && Double.doubleToRawLongBits(a) == 0 && Double.doubleToRawLongBits(b) != 0;
  }

  static double mean(double[] w, int from) {
    int m = 0;
    double sum = 0;
    for (int i = from; i < w.length; i++) {
      if (!Double.isNaN(w[i])) {
        m++;
        sum += w[i];
      }
    }
    return m == 0 ? Double.NaN : sum / m;
  }

  /**
   * 90th percentile, linear between order statistics at rank {@code 0.9 * (m - 1)} of the m non-NaN values.
   *
   * <p>Only the top {@code m - lo} values are needed (at most 6 of 48), so they are selected in one pass into
   * {@code scratch}, largest first, in the order {@link Arrays#sort(double[])} gives ({@link Double#compare}, so
   * {@code -0.0} ranks below {@code 0.0}); the result is the same as sorting the whole window, bit for bit.
   */
  static double p90(double[] w, int from, double[] scratch) {
    int m = 0;
    for (int i = from; i < w.length; i++) {
      if (!Double.isNaN(w[i])) {
        m++;
      }
    }
    if (m == 0) {
      return Double.NaN;
    }
    double pos = 0.9 * (m - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, m - 1);
    int keep = m - lo; // ranks lo .. m-1, i.e. the keep largest; scratch[0] is the largest
    int have = 0;
    for (int i = from; i < w.length; i++) {
      double v = w[i];
      if (Double.isNaN(v)) {
        continue;
      }
      if (have == keep && !above(v, scratch[keep - 1])) {
        continue;
      }
      int j = have < keep ? have++ : keep - 1;
      while (j > 0 && above(v, scratch[j - 1])) {
        scratch[j] = scratch[j - 1];
        j--;
      }
      scratch[j] = v;
    }
    double atLo = scratch[m - 1 - lo];
    double atHi = scratch[m - 1 - hi];
    return atLo + (pos - lo) * (atHi - atLo);
  }

  /** Population standard deviation over |mean| of the non-NaN values; NaN with fewer than 2 or a zero mean. */
  static double cv(double[] w, int from) {
    int m = 0;
    double sum = 0;
    for (int i = from; i < w.length; i++) {
      if (!Double.isNaN(w[i])) {
        m++;
        sum += w[i];
      }
    }
    if (m < 2 || sum == 0) {
      return Double.NaN;
    }
    double mean = sum / m;
    double ss = 0;
    for (int i = from; i < w.length; i++) {
      if (!Double.isNaN(w[i])) {
        ss += (w[i] - mean) * (w[i] - mean);
      }
    }
    return Math.sqrt(ss / m) / Math.abs(mean);
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new IllegalStateException(v + " is not in " + Arrays.toString(a));
  }

  private static String[] perResourceNames() {
    List<String> n = new ArrayList<>();
    n.add("level");
    for (int lag : LAGS) {
      n.add("lag" + lag);
    }
    n.add("diff1");
    for (int k : SLOPE_WINDOWS) {
      n.add("slope" + k);
    }
    for (int k : PEAK_WINDOWS) {
      n.add("peak" + k);
    }
    for (int k : PEAK_WINDOWS) {
      n.add("p90_" + k);
    }
    for (int k : MEAN_WINDOWS) {
      n.add("mean" + k);
    }
    for (int h : EWMA_HALF_LIVES) {
      n.add("ewma_hl" + h);
    }
    n.add("cv" + CV_WINDOW);
    n.add("max_so_far");
    n.add("dpeak_hl" + DECAYING_PEAK_HALF_LIFE);
    n.add("max_so_far_to_level");
    n.add("dpeak_to_level");
    n.add("peak48_to_level");
    n.add("volatility" + VOLATILITY_WINDOW + "_to_level");
    for (String season : SEASON_NAMES) {
      n.add(season + "_ago_peak");
      n.add(season + "_ago_peak_to_dpeak");
    }
    return n.toArray(String[]::new);
  }

  private static FeatureSchema buildSchema() {
    List<String> names = new ArrayList<>();
    for (Resource r : RESOURCES) {
      for (String f : PER_RESOURCE) {
        names.add(r.name().toLowerCase(java.util.Locale.ROOT) + "." + f);
      }
    }
    names.add("steps_since_start");
    names.add("step_seconds");
    names.add("input_size");
    names.add("history_runs");
    names.add("memory.history_max_peak");
    names.add("memory.history_same_input_max_peak");
    names.add("memory.history_max_peak_to_dpeak");
    names.add("cpu.history_max_peak");
    names.add("cpu.history_same_input_max_peak");
    names.add("cpu.history_max_peak_to_dpeak");
    names.add("memory.history_same_input_ahead" + HISTORY_AHEAD);
    names.add("memory.history_same_input_ahead" + HISTORY_AHEAD + "_to_dpeak");
    names.add("cpu.history_same_input_ahead" + HISTORY_AHEAD);
    names.add("cpu.history_same_input_ahead" + HISTORY_AHEAD + "_to_dpeak");
    return new FeatureSchema(5, names);
  }
}
