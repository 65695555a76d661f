package dev.presize.trainer.evaluate;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.QuantileRecommender;
import dev.presize.trainer.baseline.Recommender;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.InvocationHistory;
import dev.presize.trainer.features.Target;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.Calibration;
import dev.presize.trainer.train.PresizeModel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Presize as a sizing method in a {@link Replay}: at step {@code i} it allocates the model's {@link Calibration
 * calibrated} allocation of the forecast made from the features at step {@code i - 1}, and reports the forecast's
 * quantiles, as the model {@link PresizeModel#reported reports} them, for scoring. At step 0 there is nothing to
 * forecast from, so it answers {@code NaN} (the replay's fallback).
 *
 * <p><b>Causality.</b> For speed, a recommender computes the features of every step of its series when it is
 * created and forecasts them in one XGBoost batch; the allocation for step {@code i} still reads only the row of step
 * {@code i - 1}, whose features read steps {@code <= i - 1} only ({@link FeatureExtractor}). This is the same as
 * deciding online, which {@code PresizeMethodTest} checks by changing a series after a step and comparing.
 */
public final class PresizeMethod implements RecommenderFactory {

  /** The method's name in evaluation results. */
  public static final String NAME = "presize";

  private final PresizeModel model;
  private final String name;
  private final double operatingPoint;
  private final FeatureExtractor extractor = FeatureExtractor.standard();
  /** The forecasts of the last series, shared by the methods made with {@link #at}: one batch per series. */
  private final Cache cache;

  private static final class Cache {
    Series series;
    Map<Resource, double[][]> forecasts;
    /** The same, as reported ({@link PresizeModel#reported}): what the quantiles are scored on. */
    Map<Resource, double[][]> reported;
    /**
     * The invocations known ({@link #withHistory}) and replayed so far: a later invocation of the same function sees
     * those that ended before it started as its history.
     */
    final InvocationHistory history = new InvocationHistory();
  }

  /** The method forecasting with {@code model} at its default calibration; the caller closes the model. */
  public PresizeMethod(PresizeModel model) {
    this(model, NAME, Double.NaN, new Cache());
  }

  private PresizeMethod(PresizeModel model, String name, double operatingPoint, Cache cache) {
    this.model = Objects.requireNonNull(model, "model");
    this.name = name;
    this.operatingPoint = operatingPoint;
    this.cache = cache;
  }

  /**
   * The same model, with {@code invocations} known as past invocations: a replayed series' history is every known or
   * replayed invocation of its function that ended before it started, as {@link
   * dev.presize.trainer.features.WindowBuilder} computes it for training (all the series read, the model's
   * training series included: in production they are the function's earlier invocations). Without it, only the
   * series replayed earlier are history.
   */
  public PresizeMethod withHistory(java.util.Collection<Series> invocations) {
    Cache c = new Cache();
    for (Series s : invocations) {
      c.history.add(s);
    }
    return new PresizeMethod(model, name, operatingPoint, c);
  }

  /** The history {@code s} would be forecast with now (for tests). */
  InvocationHistory.Stats history(Series s) {
    synchronized (cache) {
      return cache.history.before(s);
    }
  }

  /**
   * The same model calibrated to the under-provisioned share {@code targetUnder} (one of the model's operating
   * points) for every resource, named e.g. {@code presize@0.5%}; it shares this method's forecasts.
   */
  public PresizeMethod at(double targetUnder) {
    String label = new java.math.BigDecimal(Double.toString(targetUnder * 100)).stripTrailingZeros()
        .toPlainString();
    return new PresizeMethod(model, NAME + "@" + label + "%", targetUnder, cache);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Recommender create(Series series) {
    Map<Resource, Calibration> calibrations = new EnumMap<>(Resource.class);
    for (Target target : model.targets()) {
      if (series.has(target.resource())) {
        calibrations.put(target.resource(), model.calibration(target, operatingPoint));
      }
    }
    Map<Resource, double[][]> forecasts;
    Map<Resource, double[][]> reported;
    synchronized (cache) {
      if (cache.series != series) {
        cache.series = series;
        cache.forecasts = forecasts(series, cache.history.before(series));
        cache.reported = new EnumMap<>(Resource.class);
        for (Target target : model.targets()) {
          double[][] raw = cache.forecasts.get(target.resource());
          if (raw != null) {
            double[][] r = new double[raw.length][];
            for (int i = 0; i < raw.length; i++) {
              r[i] = model.reported(target, raw[i]);
            }
            cache.reported.put(target.resource(), r);
          }
        }
        cache.history.add(series); // used only by invocations that start after this one ends
      }
      forecasts = cache.forecasts;
      reported = cache.reported;
    }
    return new Forecasts(series, name, forecasts, reported, calibrations, model.quantiles(),
        model.quantiles().indexOf(model.allocationQuantile()));
  }

  private Map<Resource, double[][]> forecasts(Series series, InvocationHistory.Stats history) {
    int n = series.length();
    int width = extractor.width();
    float[] features = new float[Math.multiplyExact(n, width)];
    FeatureExtractor.Prepared prepared = extractor.prepare(series, history);
    float[] row = new float[width];
    for (int t = 0; t < n; t++) {
      prepared.extract(t, row);
      System.arraycopy(row, 0, features, t * width, width);
    }
    Map<Resource, double[][]> forecasts = new EnumMap<>(Resource.class);
    for (Target target : model.targets()) {
      if (series.has(target.resource())) {
        forecasts.put(target.resource(), model.forecast(target, features, n, width));
      }
    }
    return forecasts;
  }

  /** The recommender of one series: forecasts precomputed per step, read one step late. */
  private static final class Forecasts implements QuantileRecommender {
    private final Series series;
    private final String name;
    private final Map<Resource, double[][]> forecasts;
    private final Map<Resource, double[][]> reported;
    private final Map<Resource, Calibration> calibrations;
    private final List<Double> quantiles;
    private final int allocIndex;
    private final Map<Resource, Integer> lastStep = new EnumMap<>(Resource.class);

    Forecasts(Series series, String name, Map<Resource, double[][]> forecasts, Map<Resource, double[][]> reported,
        Map<Resource, Calibration> calibrations, List<Double> quantiles, int allocIndex) {
      this.series = series;
      this.name = name;
      this.forecasts = forecasts;
      this.reported = reported;
      this.calibrations = calibrations;
      this.quantiles = quantiles;
      this.allocIndex = allocIndex;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void observe(Resource resource, long timeMillis, double value) {
      // the forecasts were computed from the series' own past when created; nothing to learn online here
    }

    @Override
    public double recommend(Resource resource, long timeMillis) {
      int i = stepOf(timeMillis);
      lastStep.put(resource, i);
      double[][] f = forecasts.get(resource);
      if (f == null || i < 1) {
        return Double.NaN;
      }
      double q = f[i - 1][allocIndex];
      int median = Math.max(0, quantiles.indexOf(0.5));
      return Double.isNaN(q) ? Double.NaN : calibrations.get(resource).allocate(q, f[i - 1][median]);
    }

    @Override
    public double quantile(Resource resource, double q) {
      Integer i = lastStep.get(resource);
      double[][] f = reported.get(resource);
      int k = quantiles.indexOf(q);
      if (i == null || f == null || i < 1 || k < 0) {
        return Double.NaN;
      }
      return f[i - 1][k];
    }

    private int stepOf(long timeMillis) {
      long stepMillis = series.step().toMillis();
      long i = Math.floorDiv(timeMillis - series.endMillis(0), stepMillis);
      if (i < 0 || i >= series.length() || series.endMillis((int) i) != timeMillis) {
        throw new IllegalArgumentException("time " + timeMillis + " is not the end of a step of series "
            + series.id());
      }
      return (int) i;
    }
  }
}
