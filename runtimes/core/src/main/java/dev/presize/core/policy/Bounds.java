package dev.presize.core.policy;

import dev.presize.spi.resources.Resource;
import java.util.Objects;

/**
 * Clamps memory and CPU to the function's bounds. The maximum wins over the forecast; a target capped at the
 * maximum is flagged as contention (the function wants more than it may have).
 */
public final class Bounds implements AllocationPolicy {

  /** The step name in {@link AllocationDecision.Adjustment#by()}. */
  public static final String STEP = "bounds";

  private final AllocationPolicy inner;
  private final long memoryMinBytes;
  private final long memoryMaxBytes;
  private final long cpuMinMillicores;
  private final long cpuMaxMillicores;

  public Bounds(AllocationPolicy inner, long memoryMinBytes, long memoryMaxBytes, long cpuMinMillicores,
      long cpuMaxMillicores) {
    this.inner = Objects.requireNonNull(inner, "inner");
    PolicyConfig.checkBounds("memory", memoryMinBytes, memoryMaxBytes);
    PolicyConfig.checkBounds("cpu", cpuMinMillicores, cpuMaxMillicores);
    this.memoryMinBytes = memoryMinBytes;
    this.memoryMaxBytes = memoryMaxBytes;
    this.cpuMinMillicores = cpuMinMillicores;
    this.cpuMaxMillicores = cpuMaxMillicores;
  }

  @Override
  public AllocationDecision decide(PolicyInput in) {
    AllocationDecision d = inner.decide(in);
    d = clamp(d, Resource.MEMORY, memoryMinBytes, memoryMaxBytes);
    return clamp(d, Resource.CPU, cpuMinMillicores, cpuMaxMillicores);
  }

  private static AllocationDecision clamp(AllocationDecision d, Resource r, long min, long max) {
    long v = d.value(r);
    if (v > max) {
      return d.with(STEP, r, max, "above max " + max).withContention(r);
    }
    if (v < min) {
      return d.with(STEP, r, min, "below min " + min);
    }
    return d;
  }
}
