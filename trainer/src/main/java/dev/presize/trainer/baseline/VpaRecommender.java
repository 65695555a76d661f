package dev.presize.trainer.baseline;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.Objects;

/**
 * The Kubernetes Vertical Pod Autoscaler's recommender, reimplemented faithfully for one container (the
 * {@code pkg/recommender} of kubernetes/autoscaler: {@code model/container.go}, {@code model/aggregate_container_state.go},
 * {@code logic/estimator.go}, {@code logic/recommender.go}).
 *
 * <ul>
 *   <li><b>CPU</b>: every sample (mean cores of a step) goes into a {@link DecayingHistogram} with VPA's CPU buckets
 *       (first bucket 0.01 cores, ratio 1.05, max 1000 cores) and half-life 24 h, weighted by
 *       {@code max(request, 0.1 cores)} as VPA does. The request in effect during a replayed step is the recommender's
 *       own current target (VPA in Auto mode applies its target as the request); before any CPU sample it is the
 *       series' provisioned CPU, else 0.1. With {@link Config#cpuWeightByRequest()} false every weight is 1.</li>
 *   <li><b>Memory</b>: one sample per aggregation interval (24 h): the peak of the interval. As in
 *       {@code container.go}, the running peak of the current interval is in the histogram (at the interval's end
 *       time); a higher value in the same interval subtracts the old peak and adds the new one; a sample at or past the
 *       interval's end opens the next interval. Buckets: first 1e7 bytes, ratio 1.05, max 1e12; half-life 24 h.</li>
 *   <li><b>OOM</b>: {@link #observeOom(long, double)} adds the artificial sample
 *       {@code max(used + 100 MiB, used * 1.2)} with {@code used = max(memory limit at the OOM, current interval's peak)},
 *       kept as the interval's OOM peak.</li>
 *   <li><b>Estimates</b>: target p90, lower bound p50, upper bound p95 of the histograms, each times 1.15 (safety
 *       margin); upper times {@code (1 + 1/d)}, lower times {@code (1 + 0.001/d)^-2} with {@code d} the confidence in
 *       days; then at least 25 millicores (0.025 cores) and 250 MiB. {@code d = min(lifespan, samples)}: lifespan is the
 *       time from the first to the last CPU sample in (scaled) days, samples is the CPU sample count times
 *       {@link Config#sampleInterval()} in (scaled) days. VPA hard-codes 1440 samples per day (metrics-server's 1-minute
 *       resolution); here each sample counts for one step, so a gap-free series has {@code d} = its lifespan. Series
 *       without CPU use their memory samples for {@code d}.</li>
 *   <li>Only CPU and MEMORY are sized (as in VPA); NETWORK and DISK get {@code NaN}. Before the first sample of a
 *       resource there is no recommendation ({@code NaN}), as in VPA.</li>
 * </ul>
 *
 * <p><b>Time scaling.</b> VPA's constants (24 h half-lives, 24 h memory aggregation interval, the day of the
 * confidence) were made for minutes-to-days data. With {@code timeScale = step / 5 min} (see {@link #factory()} and
 * {@link Config#forStep(Duration)}) every one of them is multiplied by {@code timeScale}, so it spans the same number
 * of steps as on 5-minute data: a half-life and an interval are 288 steps, a "day" of confidence is 288 steps. For 5-min
 * data (Bitbrains, Google) {@code timeScale = 1} and the constants are VPA's own; for our 10 ms traces the half-life and
 * the interval are 2.88 s. Values (cores, bytes, margins, minimums, OOM bump) are never scaled.
 */
public final class VpaRecommender implements Recommender {

  /** The method's name. */
  public static final String NAME = "vpa";
  static final double MIN_SAMPLE_WEIGHT = 0.1;
  static final double MIB = 1024.0 * 1024.0;

