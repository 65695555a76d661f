package dev.presize.core.policy;

import dev.presize.spi.resources.Resource;
import java.util.Objects;

/**
 * Adds a margin to what the step inside it decided: {@code value × (1 + headroom) × widening}, per resource.
 *
 * <p>The widening starts at 1 and is what a feedback loop turns: when observed coverage (the share of horizons
 * whose real need stayed under the allocation) falls below its target, it calls {@link #widen} with a factor
 * above 1; when coverage is comfortably above, with a factor below 1. The widening stays within
 * {@code [1, maxWidening]}, so it never narrows below the configured headroom. {@link #widen} may be called
 * from another thread than {@link #decide}.
 */
public final class Headroom implements AllocationPolicy {

  /** The step name in {@link AllocationDecision.Adjustment#by()}. */
  public static final String STEP = "headroom";

  private final AllocationPolicy inner;
  private final double memoryFraction;
  private final double cpuFraction;
  private final double maxWidening;
  private volatile double memoryWidening = 1;
  private volatile double cpuWidening = 1;

  /**
   * @param memoryFraction memory headroom as a fraction (0.10 = 10%), ≥ 0
   * @param cpuFraction CPU headroom as a fraction, ≥ 0
   * @param maxWidening the most {@link #widen} may multiply the margin by, ≥ 1
   */
  public Headroom(AllocationPolicy inner, double memoryFraction, double cpuFraction, double maxWidening) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.memoryFraction = PolicyConfig.checkFraction("memoryFraction", memoryFraction);
    this.cpuFraction = PolicyConfig.checkFraction("cpuFraction", cpuFraction);
    if (!(maxWidening >= 1) || Double.isInfinite(maxWidening)) {
      throw new IllegalArgumentException("maxWidening must be finite and >= 1, was " + maxWidening);
    }
    this.maxWidening = maxWidening;
  }

  @Override
  public AllocationDecision decide(PolicyInput in) {
    AllocationDecision d = inner.decide(in);
    d = pad(d, Resource.MEMORY, memoryFraction, memoryWidening);
    return pad(d, Resource.CPU, cpuFraction, cpuWidening);
  }

  private static AllocationDecision pad(AllocationDecision d, Resource r, double fraction, double widening) {
    long v = d.value(r);
    double factor = (1 + fraction) * widening;
    return d.with(STEP, r, Math.max(1, Amounts.ceil(v * factor)),
        "+" + Amounts.percent(fraction) + " headroom, widening " + Amounts.percent(widening));
  }

  /**
   * Multiplies the margin of {@code resource} by {@code factor} (above 1 widens, below 1 narrows back), keeping
   * the cumulative widening within {@code [1, maxWidening]}.
   *
   * @return the widening now in force for {@code resource}
   */
  public synchronized double widen(Resource resource, double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be finite and > 0, was " + factor);
    }
    double next;
    switch (resource) {
      case MEMORY -> memoryWidening = next = clamp(memoryWidening * factor);
      case CPU -> cpuWidening = next = clamp(cpuWidening * factor);
      default -> throw new IllegalArgumentException("headroom covers CPU and MEMORY, not " + resource);
    }
    return next;
  }

  /** The widening in force for {@code resource} (1 = none). */
  public double widening(Resource resource) {
    return switch (resource) {
      case MEMORY -> memoryWidening;
      case CPU -> cpuWidening;
      default -> throw new IllegalArgumentException("headroom covers CPU and MEMORY, not " + resource);
    };
  }

  private double clamp(double w) {
    return Math.min(maxWidening, Math.max(1, w));
  }
}
