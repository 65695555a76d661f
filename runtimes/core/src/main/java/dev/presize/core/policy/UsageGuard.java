package dev.presize.core.policy;

import dev.presize.spi.resources.Resource;
import java.util.Objects;

/**
 * The outermost step: memory is never decided below current usage plus the {@link MemoryGuard}, whatever the
 * steps inside decided (a wildly low forecast, a minimum, a held decrease). When usage plus guard is above the
 * function's memory maximum, memory is still set to usage plus guard (never lowered under usage) and the
 * decision is flagged as memory contention.
 */
public final class UsageGuard implements AllocationPolicy {

  /** The step name in {@link AllocationDecision.Adjustment#by()}. */
  public static final String STEP = "usage-guard";

  private final AllocationPolicy inner;
  private final MemoryGuard guard;
  private final long memoryMaxBytes;

  public UsageGuard(AllocationPolicy inner, MemoryGuard guard, long memoryMaxBytes) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.guard = Objects.requireNonNull(guard, "guard");
    if (memoryMaxBytes <= 0) {
      throw new IllegalArgumentException("memoryMaxBytes must be > 0, was " + memoryMaxBytes);
    }
    this.memoryMaxBytes = memoryMaxBytes;
  }

  @Override
  public AllocationDecision decide(PolicyInput in) {
    AllocationDecision d = inner.decide(in);
    long used = in.usedMemoryBytes();
    long floor = guard.floorBytes(used);
    if (d.value(Resource.MEMORY) < floor) {
      d = d.with(STEP, Resource.MEMORY, floor, "usage " + used + " + guard " + guard.guardBytes(used));
    }
    if (floor > memoryMaxBytes) {
      d = d.withContention(Resource.MEMORY);
    }
    return d;
  }
}
