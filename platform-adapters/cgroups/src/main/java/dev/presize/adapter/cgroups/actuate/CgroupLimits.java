package dev.presize.adapter.cgroups.actuate;

import dev.presize.spi.resources.ResourceProfile;

/** The control files of one function's group, for one cgroup version. Throws PresizeException on I/O failure. */
interface CgroupLimits {

  /** Memory in use now ({@code memory.usage_in_bytes} / {@code memory.current}). */
  long usageBytes();

  /** The memory limit in force. */
  long memoryLimitBytes();

  /**
   * Sets the memory limit to {@code bytes} (in the order the kernel needs), given the limit in force and usage.
   */
  void setMemory(long bytes, long limitInForce, long usageBytes);

  /** Sets the CPU quota to {@code millicores}, keeping the group's period. */
  void setCpu(long millicores);

  /** The profile in force as the kernel reports it ("no limit" reads as {@link Long#MAX_VALUE}). */
  ResourceProfile read();

  /** The directories, for messages. */
  String describe();

  /** {@code millicores × period / 1000} µs, at least the kernel's 1 ms; -1 (no limit) when it would overflow. */
  static long quotaMicros(long millicores, long periodMicros) {
    if (millicores > Long.MAX_VALUE / periodMicros) {
      return -1;
    }
    return Math.max(1000, millicores * periodMicros / 1000);
  }

  /** {@code quota × 1000 / period} millicores; no limit (quota < 0 or max) reads as {@link Long#MAX_VALUE}. */
  static long millicores(long quotaMicros, long periodMicros) {
    if (quotaMicros < 0 || quotaMicros == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return Math.max(1, quotaMicros * 1000 / periodMicros);
  }
}
