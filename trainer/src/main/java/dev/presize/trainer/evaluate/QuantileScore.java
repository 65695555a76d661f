package dev.presize.trainer.evaluate;

/**
 * Scores of a quantile forecast against what happened: the pinball (quantile) loss and coverage.
 *
 * <p>For a quantile {@code q} in (0, 1), forecast {@code f} and actual {@code y}, the pinball loss is
 * {@code q * (y - f)} when {@code y >= f} and {@code (1 - q) * (f - y)} otherwise; its expectation is minimal when
 * {@code f} is the true {@code q}-quantile. Coverage is the share of steps with {@code y <= f}; a well calibrated
 * p90 forecast covers about 90% of them.
 */
public final class QuantileScore {

  private QuantileScore() {
  }

  /** The pinball loss of forecasting {@code forecast} as the {@code q}-quantile when {@code actual} happened. */
  public static double pinball(double q, double forecast, double actual) {
    checkQuantile(q);
    double diff = actual - forecast;
    return diff >= 0 ? q * diff : (q - 1) * diff;
  }

  /** Whether {@code forecast} covers {@code actual}: {@code actual <= forecast}. */
  public static boolean covers(double forecast, double actual) {
    return actual <= forecast;
  }

  /**
   * The mean pinball loss of {@code forecasts} as {@code q}-quantiles of {@code actuals}, over the pairs where both
   * are numbers; {@code NaN} when there is none.
   */
  public static double meanPinball(double q, double[] forecasts, double[] actuals) {
    checkLengths(forecasts, actuals);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < forecasts.length; i++) {
      if (!Double.isNaN(forecasts[i]) && !Double.isNaN(actuals[i])) {
        sum += pinball(q, forecasts[i], actuals[i]);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * The share of pairs where the forecast covers the actual, over the pairs where both are numbers; {@code NaN} when
   * there is none.
   */
  public static double coverage(double[] forecasts, double[] actuals) {
    checkLengths(forecasts, actuals);
    int covered = 0;
    int n = 0;
    for (int i = 0; i < forecasts.length; i++) {
      if (!Double.isNaN(forecasts[i]) && !Double.isNaN(actuals[i])) {
        if (covers(forecasts[i], actuals[i])) {
          covered++;
        }
        n++;
      }
    }
    return n == 0 ? Double.NaN : (double) covered / n;
  }

  static void checkQuantile(double q) {
    if (!(q > 0 && q < 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1), was " + q);
    }
  }

  private static void checkLengths(double[] forecasts, double[] actuals) {
    if (forecasts.length != actuals.length) {
      throw new IllegalArgumentException("forecasts has " + forecasts.length + " values, actuals "
          + actuals.length);
    }
  }
}
