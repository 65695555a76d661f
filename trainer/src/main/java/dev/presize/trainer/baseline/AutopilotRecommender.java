package dev.presize.trainer.baseline;

import dev.presize.spi.resources.Resource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A moving-window recommender in the style of Google Autopilot (Rzadca et al., EuroSys 2020), for every resource.
 *
 * <p>Variant implemented, per resource, updated at each observation:
 * <ol>
 *   <li>{@code peak} = the maximum value observed in the last {@link Config#peakWindow()} (a sliding window);</li>
 *   <li>{@code pj} = the {@link Config#percentile()} (default p98) of an exponentially decaying histogram of all values
 *       (half-life {@link Config#halfLife()}, VPA-style exponential buckets growing 5 %, end of bucket);</li>
 *   <li>{@code raw = max(peak, pj) * (1 + margin)};</li>
 *   <li>fast up, slow down: the allocation rises to {@code raw} at once, but falls by at most
 *       {@link Config#maxDecreasePerStep()} of itself per observation:
 *       {@code alloc = raw >= prev ? raw : max(raw, prev * (1 - maxDecreasePerStep))}.</li>
 * </ol>
 * {@link #recommend} returns that allocation (NaN before the first observation); it depends only on observations.
 * Time constants scale with the data as for the VPA ({@code timeScale = step / 5 min}, see {@link #factory()}); the
 * per-step decrease limit is already in steps.
 */
public final class AutopilotRecommender implements Recommender {

  /** The method's name. */
  public static final String NAME = "autopilot";

  /**
   * Parameters; the durations are for 5-minute data and are multiplied by {@code timeScale}.
   *
   * @param timeScale factor applied to the durations
   * @param halfLife histogram half-life (default 12 h)
   * @param peakWindow sliding window of the peak (default 1 h)
   * @param percentile histogram percentile (default 0.98)
   * @param margin safety margin (default 0.15)
   * @param maxDecreasePerStep the largest fraction the allocation falls per observation (default 0.02)
   */
  public record Config(double timeScale, Duration halfLife, Duration peakWindow, double percentile, double margin,
      double maxDecreasePerStep) {

    public Config {
      TimeScale.check(timeScale);
      Objects.requireNonNull(halfLife, "halfLife");
      Objects.requireNonNull(peakWindow, "peakWindow");
      if (halfLife.isZero() || halfLife.isNegative() || peakWindow.isNegative()) {
        throw new IllegalArgumentException("halfLife must be positive and peakWindow >= 0, were " + halfLife + ", "
            + peakWindow);
      }
      Margins.fraction("percentile", percentile);
      Margins.check(margin);
      if (!(maxDecreasePerStep >= 0 && maxDecreasePerStep <= 1)) {
        throw new IllegalArgumentException("maxDecreasePerStep must be in [0, 1], was " + maxDecreasePerStep);
      }
    }

    /** The defaults for 5-minute data. */
    public static Config defaults() {
      return new Config(1.0, Duration.ofHours(12), Duration.ofHours(1), 0.98, 0.15, 0.02);
    }

    /** The defaults scaled to a series at {@code step}. */
    public static Config forStep(Duration step) {
      Config d = defaults();
      return new Config(TimeScale.forStep(step), d.halfLife, d.peakWindow, d.percentile, d.margin,
          d.maxDecreasePerStep);
    }
  }

  private final Config config;
  private final long halfLifeMillis;
  private final long peakWindowMillis;
  private final Map<Resource, State> states = new EnumMap<>(Resource.class);

  /** An Autopilot-style recommender with {@code config}. */
  public AutopilotRecommender(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    this.halfLifeMillis = TimeScale.scaledMillis(config.halfLife(), config.timeScale());
    this.peakWindowMillis = Math.round(config.peakWindow().toMillis() * config.timeScale());
  }

  /** The factory scaling the defaults to each series' step. */
  public static RecommenderFactory factory() {
    return RecommenderFactory.of(NAME, series -> new AutopilotRecommender(Config.forStep(series.step())));
  }

  /** The factory with a fixed {@code config}. */
  public static RecommenderFactory factory(Config config) {
    Objects.requireNonNull(config, "config");
    return RecommenderFactory.of(NAME, series -> new AutopilotRecommender(config));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void observe(Resource resource, long timeMillis, double value) {
    if (Double.isNaN(value)) {
      return;
    }
    State s = states.computeIfAbsent(resource, r -> new State(new DecayingHistogram(bucketsFor(r), halfLifeMillis)));
    s.histogram.addSample(value, 1.0, timeMillis);
    // Sliding-window max: a deque of (time, value) with decreasing values.
    while (!s.windowValues.isEmpty() && s.windowValues.peekLast() <= value) {
      s.windowValues.pollLast();
      s.windowTimes.pollLast();
    }
    s.windowValues.addLast(value);
    s.windowTimes.addLast(timeMillis);
    while (s.windowTimes.peekFirst() <= timeMillis - peakWindowMillis && s.windowTimes.size() > 1) {
      s.windowTimes.pollFirst();
      s.windowValues.pollFirst();
    }
    double raw = Math.max(s.windowValues.peekFirst(), s.histogram.percentile(config.percentile()))
        * (1 + config.margin());
    if (Double.isNaN(s.allocation) || raw >= s.allocation) {
      s.allocation = raw;
    } else {
      s.allocation = Math.max(raw, s.allocation * (1 - config.maxDecreasePerStep()));
    }
  }

  @Override
  public double recommend(Resource resource, long timeMillis) {
    State s = states.get(resource);
    return s == null ? Double.NaN : s.allocation;
  }

  private static ExponentialBuckets bucketsFor(Resource r) {
    return switch (r) {
      case CPU -> ExponentialBuckets.VPA_CPU;
      case MEMORY -> ExponentialBuckets.VPA_MEMORY;
      default -> ExponentialBuckets.RATES;
    };
  }

  private static final class State {
    final DecayingHistogram histogram;
    final ArrayDeque<Double> windowValues = new ArrayDeque<>();
    final ArrayDeque<Long> windowTimes = new ArrayDeque<>();
    double allocation = Double.NaN;

    State(DecayingHistogram histogram) {
      this.histogram = histogram;
    }
  }
}
