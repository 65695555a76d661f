package dev.presize.core.policy;

import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.ResourceProfile;
import java.util.Objects;

/**
 * What one allocation decision is made from: the forecast, what the function uses now, what it has now, and
 * when (time is an argument, so the policy is pure logic a test drives with a fake clock).
 *
 * @param forecast the quantiles of the function's need over the next horizon
 * @param usedMemoryBytes the function's memory usage now (the cgroup's usage), ≥ 0
 * @param current the profile in force now
 * @param nowNanos a monotonic reading ({@link dev.presize.spi.Ticker}); only differences matter
 */
public record PolicyInput(Forecast forecast, long usedMemoryBytes, ResourceProfile current, long nowNanos) {

  public PolicyInput {
    Objects.requireNonNull(forecast, "forecast");
    Objects.requireNonNull(current, "current");
    if (usedMemoryBytes < 0) {
      throw new IllegalArgumentException("usedMemoryBytes must be >= 0, was " + usedMemoryBytes);
    }
  }
}
