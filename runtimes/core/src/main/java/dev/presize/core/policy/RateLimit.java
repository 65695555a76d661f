package dev.presize.core.policy;

import dev.presize.spi.resources.Resource;
import java.time.Duration;
import java.util.Objects;

/**
 * Lets at most one decrease per interval through, per resource; increases pass at once. A decrease held back
 * keeps the value in force.
 *
 * <p>Stateful: it remembers when it last let a decrease of each resource through (a decision, whether or not
 * it was actuated; so a refused decrease also waits out the interval). One decision loop calls it.
 */
public final class RateLimit implements AllocationPolicy {

  /** The step name in {@link AllocationDecision.Adjustment#by()}. */
  public static final String STEP = "rate-limit";

  private final AllocationPolicy inner;
  private final long memoryIntervalNanos;
  private final long cpuIntervalNanos;
  private long lastMemoryDecreaseNanos;
  private long lastCpuDecreaseNanos;
  private boolean memoryDecreased;
  private boolean cpuDecreased;

  /**
   * @param memoryInterval at most one memory decrease per this, ≥ 0
   * @param cpuInterval at most one CPU decrease per this, ≥ 0
   */
  public RateLimit(AllocationPolicy inner, Duration memoryInterval, Duration cpuInterval) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.memoryIntervalNanos = PolicyConfig.checkInterval("memoryInterval", memoryInterval).toNanos();
    this.cpuIntervalNanos = PolicyConfig.checkInterval("cpuInterval", cpuInterval).toNanos();
  }

  @Override
  public AllocationDecision decide(PolicyInput in) {
    AllocationDecision d = inner.decide(in);
    long now = in.nowNanos();
    long memNow = in.current().memoryBytes();
    if (d.value(Resource.MEMORY) < memNow) {
      if (memoryDecreased && now - lastMemoryDecreaseNanos < memoryIntervalNanos) {
        d = d.with(STEP, Resource.MEMORY, memNow, held(now - lastMemoryDecreaseNanos, memoryIntervalNanos));
      } else {
        memoryDecreased = true;
        lastMemoryDecreaseNanos = now;
      }
    }
    long cpuNow = in.current().cpuMillicores();
    if (d.value(Resource.CPU) < cpuNow) {
      if (cpuDecreased && now - lastCpuDecreaseNanos < cpuIntervalNanos) {
        d = d.with(STEP, Resource.CPU, cpuNow, held(now - lastCpuDecreaseNanos, cpuIntervalNanos));
      } else {
        cpuDecreased = true;
        lastCpuDecreaseNanos = now;
      }
    }
    return d;
  }

  private static String held(long sinceNanos, long intervalNanos) {
    return "decrease held: last one " + sinceNanos / 1_000_000 + "ms ago, at most one per "
        + intervalNanos / 1_000_000 + "ms";
  }
}
