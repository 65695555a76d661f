package dev.presize.spi.resources;

/**
 * The resources a function is given: what the allocation policy decides and an actuator applies.
 *
 * @param cpuMillicores CPU in millicores (1000 = one core), &gt; 0
 * @param memoryBytes memory limit in bytes, &gt; 0
 * @param networkMbps network rate in Mbit/s, or {@link #NOT_MANAGED} (0) when Presize leaves the network alone
 */
public record ResourceProfile(long cpuMillicores, long memoryBytes, long networkMbps) {

  /** {@link #networkMbps} value meaning the network is not limited by Presize. */
  public static final long NOT_MANAGED = 0;

  public ResourceProfile {
    if (cpuMillicores <= 0) {
      throw new IllegalArgumentException("cpuMillicores must be > 0, was " + cpuMillicores);
    }
    if (memoryBytes <= 0) {
      throw new IllegalArgumentException("memoryBytes must be > 0, was " + memoryBytes);
    }
    if (networkMbps < 0) {
      throw new IllegalArgumentException("networkMbps must be >= 0 (0 = not managed), was " + networkMbps);
    }
  }

  /** CPU and memory only; the network is not managed. */
  public static ResourceProfile of(long cpuMillicores, long memoryBytes) {
    return new ResourceProfile(cpuMillicores, memoryBytes, NOT_MANAGED);
  }

  public ResourceProfile withCpuMillicores(long cpu) {
    return new ResourceProfile(cpu, memoryBytes, networkMbps);
  }

  public ResourceProfile withMemoryBytes(long memory) {
    return new ResourceProfile(cpuMillicores, memory, networkMbps);
  }
}
