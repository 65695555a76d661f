package dev.presize.core.policy;

import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Builders for policy tests. */
final class Inputs {

  static final long MIB = 1L << 20;
  static final long GIB = 1L << 30;

  private Inputs() {}

  static Forecast forecast(Quantiles memoryBytes, Quantiles cpuMillicores) {
    return new Forecast("fn", Instant.EPOCH, Duration.ofSeconds(1),
        Map.of(Resource.MEMORY, memoryBytes, Resource.CPU, cpuMillicores), "test", "1");
  }

  /** A forecast where every quantile of a resource is the same. */
  static Forecast flat(long memoryBytes, long cpuMillicores) {
    return forecast(new Quantiles(memoryBytes, memoryBytes, memoryBytes),
        new Quantiles(cpuMillicores, cpuMillicores, cpuMillicores));
  }

  static PolicyInput input(long usedMemoryBytes, ResourceProfile current, long nowNanos) {
    return new PolicyInput(flat(MIB, 1), usedMemoryBytes, current, nowNanos);
  }

  /** An inner step that decides exactly {@code target}. */
  static AllocationPolicy fixed(ResourceProfile target) {
    return in -> AllocationDecision.keep(in.current())
        .with("fixed", Resource.MEMORY, target.memoryBytes(), "test")
        .with("fixed", Resource.CPU, target.cpuMillicores(), "test");
  }

  /** An inner step that decides whatever {@link #target} holds at the time. */
  static final class Settable implements AllocationPolicy {
    ResourceProfile target;

    Settable(ResourceProfile target) {
      this.target = target;
    }

    @Override
    public AllocationDecision decide(PolicyInput in) {
      return fixed(target).decide(in);
    }
  }
}
