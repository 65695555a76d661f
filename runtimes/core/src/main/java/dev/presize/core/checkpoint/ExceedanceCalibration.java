package dev.presize.core.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Calibrates the exceedance probability read off a forecast ({@link ExceedanceModel}) against what actually
 * happened, learned online from outcomes.
 *
 * <p>Why: three quantiles define the forecast's distribution only roughly. Where the need sits on a plateau at the
 * available amount, the interpolated CDF says {@code P = 0.5} while the need almost never steps over; where the
 * forecast has no tail it says {@code P = 0} while the need still jumps now and then. A checkpoint schedule fed
 * with such probabilities checkpoints too often in the first case and too rarely in the second.
 *
 * <p>How: the raw probability falls into one of {@link #EDGES}' log-spaced bins. Each bin counts its forecasts
 * {@code n} and how many of them were exceeded {@code k}, and holds the mean raw probability {@code m} of its
 * forecasts. Its rate is the posterior mean {@code (k + a·prior(m)) / (n + a)}, the prior being the raw
 * probability {@code m} itself (or the parent's calibration of it, below): with no outcomes the rate is the prior
 * (worth {@code a} outcomes), with many it is the observed rate. The rates are made non-decreasing across bins
 * (pool adjacent violators, weighted by {@code n + a}), and a raw probability is mapped by linear interpolation
 * between the bins' {@code (m, rate)} points (flat beyond the first and the last), so the mapping is monotone: a
 * wider forecast never gets a smaller probability. Counts are capped at {@code maxWeight} per bin (older outcomes
 * are scaled down), so the calibration follows a forecast that changes.
 *
 * <p>Contexts: the same raw probability means more where one recent jump of the need would carry it over the
 * available amount than where the need is far from it or has been flat ({@link #context}: the headroom over the
 * mean recent change, in log2 bins). Outcomes given a context count in that context's bins and in the bins without
 * context ({@link #NO_CONTEXT}); a context's bin takes the calibration without context (at the root; a child takes
 * its parent's in the same context) as its prior, so it says what that says until its own outcomes say otherwise.
 * A child's own counts without context (all of what a {@code /1} file held) are kept and saved, and calibrate
 * {@link #calibrate(double) without a context}, but do not inform its contexts.
 *
 * <p>Calibrations nest: a function's {@link #child()} takes the calibration pooled over every function the forecast
 * serves as its prior (instead of the raw probability), so a new function starts from what the forecast's errors were
 * elsewhere and moves to its own as outcomes come. An {@link #identity()} calibration maps every probability to
 * itself and learns nothing. Thread-safe: the invocations of a function share one.
 */
public final class ExceedanceCalibration {

  /** Bin edges of the raw probability: bin {@code b} is {@code [EDGES[b-1], EDGES[b])}, the last ends at 1. */
  static final double[] EDGES = {1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.2, 0.4, 0.7};

  /** The first line of a saved calibration; files of the first format (no contexts) are read as context 0. */
  static final String FORMAT = "presize-exceedance-calibration/2";
  static final String FORMAT_1 = "presize-exceedance-calibration/1";

  private static final int BINS = EDGES.length + 1;

  /** No context: every outcome counts here too, so context 0 is the calibration as it is without contexts. */
  public static final int NO_CONTEXT = 0;
  /** Contexts, {@link #NO_CONTEXT} included ({@link #context}). */
  public static final int CONTEXTS = 12;
  /** The recent steps whose mean absolute change of the need {@link #context} divides the headroom by. */
  public static final int CONTEXT_STEPS = 12;
  private static final int CELLS = CONTEXTS * BINS;

  private final boolean learning;
  private final ExceedanceCalibration parent;
  private final double priorWeight;
  private final double maxWeight;
  /** Counts by cell {@code context * BINS + bin}. */
  private final double[] n = new double[CELLS];
  private final double[] k = new double[CELLS];
  private final double[] rawSum = new double[CELLS];
  /** The counts as last read from or written to its file: what this calibration's own outcomes are added to. */
  private final double[] baseN = new double[CELLS];
  private final double[] baseK = new double[CELLS];
  private final double[] baseRawSum = new double[CELLS];

  /**
   * @param priorWeight {@code a}: how many outcomes the raw probability is worth, {@code > 0}
   * @param maxWeight the most outcomes a bin remembers, {@code > priorWeight}
   */
  public ExceedanceCalibration(double priorWeight, double maxWeight) {
    this(true, null, priorWeight, maxWeight);
  }

  private ExceedanceCalibration(boolean learning, ExceedanceCalibration parent, double priorWeight,
      double maxWeight) {
    if (!(priorWeight > 0) || Double.isInfinite(priorWeight)) {
      throw new IllegalArgumentException("priorWeight must be finite and > 0, was " + priorWeight);
    }
    if (!(maxWeight > priorWeight) || Double.isInfinite(maxWeight)) {
      throw new IllegalArgumentException("maxWeight must be finite and > priorWeight, was " + maxWeight);
    }
    this.learning = learning;
    this.parent = parent;
    this.priorWeight = priorWeight;
    this.maxWeight = maxWeight;
  }

  /** The defaults: a prior worth 20 outcomes, at most 20,000 remembered per bin. */
  public static ExceedanceCalibration defaults() {
    return new ExceedanceCalibration(20, 20_000);
  }

  /** A calibration that keeps every probability as it is and ignores outcomes. */
  public static ExceedanceCalibration identity() {
    return new ExceedanceCalibration(false, null, 1, 2);
  }

  /**
   * A calibration of one function whose prior is {@code parent} (the calibration pooled over every function the
   * same forecast serves) instead of the raw probability: a new function starts from what the forecast's errors
   * were elsewhere and moves to its own as its outcomes come. Its outcomes are fed to {@code parent} as well.
   */
  public ExceedanceCalibration child() {
    return new ExceedanceCalibration(learning, this, priorWeight, maxWeight);
  }

  /** The bin of a raw probability. */
  static int bin(double p) {
    int b = 0;
    while (b < EDGES.length && p >= EDGES[b]) {
      b++;
    }
    return b;
  }

  /**
   * The context of a decision: how many typical recent changes of the need fit into the headroom left,
   * {@code headroom / meanAbsChange} (the available amount less the need now, over the mean absolute step-to-step
   * change of the need lately), in log2 bins: below 1/4 (1), [1/4, 1/2) (2), [1/2, 1) (3), ... [32, 64) (9), 64 or
   * more (10), and 11 when the need has not moved at all lately. {@link #NO_CONTEXT} when either is unknown (NaN).
   * Where one recent jump would carry the need over, an exceedance is likelier than the forecast's P alone says; far
   * from the limit, less likely; the calibration learns by how much in each context.
   */
  public static int context(double headroom, double meanAbsChange) {
    if (Double.isNaN(headroom) || Double.isNaN(meanAbsChange)) {
      return NO_CONTEXT;
    }
    if (!(meanAbsChange > 0)) {
      return CONTEXTS - 1;
    }
    double r = headroom / meanAbsChange;
    if (!(r >= 0.25)) {
      return 1;
    }
    return (int) Math.min(CONTEXTS - 2, 2 + Math.floor(Math.log(r / 0.25) / Math.log(2)));
  }

  /** {@link #observe(double, int, boolean)} without a context. */
  public void observe(double rawProbability, boolean exceeded) {
    observe(rawProbability, NO_CONTEXT, exceeded);
  }

  /**
   * Records one outcome: a forecast said {@code rawProbability} in {@code context} ({@link #context}) and the need
   * did ({@code exceeded}) or did not exceed what was available over its horizon. It counts in its context and in
   * {@link #NO_CONTEXT}.
   */
  public synchronized void observe(double rawProbability, int context, boolean exceeded) {
    check(rawProbability);
    checkContext(context);
    if (!learning) {
      return;
    }
    if (parent != null) {
      parent.observe(rawProbability, context, exceeded);
    }
    int b = bin(rawProbability);
    add(b, rawProbability, exceeded);
    if (context != NO_CONTEXT) {
      add(context * BINS + b, rawProbability, exceeded);
    }
  }

  private void add(int cell, double rawProbability, boolean exceeded) {
    if (n[cell] + 1 > maxWeight) {
      double scale = (maxWeight - 1) / n[cell];
      n[cell] *= scale;
      k[cell] *= scale;
      rawSum[cell] *= scale;
    }
    n[cell]++;
    rawSum[cell] += rawProbability;
    if (exceeded) {
      k[cell]++;
    }
  }

  /** {@link #calibrate(double, int)} without a context. */
  public double calibrate(double rawProbability) {
    return calibrate(rawProbability, NO_CONTEXT);
  }

  /**
   * The calibrated probability of a raw one in {@code context}, in [0, 1]. A context's prior is the parent's
   * calibration in the same context, and at the root the calibration without context, so a context seen rarely
   * says what the calibration without it says.
   */
  public synchronized double calibrate(double rawProbability, int context) {
    check(rawProbability);
    checkContext(context);
    if (!learning) {
      return rawProbability;
    }
    return curve(context).at(rawProbability);
  }

  /** The (mean raw P, rate) points of the bins of one context, rates non-decreasing. */
  private record Curve(double[] m, double[] rate) {
    double at(double p) {
      if (p <= m[0]) {
        return rate[0];
      }
      for (int b = 1; b < BINS; b++) {
        if (p <= m[b]) {
          double f = m[b] == m[b - 1] ? 1 : (p - m[b - 1]) / (m[b] - m[b - 1]);
          return rate[b - 1] + f * (rate[b] - rate[b - 1]);
        }
      }
      return rate[BINS - 1];
    }
  }

  private synchronized Curve curve(int context) {
    // A child's context takes the pooled calibration in the same context as its prior, not its own counts without
    // context: measured on the three datasets, that pools what a context means across functions and did best on
    // Bitbrains (its own no-context curve instead, or the pooled context scaled by it, did 0.5-1.8 points worse).
    Curve prior = parent != null ? parent.curve(context) : context != NO_CONTEXT ? curve(NO_CONTEXT) : null;
    double[] m = new double[BINS];
    double[] rate = new double[BINS];
    double[] w = new double[BINS];
    for (int b = 0; b < BINS; b++) {
      int cell = context * BINS + b;
      m[b] = mean(context, b);
      double p = prior == null ? m[b] : prior.at(m[b]);
      rate[b] = (k[cell] + priorWeight * p) / (n[cell] + priorWeight);
      w[b] = n[cell] + priorWeight;
    }
    poolAdjacentViolators(rate, w);
    // (m, rate) points, m strictly increasing by construction of the bins (a bin's mean lies inside it).
    return new Curve(m, rate);
  }

  /** Outcomes observed (after the cap), over all bins. */
  public synchronized double observations() {
    double s = 0;
    for (int b = 0; b < BINS; b++) {
      s += n[b];
    }
    return s;
  }

  /**
   * A bin's representative raw probability in a context: the mean of its forecasts; with none yet, the parent's, or
   * else (at the root) the bin's without context, or else the bin's center.
   */
  private synchronized double mean(int context, int b) {
    int cell = context * BINS + b;
    if (n[cell] > 0) {
      return rawSum[cell] / n[cell];
    }
    if (parent != null) {
      return parent.mean(context, b);
    }
    return context != NO_CONTEXT ? mean(NO_CONTEXT, b) : center(b);
  }

  /** A bin's center when it has no forecasts yet: the geometric mean of its edges (0 for the first). */
  private static double center(int b) {
    if (b == 0) {
      return 0;
    }
    double lo = EDGES[b - 1];
    double hi = b < EDGES.length ? EDGES[b] : 1;
    return Math.sqrt(lo * hi);
  }

  /** Makes {@code v} non-decreasing, each pooled block the weighted mean of its values. */
  static void poolAdjacentViolators(double[] v, double[] w) {
    int len = v.length;
    double[] bv = new double[len];
    double[] bw = new double[len];
    int[] size = new int[len];
    int blocks = 0;
    for (int i = 0; i < len; i++) {
      bv[blocks] = v[i];
      bw[blocks] = w[i];
      size[blocks] = 1;
      blocks++;
      while (blocks > 1 && bv[blocks - 2] > bv[blocks - 1]) {
        double tw = bw[blocks - 2] + bw[blocks - 1];
        bv[blocks - 2] = (bv[blocks - 2] * bw[blocks - 2] + bv[blocks - 1] * bw[blocks - 1]) / tw;
        bw[blocks - 2] = tw;
        size[blocks - 2] += size[blocks - 1];
        blocks--;
      }
    }
    int at = 0;
    for (int b = 0; b < blocks; b++) {
      for (int j = 0; j < size[b]; j++) {
        v[at++] = bv[b];
      }
    }
  }

  private static void check(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1], was " + p);
    }
  }

  private static void checkContext(int context) {
    if (context < 0 || context >= CONTEXTS) {
      throw new IllegalArgumentException("context must be in [0, " + CONTEXTS + "), was " + context);
    }
  }

  /**
   * Writes this calibration's own learned counts (not its parent's) to {@code file} atomically (temp, fsync,
   * rename): one line per context and bin with outcomes, {@code context bin n k rawSum}, after a
   * {@code presize-exceedance-calibration/2} header line (a {@code /1} file, {@code bin n k rawSum} without contexts,
   * is read as context 0). Runs of the same functions may save the same file at
   * once: under an exclusive lock of {@code <file>.lock}, the file is read again and this calibration's counts since
   * it was loaded (or last saved) are added to what is there, so no run's outcomes are lost (with nobody else
   * writing, that is exactly this calibration's counts). A bin over the cap is scaled down to it.
   *
   * @throws IOException when the file cannot be written, or what is there now is not a calibration (left as it is)
   */
  public synchronized void save(Path file) throws IOException {
    LineFiles.locked(file, () -> {
      ExceedanceCalibration merged = new ExceedanceCalibration(priorWeight, maxWeight);
      read(file, merged);
      List<String> records = new ArrayList<>();
      for (int c = 0; c < CELLS; c++) {
        double bn = Math.max(0, merged.n[c] + n[c] - baseN[c]);
        double bk = Math.min(bn, Math.max(0, merged.k[c] + k[c] - baseK[c]));
        double bs = Math.min(bn, Math.max(0, merged.rawSum[c] + rawSum[c] - baseRawSum[c]));
        double scale = bn > maxWeight ? maxWeight / bn : 1;
        // bn * (maxWeight / bn) can round one ulp above the cap, which read() would refuse: clamp.
        merged.n[c] = Math.min(maxWeight, bn * scale);
        merged.k[c] = Math.min(merged.n[c], bk * scale);
        merged.rawSum[c] = Math.min(merged.n[c], bs * scale);
        if (merged.n[c] > 0) {
          records.add(String.format(Locale.ROOT, "%d %d %s %s %s", c / BINS, c % BINS, merged.n[c], merged.k[c],
              merged.rawSum[c]));
        }
      }
      LineFiles.write(file, FORMAT, records);
      // Written: what is in the file now is this calibration's state and the base of its later outcomes.
      System.arraycopy(merged.n, 0, n, 0, CELLS);
      System.arraycopy(merged.k, 0, k, 0, CELLS);
      System.arraycopy(merged.rawSum, 0, rawSum, 0, CELLS);
      rebase();
    });
  }

  /** The current counts become the base that later outcomes are counted from. */
  private void rebase() {
    System.arraycopy(n, 0, baseN, 0, CELLS);
    System.arraycopy(k, 0, baseK, 0, CELLS);
    System.arraycopy(rawSum, 0, baseRawSum, 0, CELLS);
  }

  /**
   * The defaults' calibration with the counts saved in {@code file}; a fresh one when the file does not exist.
   *
   * @throws IOException when the file cannot be read or is not a calibration (naming the line)
   */
  public static ExceedanceCalibration load(Path file) throws IOException {
    return read(file, defaults());
  }

  /**
   * A {@link #child()} of this calibration with the counts saved in {@code file} (its own, as {@link #save} wrote
   * them); a fresh child when the file does not exist.
   *
   * @throws IOException when the file cannot be read or is not a calibration (naming the line)
   */
  public ExceedanceCalibration loadChild(Path file) throws IOException {
    return read(file, child());
  }

  private static ExceedanceCalibration read(Path file, ExceedanceCalibration c) throws IOException {
    LineFiles.read(file, List.of(FORMAT, FORMAT_1), "an exceedance calibration", "context bin n k rawSum", f -> {
      if (f.length != 4 && f.length != 5) {
        throw new IllegalArgumentException("5 fields expected (4 in a " + FORMAT_1 + " file)");
      }
      int at = f.length - 4;
      int ctx = at == 0 ? NO_CONTEXT : Integer.parseInt(f[0]);
      int b = Integer.parseInt(f[at]);
      double bn = Double.parseDouble(f[at + 1]);
      double bk = Double.parseDouble(f[at + 2]);
      double bs = Double.parseDouble(f[at + 3]);
      // (a rounding ulp above the cap, as earlier saves could write, is taken as the cap)
      if (ctx < 0 || ctx >= CONTEXTS || b < 0 || b >= BINS || !(bn > 0 && bn <= c.maxWeight * (1 + 1e-12))
          || !(bk >= 0 && bk <= bn) || !(bs >= 0 && bs <= bn)) {
        throw new IllegalArgumentException("out of range");
      }
      int cell = ctx * BINS + b;
      c.n[cell] = Math.min(bn, c.maxWeight);
      c.k[cell] = Math.min(bk, c.n[cell]);
      c.rawSum[cell] = Math.min(bs, c.n[cell]);
    });
    c.rebase();
    return c;
  }
}
