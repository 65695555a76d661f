package dev.presize.core.checkpoint;

import java.time.Duration;

/**
 * The checkpoint cost C the schedule uses: an exponentially weighted moving average of measured costs, starting
 * from a prior until the first measurement. Not thread-safe (owned by the schedule's thread).
 */
public final class CostEstimate {

  private final double weight;
  private double nanos;
  private long samples;

  /**
   * @param prior C before any checkpoint was measured
   * @param weight the weight of a new measurement, in (0, 1]
   */
  public CostEstimate(Duration prior, double weight) {
    if (prior.isNegative()) {
      throw new IllegalArgumentException("prior must be >= 0, was " + prior);
    }
    if (!(weight > 0 && weight <= 1)) {
      throw new IllegalArgumentException("weight must be in (0, 1], was " + weight);
    }
    this.weight = weight;
    this.nanos = prior.toNanos();
  }

  /** Adds a measured cost; the first one replaces the prior. */
  public void observe(long costNanos) {
    if (costNanos < 0) {
      throw new IllegalArgumentException("costNanos must be >= 0, was " + costNanos);
    }
    nanos = samples == 0 ? costNanos : nanos + weight * (costNanos - nanos);
    samples++;
  }

  /** The current estimate. */
  public Duration cost() {
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Measurements so far. */
  public long samples() {
    return samples;
  }
}
