package dev.presize.core.checkpoint;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every {@code presize.checkpoint.*} setting, typed, with all defaults in {@link #defaults()}.
 *
 * @param checkpointer the checkpointer provider to use by name, or empty for the highest-priority supported one
 * @param storeRoot where the filesystem store keeps checkpoints
 * @param keepLast checkpoints kept per invocation (retention), at least 1
 * @param minInterval the shortest interval between checkpoints (also rate-limits contention checkpoints)
 * @param maxInterval the longest interval, used when the hazard is 0
 * @param initialCost C before the first checkpoint is measured
 * @param costWeight EWMA weight of a newly measured cost, in (0, 1]
 * @param contentionThreshold P(need &gt; available over the horizon) at or above which a checkpoint is taken now
 * @param longRunningThreshold functions expected to run at least this long have routine checkpoints deferred to
 *     low-contention windows
 * @param maxDeferral how long past its due time a routine checkpoint may be deferred
 * @param lowPressurePercent host pressure (PSI some avg10, percent) at or below which a deferred checkpoint goes
 * @param profileWeight EWMA weight of a new pressure observation in the hour-of-week profile, in (0, 1]
 * @param pressureRoot the directory of the PSI files
 * @param initialLead how long a checkpoint is expected to take to land (from the end of the step whose forecast
 *     asked for it until the function's state is safe and, when it is to give way, the function stopped) before one
 *     was measured; the contention trigger looks this much further ahead (see {@link CheckpointSchedule})
 * @param failureCost what a failure (the need crossing what is available: an OOM kill) costs beyond the work since the
 *     last checkpoint: the restart, a cold start, a retried request. A contention checkpoint is taken only when the
 *     loss it averts in expectation, {@code P · (time since the last checkpoint + failureCost)}, is at least its cost
 *     (see {@link CheckpointSchedule}); the default is large enough that the trigger goes whenever {@code P} passes
 *     its threshold unless a checkpoint costs seconds
 */
public record CheckpointConfig(Optional<String> checkpointer, Path storeRoot, int keepLast, Duration minInterval,
    Duration maxInterval, Duration initialCost, double costWeight, double contentionThreshold,
    Duration longRunningThreshold, Duration maxDeferral, double lowPressurePercent, double profileWeight,
    Path pressureRoot, Duration initialLead, Duration failureCost) {

  public static final String CHECKPOINTER = "presize.checkpoint.checkpointer";
  public static final String STORE_ROOT = "presize.checkpoint.store.root";
  public static final String KEEP_LAST = "presize.checkpoint.store.keep-last";
  public static final String MIN_INTERVAL = "presize.checkpoint.interval.min";
  public static final String MAX_INTERVAL = "presize.checkpoint.interval.max";
  public static final String INITIAL_COST = "presize.checkpoint.cost.initial";
  public static final String COST_WEIGHT = "presize.checkpoint.cost.ewma-weight";
  public static final String CONTENTION_THRESHOLD = "presize.checkpoint.contention.threshold";
  public static final String LONG_RUNNING = "presize.checkpoint.long-running.threshold";
  public static final String MAX_DEFERRAL = "presize.checkpoint.deferral.max";
  public static final String LOW_PRESSURE = "presize.checkpoint.deferral.low-pressure";
  public static final String PROFILE_WEIGHT = "presize.checkpoint.profile.ewma-weight";
  public static final String PRESSURE_ROOT = "presize.checkpoint.pressure.root";
  public static final String INITIAL_LEAD = "presize.checkpoint.lead.initial";
  public static final String FAILURE_COST = "presize.checkpoint.failure-cost";

  public CheckpointConfig {
    Objects.requireNonNull(checkpointer, "checkpointer");
    Objects.requireNonNull(storeRoot, "storeRoot");
    Objects.requireNonNull(pressureRoot, "pressureRoot");
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be >= 1, was " + keepLast);
    }
    if (minInterval.isZero() || minInterval.isNegative() || maxInterval.compareTo(minInterval) < 0) {
      throw new IllegalArgumentException("need 0 < minInterval <= maxInterval, was minInterval=" + minInterval
          + " maxInterval=" + maxInterval);
    }
    if (initialCost.isNegative()) {
      throw new IllegalArgumentException("initialCost must be >= 0, was " + initialCost);
    }
    Objects.requireNonNull(initialLead, "initialLead");
    if (initialLead.isNegative()) {
      throw new IllegalArgumentException("initialLead must be >= 0, was " + initialLead);
    }
    Objects.requireNonNull(failureCost, "failureCost");
    if (failureCost.isNegative()) {
      throw new IllegalArgumentException("failureCost must be >= 0, was " + failureCost);
    }
    fraction("costWeight", costWeight, false);
    fraction("contentionThreshold", contentionThreshold, false);
    fraction("profileWeight", profileWeight, false);
    if (longRunningThreshold.isNegative() || maxDeferral.isNegative()) {
      throw new IllegalArgumentException("longRunningThreshold and maxDeferral must be >= 0, were "
          + longRunningThreshold + " and " + maxDeferral);
    }
    if (!(lowPressurePercent >= 0 && lowPressurePercent <= 100)) {
      throw new IllegalArgumentException("lowPressurePercent must be in [0, 100], was " + lowPressurePercent);
    }
  }

  /** The defaults: the one place they are written. */
  public static CheckpointConfig defaults() {
    return new CheckpointConfig(Optional.empty(),
        Path.of(System.getProperty("java.io.tmpdir"), "presize", "checkpoints"), 3, Duration.ofSeconds(10),
        Duration.ofMinutes(30), Duration.ofMillis(200), 0.3, 0.2, Duration.ofMinutes(15), Duration.ofMinutes(10),
        10.0, 0.1, Path.of("/proc/pressure"), Duration.ofMillis(400), Duration.ofMinutes(1));
  }

  /**
   * Reads the settings from {@code config} over {@link #defaults()}.
   *
   * @throws ConfigurationException naming {@code key=value} for a malformed or out-of-range value
   */
  public static CheckpointConfig from(ConfigProperties config) {
    CheckpointConfig d = defaults();
    try {
      return new CheckpointConfig(config.getString(CHECKPOINTER).filter(s -> !s.isEmpty()),
          config.getString(STORE_ROOT).map(Path::of).orElse(d.storeRoot()),
          config.getInt(KEEP_LAST, d.keepLast()),
          config.getPositiveDuration(MIN_INTERVAL, d.minInterval()),
          config.getPositiveDuration(MAX_INTERVAL, d.maxInterval()),
          config.getDuration(INITIAL_COST, d.initialCost()),
          fraction(config, COST_WEIGHT, d.costWeight()),
          fraction(config, CONTENTION_THRESHOLD, d.contentionThreshold()),
          config.getDuration(LONG_RUNNING, d.longRunningThreshold()),
          config.getDuration(MAX_DEFERRAL, d.maxDeferral()),
          percent(config, LOW_PRESSURE, d.lowPressurePercent()),
          fraction(config, PROFILE_WEIGHT, d.profileWeight()),
          config.getString(PRESSURE_ROOT).map(Path::of).orElse(d.pressureRoot()),
          config.getDuration(INITIAL_LEAD, d.initialLead()),
          config.getDuration(FAILURE_COST, d.failureCost()));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("presize.checkpoint", "presize.checkpoint.*: " + e.getMessage()
          + " (settings: " + config.asMap().entrySet().stream().filter(x -> x.getKey().startsWith("presize.checkpoint."))
          .map(x -> x.getKey() + "=" + x.getValue()).toList() + ")");
    }
  }

  private static double fraction(ConfigProperties config, String key, double defaultValue) {
    Optional<String> v = config.getString(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    double d = parse(key, v.get());
    if (!(d > 0 && d <= 1)) {
      throw new ConfigurationException(key, key + "=" + v.get() + ": expected a fraction in (0, 1], e.g. 0.2 or 20%");
    }
    return d;
  }

  private static double percent(ConfigProperties config, String key, double defaultValue) {
    Optional<String> v = config.getString(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    if (!v.get().endsWith("%")) {
      throw new ConfigurationException(key, key + "=" + v.get() + ": expected a percentage with its unit, e.g. 10%");
    }
    double d = parse(key, v.get()) * 100;
    if (!(d >= 0 && d <= 100)) {
      throw new ConfigurationException(key, key + "=" + v.get() + ": expected a percentage in [0%, 100%]");
    }
    return d;
  }

  /** A number, or a percentage ({@code 20%} is 0.2). */
  private static double parse(String key, String text) {
    String t = text.strip();
    boolean pct = t.endsWith("%");
    try {
      double d = Double.parseDouble(pct ? t.substring(0, t.length() - 1).strip() : t);
      return pct ? d / 100 : d;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key, key + "=" + text + ": expected a number or a percentage");
    }
  }

  private static void fraction(String name, double v, boolean zeroAllowed) {
    if (!((zeroAllowed ? v >= 0 : v > 0) && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1], was " + v);
    }
  }
}