  /**
   * The VPA's parameters; {@link #defaults()} are VPA's own for 5-minute data.
   *
   * @param timeScale the factor applied to every time constant (1 for 5-minute data)
   * @param cpuHalfLife CPU histogram half-life before scaling (VPA: 24 h)
   * @param memoryHalfLife memory histogram half-life before scaling (VPA: 24 h)
   * @param memoryAggregationInterval one memory peak sample per interval, before scaling (VPA: 24 h)
   * @param sampleInterval the time one sample accounts for in the confidence, unscaled (the series' step)
   * @param targetPercentile VPA: 0.9
   * @param lowerBoundPercentile VPA: 0.5
   * @param upperBoundPercentile VPA: 0.95
   * @param safetyMargin VPA: 0.15
   * @param minCpuCores VPA: 0.025 (25 millicores)
   * @param minMemoryBytes VPA: 250 MiB
   * @param oomBumpUpRatio VPA: 1.2
   * @param oomMinBumpUpBytes VPA: 100 MiB
   * @param cpuWeightByRequest weight CPU samples by {@code max(request, 0.1)} (VPA) rather than 1
   */
  public record Config(double timeScale, Duration cpuHalfLife, Duration memoryHalfLife,
      Duration memoryAggregationInterval, Duration sampleInterval, double targetPercentile,
      double lowerBoundPercentile, double upperBoundPercentile, double safetyMargin, double minCpuCores,
      double minMemoryBytes, double oomBumpUpRatio, double oomMinBumpUpBytes, boolean cpuWeightByRequest) {

    public Config {
      TimeScale.check(timeScale);
      for (Duration d : new Duration[] {cpuHalfLife, memoryHalfLife, memoryAggregationInterval, sampleInterval}) {
        Objects.requireNonNull(d, "durations");
        if (d.isZero() || d.isNegative()) {
          throw new IllegalArgumentException("VPA durations must be positive, was " + d);
        }
      }
      Margins.fraction("targetPercentile", targetPercentile);
      Margins.fraction("lowerBoundPercentile", lowerBoundPercentile);
      Margins.fraction("upperBoundPercentile", upperBoundPercentile);
      Margins.check(safetyMargin);
      if (!(minCpuCores >= 0) || !(minMemoryBytes >= 0) || !(oomBumpUpRatio >= 1) || !(oomMinBumpUpBytes >= 0)) {
        throw new IllegalArgumentException("bad VPA config: minCpuCores=" + minCpuCores + " minMemoryBytes="
            + minMemoryBytes + " oomBumpUpRatio=" + oomBumpUpRatio + " oomMinBumpUpBytes=" + oomMinBumpUpBytes);
      }
    }

    /** VPA's constants for 5-minute data. */
    public static Config defaults() {
      return new Config(1.0, Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(24),
          TimeScale.REFERENCE_STEP, 0.9, 0.5, 0.95, 0.15, 0.025, 250 * MIB, 1.2, 100 * MIB, true);
    }

    /** VPA's constants scaled to a series at {@code step}: {@code timeScale = step / 5 min}, sample interval = step. */
    public static Config forStep(Duration step) {
      return defaults().withTimeScale(TimeScale.forStep(step)).withSampleInterval(step);
    }

    public Config withTimeScale(double scale) {
      return new Config(scale, cpuHalfLife, memoryHalfLife, memoryAggregationInterval, sampleInterval,
          targetPercentile, lowerBoundPercentile, upperBoundPercentile, safetyMargin, minCpuCores, minMemoryBytes,
          oomBumpUpRatio, oomMinBumpUpBytes, cpuWeightByRequest);
    }

    public Config withSampleInterval(Duration interval) {
      return new Config(timeScale, cpuHalfLife, memoryHalfLife, memoryAggregationInterval, interval,
          targetPercentile, lowerBoundPercentile, upperBoundPercentile, safetyMargin, minCpuCores, minMemoryBytes,
          oomBumpUpRatio, oomMinBumpUpBytes, cpuWeightByRequest);
    }

    public Config withCpuWeightByRequest(boolean byRequest) {
      return new Config(timeScale, cpuHalfLife, memoryHalfLife, memoryAggregationInterval, sampleInterval,
          targetPercentile, lowerBoundPercentile, upperBoundPercentile, safetyMargin, minCpuCores, minMemoryBytes,
          oomBumpUpRatio, oomMinBumpUpBytes, byRequest);
    }
  }

