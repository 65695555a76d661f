package dev.presize.adapter.cgroups.actuate;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import java.util.Objects;
import java.util.Optional;

/**
 * The cgroup actuators' configuration (the mounts and {@code /proc} come from
 * {@link dev.presize.adapter.cgroups.CgroupConfig}). All defaults live here.
 *
 * @param parent the group path (as {@code /proc/<pid>/cgroup} shows it) under which function groups live, the
 *     root no function id can leave; empty: this process's own group (per controller on v1), where the cgroup
 *     resource group providers create theirs
 * @param memoryGuardBytes the actuator never lowers memory below usage plus this (default 16 MiB, below the
 *     policy's own guard so a sound policy decision is never refused)
 * @param memoryHighFraction v2 only: {@code memory.high} (the kernel's early brake: reclaim and throttle, no
 *     kill) is set to this fraction of {@code memory.max}, but not below usage plus the guard; 1 puts it at the max
 */
public record CgroupActuatorConfig(Optional<String> parent, long memoryGuardBytes, double memoryHighFraction) {

  /** Parent group of the function groups (default: this process's own group). */
  public static final String PARENT = "presize.cgroup.actuate.parent";
  /** Least room above usage the actuator leaves when lowering memory (default {@code 16Mi}). */
  public static final String MEMORY_GUARD = "presize.cgroup.actuate.memory-guard";
  /** v2 {@code memory.high} as a fraction of {@code memory.max} (default {@code 90%}). */
  public static final String MEMORY_HIGH = "presize.cgroup.actuate.memory-high";

  static final long DEFAULT_MEMORY_GUARD_BYTES = 16L << 20;
  static final double DEFAULT_MEMORY_HIGH_FRACTION = 0.90;

  public CgroupActuatorConfig {
    Objects.requireNonNull(parent, "parent");
    if (memoryGuardBytes < 0) {
      throw new IllegalArgumentException("memoryGuardBytes must be >= 0, was " + memoryGuardBytes);
    }
    if (!(memoryHighFraction > 0 && memoryHighFraction <= 1)) {
      throw new IllegalArgumentException("memoryHighFraction must be in (0, 1], was " + memoryHighFraction);
    }
  }

  /** Reads the keys above from {@code config}, with the defaults for those absent. */
  public static CgroupActuatorConfig from(ConfigProperties config) {
    double high = config.getString(MEMORY_HIGH).map(v -> {
      String t = v.endsWith("%") ? v.substring(0, v.length() - 1).strip() : v;
      try {
        double f = Double.parseDouble(t) / (v.endsWith("%") ? 100 : 1);
        if (!(f > 0 && f <= 1)) {
          throw new NumberFormatException();
        }
        return f;
      } catch (NumberFormatException e) {
        throw new ConfigurationException(MEMORY_HIGH, MEMORY_HIGH + "=" + v + ": expected a fraction in (0, 1], "
            + "e.g. 90% or 0.9");
      }
    }).orElse(DEFAULT_MEMORY_HIGH_FRACTION);
    return new CgroupActuatorConfig(config.getString(PARENT).filter(s -> !s.isBlank()),
        config.getBytes(MEMORY_GUARD, DEFAULT_MEMORY_GUARD_BYTES), high);
  }
}
