package dev.presize.trainer.features;

import dev.presize.trainer.model.Series;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A builder of {@link Windows} from series: a row at every {@code strideSteps}-th step {@code t} (from step 0) whose
 * horizon {@code (t, t+H]} lies inside the series, with the features at {@code t} and the targets over the horizon.
 *
 * <p>Rows whose targets are all {@code NaN} are dropped. Nothing after step {@code t} reaches the features; the
 * targets read steps {@code t+1 .. t+H} only. For our traces at a 100 ms step, {@code H = 10} is one second; for
 * the public traces at 5 minutes, {@code H = 1} or {@code 3}.
 *
 * @param extractor the features
 * @param horizonSteps H, the number of steps the targets aggregate, at least 1
 * @param strideSteps the distance in steps between consecutive rows of a series, at least 1
 */
public record WindowBuilder(FeatureExtractor extractor, int horizonSteps, int strideSteps) {

  public WindowBuilder {
    Objects.requireNonNull(extractor, "extractor");
    if (horizonSteps < 1) {
      throw new IllegalArgumentException("horizonSteps must be >= 1, was " + horizonSteps);
    }
    if (strideSteps < 1) {
      throw new IllegalArgumentException("strideSteps must be >= 1, was " + strideSteps);
    }
  }

  /**
   * The windows of every series, series after series. Series are featurized in parallel (the common pool); the
   * rows come out in series order whatever the parallelism.
   */
  public Windows build(List<Series> series) {
    Map<Series, InvocationHistory.Stats> history = InvocationHistory.of(series);
    List<Windows> parts = series.parallelStream().map(s -> buildOne(s, history.get(s))).toList();
    return parts.size() == 1 ? parts.get(0) : Windows.concat(extractor.schema(), horizonSteps, parts);
  }

  private Windows buildOne(Series s, InvocationHistory.Stats history) {
    int capacity = Math.max(1, (s.length() - horizonSteps + strideSteps - 1) / strideSteps);
    Windows.Builder out = new Windows.Builder(extractor.schema(), horizonSteps, capacity);
    float[] row = new float[extractor.width()];
    Target[] targets = Target.values();
    float[] targetRow = new float[targets.length];
    FeatureExtractor.Prepared prepared = extractor.prepare(s, history);
    double[][] values = targetValues(s);
    for (int t = 0; t + horizonSteps < s.length(); t += strideSteps) {
      boolean any = false;
      for (Target target : targets) {
        double[] x = values[target.ordinal()];
        double v = x == null ? Double.NaN : target.over(x, t, horizonSteps);
        targetRow[target.ordinal()] = (float) v;
        any |= !Double.isNaN(v);
      }
      if (!any) {
        continue;
      }
      prepared.extract(t, row);
      out.add(row, 0, targetRow, 0, s.id(), t, s.endMillis(t), s.endMillis(t + horizonSteps));
    }
    return out.build();
  }

  /**
   * The number of rows {@link #build} makes of {@code s}, without computing their features: the steps whose horizon
   * lies inside the series and has at least one target.
   */
  public int rowCount(Series s) {
    Target[] targets = Target.values();
    double[][] values = targetValues(s);
    int n = 0;
    for (int t = 0; t + horizonSteps < s.length(); t += strideSteps) {
      for (Target target : targets) {
        double[] x = values[target.ordinal()];
        if (x != null && !Double.isNaN(target.over(x, t, horizonSteps))) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** Each target's resource values in {@code s} by target ordinal; null where the series lacks the resource. */
  private static double[][] targetValues(Series s) {
    Target[] targets = Target.values();
    double[][] values = new double[targets.length][];
    for (Target target : targets) {
      values[target.ordinal()] = s.has(target.resource()) ? s.values(target.resource()) : null;
    }
    return values;
  }

  /** The windows of one series. */
  public Windows build(Series series) {
    return build(List.of(series));
  }
}