  /**
   * VPA's three estimates for one resource.
   *
   * @param lowerBound p50 with margin and the lower confidence multiplier
   * @param target p90 with margin (the allocation)
   * @param upperBound p95 with margin and the upper confidence multiplier ({@code +Infinity} while {@code d = 0})
   */
  public record Estimate(double lowerBound, double target, double upperBound) {}

  private final Config config;
  private final DecayingHistogram cpu;
  private final DecayingHistogram memory;
  private final long intervalMillis;
  private final double dayMillis;
  private final double initialCpuRequest;

  private long lastCpuSampleMillis = Long.MIN_VALUE;
  private long firstSampleMillis = Long.MIN_VALUE;
  private long lastSampleMillis = Long.MIN_VALUE;
  private long cpuSamples;
  private long memorySamples;
  private long firstMemoryMillis = Long.MIN_VALUE;
  private long lastMemorySampleMillis = Long.MIN_VALUE;
  private long windowEndMillis = Long.MIN_VALUE;
  private double memoryPeak;
  private double oomPeak;

  /** A VPA with {@code config}; CPU samples before any recommendation weigh {@code max(initialCpuRequestCores, 0.1)}. */
  public VpaRecommender(Config config, double initialCpuRequestCores) {
    this.config = Objects.requireNonNull(config, "config");
    this.cpu = new DecayingHistogram(ExponentialBuckets.VPA_CPU,
        TimeScale.scaledMillis(config.cpuHalfLife(), config.timeScale()));
    this.memory = new DecayingHistogram(ExponentialBuckets.VPA_MEMORY,
        TimeScale.scaledMillis(config.memoryHalfLife(), config.timeScale()));
    this.intervalMillis = TimeScale.scaledMillis(config.memoryAggregationInterval(), config.timeScale());
    this.dayMillis = Duration.ofDays(1).toMillis() * config.timeScale();
    this.initialCpuRequest = Double.isNaN(initialCpuRequestCores) ? 0 : initialCpuRequestCores;
  }

  /** A VPA with {@link Config#defaults()} and no known CPU request. */
  public VpaRecommender() {
    this(Config.defaults(), 0);
  }

  /** The factory scaling VPA's constants to each series' step ({@link Config#forStep(Duration)}). */
  public static RecommenderFactory factory() {
    return RecommenderFactory.of(NAME, series -> new VpaRecommender(Config.forStep(series.step()),
        series.provisioned(Resource.CPU).orElse(0)));
  }

  /** The factory with a fixed {@code config} for every series. */
  public static RecommenderFactory factory(Config config) {
    Objects.requireNonNull(config, "config");
    return RecommenderFactory.of(NAME, series -> new VpaRecommender(config,
        series.provisioned(Resource.CPU).orElse(0)));
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
    if (value < 0) {
      throw new IllegalArgumentException("VPA sample of " + resource + " must be >= 0, was " + value);
    }
    switch (resource) {
      case CPU -> addCpuSample(timeMillis, value);
      case MEMORY -> {
        if (addMemorySample(timeMillis, value, false)) {
          memorySamples++;
          if (firstMemoryMillis == Long.MIN_VALUE) {
            firstMemoryMillis = timeMillis;
          }
        }
      }
      default -> {
        // VPA sizes CPU and memory only.
      }
    }
  }

  /**
   * Records an OOM kill at {@code timeMillis} of a container whose memory limit was {@code memoryLimitBytes}, as VPA's
   * {@code RecordOOM}: returns false (and ignores it) if it is older than the previous memory interval.
   */
  public boolean observeOom(long timeMillis, double memoryLimitBytes) {
    if (windowEndMillis != Long.MIN_VALUE && timeMillis < windowEndMillis - intervalMillis) {
      return false;
    }
    double used = Math.max(memoryLimitBytes, memoryPeak);
    double needed = Math.max(used + config.oomMinBumpUpBytes(), used * config.oomBumpUpRatio());
    return addMemorySample(timeMillis, needed, true);
  }

  @Override
  public double recommend(Resource resource, long timeMillis) {
    Estimate e = estimate(resource);
    return e == null ? Double.NaN : e.target();
  }

