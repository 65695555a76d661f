package dev.presize.core.policy;

/**
 * Maps a forecast, the current usage and the profile in force to a target resource profile. Pure logic: time
 * comes in {@link PolicyInput#nowNanos()}, nothing is read from the world.
 *
 * <p>Policies are composed as decorators around a base ({@link QuantilePolicy}): each step takes the decision
 * of the step inside it and may change it, recording what it changed. See {@link StandardPolicy} for the
 * default chain. Not thread-safe unless a step says so: one decision loop calls {@link #decide}.
 */
@FunctionalInterface
public interface AllocationPolicy {

  /** The decision for {@code input}: never null. */
  AllocationDecision decide(PolicyInput input);
}
