package dev.presize.core.policy;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.resources.Resource;
import java.util.Objects;

/**
 * The default allocation policy: the chain
 * {@code UsageGuard(Bounds(RateLimit(Hysteresis(Headroom(QuantilePolicy)))))} built from a {@link PolicyConfig},
 * with the headroom's {@link #widen} exposed for a feedback loop.
 *
 * <p>The order matters: hysteresis and the rate limit may keep the value in force, so the bounds come after
 * them (a value in force above a lowered maximum is still clamped), and the usage guard comes last so no step
 * can undo it.
 */
public final class StandardPolicy implements AllocationPolicy {

  private final PolicyConfig config;
  private final Headroom headroom;
  private final AllocationPolicy chain;

  public StandardPolicy(PolicyConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.headroom = new Headroom(new QuantilePolicy(config.memoryQuantile(), config.cpuQuantile()),
        config.memoryHeadroom(), config.cpuHeadroom(), config.maxWidening());
    AllocationPolicy p = new Hysteresis(headroom, config.memoryHysteresis(), config.cpuHysteresis(), config.guard());
    p = new RateLimit(p, config.memoryDecreaseInterval(), config.cpuDecreaseInterval());
    p = new Bounds(p, config.memoryMinBytes(), config.memoryMaxBytes(), config.cpuMinMillicores(),
        config.cpuMaxMillicores());
    this.chain = new UsageGuard(p, config.guard(), config.memoryMaxBytes());
  }

  /** The standard policy configured by the {@code presize.policy.*} keys of {@code config}. */
  public static StandardPolicy from(ConfigProperties config) {
    return new StandardPolicy(PolicyConfig.from(config));
  }

  @Override
  public AllocationDecision decide(PolicyInput input) {
    return chain.decide(input);
  }

  /** See {@link Headroom#widen}: multiplies the margin of {@code resource}; returns the widening in force. */
  public double widen(Resource resource, double factor) {
    return headroom.widen(resource, factor);
  }

  /** The widening in force for {@code resource} (1 = none). */
  public double widening(Resource resource) {
    return headroom.widening(resource);
  }

  public PolicyConfig config() {
    return config;
  }
}
