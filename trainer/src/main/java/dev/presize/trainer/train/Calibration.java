package dev.presize.trainer.train;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a target's forecast becomes an allocation, fitted on the validation split to a target share of
 * under-provisioned windows: the rule of the two below whose mean validation slack is lower.
 *
 * <ul>
 *   <li>{@code scale}: {@code a = q · f} ({@code f > 0}) with {@code q} the allocation quantile;
 *   <li>{@code spread}: {@code a = q50 + k · (q − q50)} ({@code k >= 0}; {@code k = 1} is {@code q} itself): the
 *       margin above the median grows with the forecast's own uncertainty, so a steady series pays little and a
 *       jumpy one much.
 * </ul>
 *
 * For each rule the parameter is the smallest that leaves at most {@code targetUnderProvisioned} of the validation
 * windows above the allocation. When that share allows fewer than {@link #MIN_EXCEEDANCES} windows above (a small
 * validation set, or a small share), the empirical quantile of the needed parameters is the largest few of them and
 * says little about the next window; the parameter is then extrapolated from the tail instead (peaks over a
 * threshold with an exponential tail in log space: the {@link #TAIL_WINDOWS} largest needs give the threshold
 * {@code u} and the mean log excess {@code s} above it, and the parameter is {@code u · (p_u / share)^s} with
 * {@code p_u} the share of windows above {@code u}), and never below the empirical one.
 *
 * @param rule {@code scale} or {@code spread}
 * @param parameter {@code f} or {@code k}
 * @param underProvisioned the share of validation windows above the calibrated allocation
 * @param slack the mean over validation windows of {@code (a − y) / a}, clipped to [0, 1]
 */
public record Calibration(String rule, double parameter, double underProvisioned, double slack) {

  public Calibration {
    Objects.requireNonNull(rule, "rule");
    if (rule.equals("scale") ? !(parameter > 0) : rule.equals("spread") ? !(parameter >= 0) : true) {
      throw new IllegalArgumentException("calibration rule '" + rule + "' with parameter " + parameter
          + " is not valid: scale needs a factor > 0, spread a k >= 0");
    }
    if (!Double.isFinite(parameter)) {
      throw new IllegalArgumentException("calibration parameter must be finite, was " + parameter);
    }
  }

  /** Below this many validation windows allowed above the allocation, the parameter is extrapolated from the tail. */
  public static final int MIN_EXCEEDANCES = 10;
  /** How many of the largest needed parameters the tail extrapolation is fitted on. */
  public static final int TAIL_WINDOWS = 20;

  /** The identity calibration: the allocation quantile as is. */
  public static Calibration none() {
    return new Calibration("scale", 1, Double.NaN, Double.NaN);
  }

  /** The allocation for forecast quantile {@code q} (the allocation quantile) and median {@code q50}. */
  public double allocate(double q, double q50) {
    return rule.equals("scale") ? q * parameter : q50 + parameter * Math.max(0, q - q50);
  }

  /**
   * The spread factor {@code k} that makes {@code q50 + k · (q − q50)} cover {@code quantile} of the {@code n}
   * validation windows ({@code actual} at or below it): conformalized quantile regression, so a reported quantile
   * holds its nominal coverage on the validation split; 1 (the forecast as is) when no finite factor does.
   */
  public static double coverageSpread(double[] actual, double[] q, double[] q50, int n, double quantile) {
    if (n == 0) {
      return 1;
    }
    double[] need = new double[n];
    for (int i = 0; i < n; i++) {
      double spread = Math.max(0, q[i] - q50[i]);
      double y = actual[i];
      need[i] = y <= q50[i] ? 0 : spread > 0 ? (y - q50[i]) / spread : Double.POSITIVE_INFINITY;
    }
    Arrays.sort(need);
    double k = need[Math.max(0, Math.min(n - 1, (int) Math.ceil(quantile * n) - 1))];
    return Double.isFinite(k) ? k : 1;
  }

  /**
   * Fits both rules to {@code n} validation windows ({@code actual}, allocation quantile {@code q}, median
   * {@code q50}) and returns the one with the lower slack.
   */
  public static Calibration fit(double[] actual, double[] q, double[] q50, int n, double targetUnder) {
    if (n == 0) {
      return none();
    }
    int allowed = (int) Math.floor(targetUnder * n);
    double[] needScale = new double[n];
    double[] needSpread = new double[n];
    for (int i = 0; i < n; i++) {
      double y = actual[i];
      double a = q[i];
      needScale[i] = a > 0 ? y / a : y > 0 ? Double.POSITIVE_INFINITY : 0;
      double spread = Math.max(0, a - q50[i]);
      needSpread[i] = y <= q50[i] ? 0 : spread > 0 ? (y - q50[i]) / spread : Double.POSITIVE_INFINITY;
    }
    Calibration scale = evaluate("scale", smallest(needScale, allowed, targetUnder, Double.MIN_VALUE), actual, q,
        q50, n);
    Calibration spread = evaluate("spread", smallest(needSpread, allowed, targetUnder, 0), actual, q, q50, n);
    if (scale == null) {
      return spread == null ? none() : spread;
    }
    if (spread == null) {
      return scale;
    }
    return spread.slack < scale.slack ? spread : scale;
  }

  /**
   * The smallest parameter with at most {@code allowed} needs above it, or its tail extrapolation at {@code share}
   * when {@code allowed < MIN_EXCEEDANCES}; NaN when that would be infinite.
   */
  private static double smallest(double[] need, int allowed, double share, double floor) {
    double[] sorted = need.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double p = sorted[n - 1 - Math.min(allowed, n - 1)];
    if (!Double.isFinite(p)) {
      return Double.NaN;
    }
    if (allowed < MIN_EXCEEDANCES) {
      p = Math.max(p, tail(sorted, share));
    }
    return Math.max(floor, p);
  }

  /**
   * The {@code 1 - share} quantile of the values {@code sorted} (ascending) extrapolated with an exponential tail in
   * log space over the {@link #TAIL_WINDOWS} largest; NaN when they are not all positive and finite, or too few.
   */
  static double tail(double[] sorted, double share) {
    int n = sorted.length;
    int k = Math.min(TAIL_WINDOWS, n / 2);
    if (k < 2 || !(share > 0)) {
      return Double.NaN;
    }
    double u = sorted[n - k];
    if (!(u > 0) || !Double.isFinite(sorted[n - 1])) {
      return Double.NaN;
    }
    double excess = 0;
    for (int i = n - k + 1; i < n; i++) {
      excess += Math.log(sorted[i] / u);
    }
    double s = excess / (k - 1);
    double pu = (double) k / n;
    return pu <= share ? u : u * Math.exp(s * Math.log(pu / share));
  }

  private static Calibration evaluate(String rule, double parameter, double[] actual, double[] q, double[] q50,
      int n) {
    if (Double.isNaN(parameter)) {
      return null;
    }
    Calibration c = new Calibration(rule, parameter, 0, 0);
    long above = 0;
    double slack = 0;
    for (int i = 0; i < n; i++) {
      double a = c.allocate(q[i], q50[i]);
      double y = actual[i];
      above += y > a ? 1 : 0;
      slack += a > 0 ? Math.min(1, Math.max(0, (a - y) / a)) : 0;
    }
    return new Calibration(rule, parameter, (double) above / n, slack / n);
  }
}
