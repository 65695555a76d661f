package dev.presize.core.policy;

import dev.presize.spi.resources.Resource;

/**
 * The base of a policy chain: memory and CPU each at a chosen quantile of the forecast (default p99 for
 * memory, p90 for CPU), at least 1 unit; the network is left as it is.
 */
public final class QuantilePolicy implements AllocationPolicy {

  /** The step name in {@link AllocationDecision.Adjustment#by()}. */
  public static final String STEP = "quantile";

  private final Quantile memory;
  private final Quantile cpu;

  public QuantilePolicy(Quantile memory, Quantile cpu) {
    this.memory = java.util.Objects.requireNonNull(memory, "memory");
    this.cpu = java.util.Objects.requireNonNull(cpu, "cpu");
  }

  @Override
  public AllocationDecision decide(PolicyInput in) {
    double mem = memory.of(in.forecast().memory());
    double cores = cpu.of(in.forecast().cpu());
    return AllocationDecision.keep(in.current())
        .with(STEP, Resource.MEMORY, Math.max(1, Amounts.ceil(mem)), memory + " of the forecast")
        .with(STEP, Resource.CPU, Math.max(1, Amounts.ceil(cores)), cpu + " of the forecast");
  }
}
