package dev.presize.core.policy;

import dev.presize.spi.resources.Resource;
import java.util.Objects;

/**
 * Keeps the profile in force when the step inside it asks for a change smaller than a threshold (relative to
 * what is in force), so a noisy forecast does not resize the function every decision window.
 *
 * <p>Exception: a memory raise is never held back while the memory in force is below usage plus the
 * {@link MemoryGuard}; staying above the guard beats calm.
 */
public final class Hysteresis implements AllocationPolicy {

  /** The step name in {@link AllocationDecision.Adjustment#by()}. */
  public static final String STEP = "hysteresis";

  private final AllocationPolicy inner;
  private final double memoryThreshold;
  private final double cpuThreshold;
  private final MemoryGuard guard;

  /**
   * @param memoryThreshold skip memory changes under this fraction of the memory in force (0.05 = 5%)
   * @param cpuThreshold skip CPU changes under this fraction of the CPU in force
   */
  public Hysteresis(AllocationPolicy inner, double memoryThreshold, double cpuThreshold, MemoryGuard guard) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.memoryThreshold = PolicyConfig.checkFraction("memoryThreshold", memoryThreshold);
    this.cpuThreshold = PolicyConfig.checkFraction("cpuThreshold", cpuThreshold);
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  @Override
  public AllocationDecision decide(PolicyInput in) {
    AllocationDecision d = inner.decide(in);
    long memNow = in.current().memoryBytes();
    long memTarget = d.value(Resource.MEMORY);
    boolean raiseNeeded = memTarget > memNow && memNow < guard.floorBytes(in.usedMemoryBytes());
    if (!raiseNeeded) {
      d = hold(d, Resource.MEMORY, memNow, memoryThreshold);
    }
    return hold(d, Resource.CPU, in.current().cpuMillicores(), cpuThreshold);
  }

  private static AllocationDecision hold(AllocationDecision d, Resource r, long now, double threshold) {
    long target = d.value(r);
    double change = Amounts.relativeChange(now, target);
    if (target == now || change >= threshold) {
      return d;
    }
    return d.with(STEP, r, now, "change " + Amounts.percent(change) + " under " + Amounts.percent(threshold));
  }
}