  /** VPA's lower bound, target and upper bound for {@code resource}, or null if it has no samples or is not sized. */
  public Estimate estimate(Resource resource) {
    DecayingHistogram h;
    double min;
    switch (resource) {
      case CPU -> {
        h = cpu;
        min = config.minCpuCores();
      }
      case MEMORY -> {
        h = memory;
        min = config.minMemoryBytes();
      }
      default -> {
        return null;
      }
    }
    if (h.isEmpty()) {
      return null;
    }
    double m = 1 + config.safetyMargin();
    double d = confidenceDays();
    double target = h.percentile(config.targetPercentile()) * m;
    double lower = h.percentile(config.lowerBoundPercentile()) * m * lowerConfidenceMultiplier(d);
    double upper = h.percentile(config.upperBoundPercentile()) * m * upperConfidenceMultiplier(d);
    return new Estimate(Math.max(lower, min), Math.max(target, min), Math.max(upper, min));
  }

  /** The confidence {@code d} in (scaled) days: {@code min(lifespan, samples * sampleInterval)}. */
  public double confidenceDays() {
    long first = cpuSamples > 0 ? firstSampleMillis : firstMemoryMillis;
    long last = cpuSamples > 0 ? lastSampleMillis : lastMemorySampleMillis;
    long n = cpuSamples > 0 ? cpuSamples : memorySamples;
    if (n == 0) {
      return 0;
    }
    double lifespanDays = (last - first) / dayMillis;
    double samplesDays = n * (double) config.sampleInterval().toMillis() / dayMillis;
    return Math.min(lifespanDays, samplesDays);
  }

  /** VPA's upper-bound multiplier {@code (1 + 1/d)^1}. */
  static double upperConfidenceMultiplier(double d) {
    return Math.pow(1 + 1.0 / d, 1.0);
  }

  /** VPA's lower-bound multiplier {@code (1 + 0.001/d)^-2}. */
  static double lowerConfidenceMultiplier(double d) {
    return Math.pow(1 + 0.001 / d, -2.0);
  }

  DecayingHistogram cpuHistogram() {
    return cpu;
  }

  DecayingHistogram memoryHistogram() {
    return memory;
  }

  private void addCpuSample(long timeMillis, double cores) {
    if (timeMillis <= lastCpuSampleMillis) {
      return; // VPA discards duplicate and out-of-order samples
    }
    double weight = 1;
    if (config.cpuWeightByRequest()) {
      double request = cpu.isEmpty() ? initialCpuRequest : estimate(Resource.CPU).target();
      weight = Math.max(request, MIN_SAMPLE_WEIGHT);
    }
    cpu.addSample(cores, weight, timeMillis);
    lastCpuSampleMillis = timeMillis;
    if (timeMillis > lastSampleMillis) {
      lastSampleMillis = timeMillis;
    }
    if (firstSampleMillis == Long.MIN_VALUE || timeMillis < firstSampleMillis) {
      firstSampleMillis = timeMillis;
    }
    cpuSamples++;
  }

  /** container.go addMemorySample: one peak per aggregation interval, replaced while it grows. */
  private boolean addMemorySample(long timeMillis, double bytes, boolean isOom) {
    if (!isOom && lastMemorySampleMillis != Long.MIN_VALUE && timeMillis < lastMemorySampleMillis) {
      return false;
    }
    lastMemorySampleMillis = timeMillis;
    if (windowEndMillis == Long.MIN_VALUE) {
      windowEndMillis = timeMillis;
    }
    boolean addNewPeak = false;
    if (timeMillis < windowEndMillis) {
      double oldMax = Math.max(memoryPeak, oomPeak);
      if (oldMax != 0 && bytes > oldMax) {
        memory.subtractSample(oldMax, 1.0, windowEndMillis);
        addNewPeak = true;
      }
    } else {
      long shift = (timeMillis - windowEndMillis) / intervalMillis * intervalMillis + intervalMillis;
      windowEndMillis += shift;
      memoryPeak = 0;
      oomPeak = 0;
      addNewPeak = true;
    }
    if (addNewPeak) {
      memory.addSample(bytes, 1.0, windowEndMillis);
      if (isOom) {
        oomPeak = bytes;
      } else {
        memoryPeak = bytes;
      }
    }
    return true;
  }
}
