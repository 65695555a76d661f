package dev.presize.core.policy;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import dev.presize.spi.config.Quantities;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The allocation policy's configuration: every {@code presize.policy.*} key, typed, with all defaults here.
 *
 * <p>Fractions are written {@code 10%} or {@code 0.10} (a bare number must be in [0, 1]); sizes with a unit
 * ({@code 512Mi}); CPU in millicores ({@code 250m}) or cores ({@code 2cores}); durations with a unit
 * ({@code 10s}). Unitless sizes, CPU amounts and durations are refused with the key named.
 *
 * @param memoryQuantile which forecast quantile memory is sized from
 * @param cpuQuantile which forecast quantile CPU is sized from
 * @param memoryHeadroom memory margin above the quantile, as a fraction
 * @param cpuHeadroom CPU margin above the quantile, as a fraction
 * @param guard how far above usage memory must always stay
 * @param memoryHysteresis memory changes under this fraction of the memory in force are skipped
 * @param cpuHysteresis CPU changes under this fraction of the CPU in force are skipped
 * @param memoryDecreaseInterval at most one memory decrease per this
 * @param cpuDecreaseInterval at most one CPU decrease per this
 * @param memoryMinBytes the function's least memory
 * @param memoryMaxBytes the function's most memory (exceeded only to stay above usage plus guard, flagged)
 * @param cpuMinMillicores the function's least CPU
 * @param cpuMaxMillicores the function's most CPU
 * @param maxWidening the most a feedback loop may widen the headroom by ({@link Headroom#widen})
 */
public record PolicyConfig(Quantile memoryQuantile, Quantile cpuQuantile, double memoryHeadroom, double cpuHeadroom,
    MemoryGuard guard, double memoryHysteresis, double cpuHysteresis, Duration memoryDecreaseInterval,
    Duration cpuDecreaseInterval, long memoryMinBytes, long memoryMaxBytes, long cpuMinMillicores,
    long cpuMaxMillicores, double maxWidening) {

  /** Memory quantile, {@code p50|p90|p99} (default {@code p99}). */
  public static final String MEMORY_QUANTILE = "presize.policy.memory.quantile";
  /** CPU quantile (default {@code p90}). */
  public static final String CPU_QUANTILE = "presize.policy.cpu.quantile";
  /** Memory headroom (default {@code 10%}). */
  public static final String MEMORY_HEADROOM = "presize.policy.memory.headroom";
  /** CPU headroom (default {@code 10%}). */
  public static final String CPU_HEADROOM = "presize.policy.cpu.headroom";
  /** The guard's floor above usage (default {@code 64Mi}). */
  public static final String MEMORY_GUARD = "presize.policy.memory.guard";
  /** The guard as a fraction of usage (default {@code 10%}); the guard is the larger of the two. */
  public static final String MEMORY_GUARD_FRACTION = "presize.policy.memory.guard-fraction";
  /** Memory hysteresis (default {@code 5%}). */
  public static final String MEMORY_HYSTERESIS = "presize.policy.memory.hysteresis";
  /** CPU hysteresis (default {@code 10%}). */
  public static final String CPU_HYSTERESIS = "presize.policy.cpu.hysteresis";
  /** Least time between two memory decreases (default {@code 10s}). */
  public static final String MEMORY_DECREASE_INTERVAL = "presize.policy.memory.decrease-interval";
  /** Least time between two CPU decreases (default {@code 1s}). */
  public static final String CPU_DECREASE_INTERVAL = "presize.policy.cpu.decrease-interval";
  /** Memory minimum (default {@code 32Mi}). */
  public static final String MEMORY_MIN = "presize.policy.memory.min";
  /** Memory maximum (default {@code 10Gi}). */
  public static final String MEMORY_MAX = "presize.policy.memory.max";
  /** CPU minimum (default {@code 50m}). */
  public static final String CPU_MIN = "presize.policy.cpu.min";
  /** CPU maximum (default {@code 4cores}). */
  public static final String CPU_MAX = "presize.policy.cpu.max";
  /** The most the headroom may be widened by feedback (default {@code 4}, a factor). */
  public static final String MAX_WIDENING = "presize.policy.max-widening";

  /** Every default, in one place. */
  public static final PolicyConfig DEFAULTS = new PolicyConfig(Quantile.P99, Quantile.P90, 0.10, 0.10,
      new MemoryGuard(64L << 20, 0.10), 0.05, 0.10, Duration.ofSeconds(10), Duration.ofSeconds(1), 32L << 20,
      10L << 30, 50, 4000, 4.0);

  public PolicyConfig {
    Objects.requireNonNull(memoryQuantile, "memoryQuantile");
    Objects.requireNonNull(cpuQuantile, "cpuQuantile");
    Objects.requireNonNull(guard, "guard");
    checkFraction("memoryHeadroom", memoryHeadroom);
    checkFraction("cpuHeadroom", cpuHeadroom);
    checkFraction("memoryHysteresis", memoryHysteresis);
    checkFraction("cpuHysteresis", cpuHysteresis);
    checkInterval("memoryDecreaseInterval", memoryDecreaseInterval);
    checkInterval("cpuDecreaseInterval", cpuDecreaseInterval);
    checkBounds("memory", memoryMinBytes, memoryMaxBytes);
    checkBounds("cpu", cpuMinMillicores, cpuMaxMillicores);
    if (!(maxWidening >= 1) || Double.isInfinite(maxWidening)) {
      throw new IllegalArgumentException("maxWidening must be finite and >= 1, was " + maxWidening);
    }
  }

  /**
   * This configuration with the memory and CPU maximum replaced (what one run may be given, e.g. {@code presize run
   * --max-memory}); the minimum is lowered to the maximum when it was above it.
   */
  public PolicyConfig withMaximum(long memoryMax, long cpuMax) {
    return new PolicyConfig(memoryQuantile, cpuQuantile, memoryHeadroom, cpuHeadroom, guard, memoryHysteresis,
        cpuHysteresis, memoryDecreaseInterval, cpuDecreaseInterval, Math.min(memoryMinBytes, memoryMax), memoryMax,
        Math.min(cpuMinMillicores, cpuMax), cpuMax, maxWidening);
  }

  /** Reads every {@code presize.policy.*} key from {@code config}; absent keys take {@link #DEFAULTS}. */
  public static PolicyConfig from(ConfigProperties config) {
    PolicyConfig d = DEFAULTS;
    try {
      return new PolicyConfig(
          quantile(config, MEMORY_QUANTILE, d.memoryQuantile),
          quantile(config, CPU_QUANTILE, d.cpuQuantile),
          fraction(config, MEMORY_HEADROOM, d.memoryHeadroom),
          fraction(config, CPU_HEADROOM, d.cpuHeadroom),
          new MemoryGuard(config.getBytes(MEMORY_GUARD, d.guard.minBytes()),
              fraction(config, MEMORY_GUARD_FRACTION, d.guard.fraction())),
          fraction(config, MEMORY_HYSTERESIS, d.memoryHysteresis),
          fraction(config, CPU_HYSTERESIS, d.cpuHysteresis),
          config.getDuration(MEMORY_DECREASE_INTERVAL, d.memoryDecreaseInterval),
          config.getDuration(CPU_DECREASE_INTERVAL, d.cpuDecreaseInterval),
          config.getBytes(MEMORY_MIN, d.memoryMinBytes),
          config.getBytes(MEMORY_MAX, d.memoryMaxBytes),
          millicores(config, CPU_MIN, d.cpuMinMillicores),
          millicores(config, CPU_MAX, d.cpuMaxMillicores),
          factor(config, MAX_WIDENING, d.maxWidening));
    } catch (IllegalArgumentException e) {
      // a combination is wrong (min above max, ...): no single key to blame, so name the section
      throw new ConfigurationException("presize.policy", "presize.policy.*: " + e.getMessage());
    }
  }

  // --- parsing -------------------------------------------------------------------------------------------

  private static Quantile quantile(ConfigProperties c, String key, Quantile dflt) {
    return c.getString(key).map(v -> {
      try {
        return Quantile.parse(v);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(key, key + "=" + v + ": " + e.getMessage());
      }
    }).orElse(dflt);
  }

  private static double fraction(ConfigProperties c, String key, double dflt) {
    return c.getString(key).map(v -> {
      try {
        return parseFraction(v);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(key, key + "=" + v + ": " + e.getMessage());
      }
    }).orElse(dflt);
  }

  private static long millicores(ConfigProperties c, String key, long dflt) {
    return c.getString(key).map(v -> {
      try {
        return parseMillicores(v);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(key, key + "=" + v + ": " + e.getMessage());
      }
    }).orElse(dflt);
  }

  private static double factor(ConfigProperties c, String key, double dflt) {
    return c.getString(key).map(v -> {
      String t = v.endsWith("x") ? v.substring(0, v.length() - 1).strip() : v;
      try {
        double f = Double.parseDouble(t);
        if (!(f >= 1) || Double.isInfinite(f)) {
          throw new NumberFormatException();
        }
        return f;
      } catch (NumberFormatException e) {
        throw new ConfigurationException(key, key + "=" + v + ": expected a factor >= 1, e.g. 4 or 4x");
      }
    }).orElse(dflt);
  }

  /** {@code 10%} or {@code 0.10}; a bare number must be in [0, 1] (write {@code 150%} for more than 1). */
  static double parseFraction(String text) {
    String t = text.strip();
    boolean percent = t.endsWith("%");
    double v;
    try {
      v = Double.parseDouble(percent ? t.substring(0, t.length() - 1).strip() : t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a fraction: write e.g. 10% or 0.10");
    }
    if (percent) {
      v /= 100;
    } else if (v > 1) {
      throw new IllegalArgumentException("'" + text + "' is ambiguous: write " + text + "% or a fraction in [0, 1]");
    }
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("'" + text + "' must be a fraction >= 0");
    }
    return v;
  }

  /** {@code 250m} (millicores) or {@code 2cores} / {@code 1.5core}; a bare number is refused. */
  static long parseMillicores(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    double perUnit;
    String number;
    if (t.endsWith("cores") || t.endsWith("core")) {
      perUnit = 1000;
      number = t.substring(0, t.length() - (t.endsWith("cores") ? 5 : 4));
    } else if (t.endsWith("m")) {
      perUnit = 1;
      number = t.substring(0, t.length() - 1);
    } else {
      throw new IllegalArgumentException("'" + text + "' has no unit: write millicores (250m) or cores (2cores)");
    }
    double v;
    try {
      v = Double.parseDouble(number.strip()) * perUnit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a CPU amount: write e.g. 250m or 2cores");
    }
    if (!(v >= 1) || v > Long.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' must be at least 1m");
    }
    return Math.round(v);
  }

  // --- shared checks (used by the steps' constructors too) ------------------------------------------------

  static double checkFraction(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + v);
    }
    return v;
  }

  static Duration checkInterval(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + d);
    }
    return d;
  }

  static void checkBounds(String name, long min, long max) {
    if (min < 1) {
      throw new IllegalArgumentException(name + " min must be >= 1, was " + min);
    }
    if (max < min) {
      throw new IllegalArgumentException(name + " max " + max + " is below min " + min);
    }
  }
}
