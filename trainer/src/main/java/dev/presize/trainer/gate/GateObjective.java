package dev.presize.trainer.gate;

import dev.presize.spi.resources.Resource;
import java.util.Objects;

/**
 * What a candidate model must achieve to be promoted: lower slack of {@code resource} than the current model and
 * the best baseline, at an under-provisioned share no higher than theirs, and a p90 coverage within
 * {@code [minCoverageP90, maxCoverageP90]}.
 *
 * @param resource the resource compared (default MEMORY)
 * @param minCoverageP90 the lowest acceptable p90 coverage of the candidate (default 0.85)
 * @param maxCoverageP90 the highest acceptable p90 coverage of the candidate (default 0.95)
 * @param maxBaselineUnder the best baseline is the one with the lowest slack among those whose under-provisioned
 *     share is at most this (default 0.01); with none such, the one with the lowest under-provisioned share
 * @param underTolerance how much the candidate's under-provisioned share may exceed the other's and still count as
 *     "no higher" (default 0.0002: two in ten thousand steps, below what a validation set of a few thousand steps
 *     can tell apart)
 */
public record GateObjective(Resource resource, double minCoverageP90, double maxCoverageP90,
    double maxBaselineUnder, double underTolerance) {

  public GateObjective {
    Objects.requireNonNull(resource, "resource");
    if (!(minCoverageP90 >= 0 && minCoverageP90 <= maxCoverageP90 && maxCoverageP90 <= 1)) {
      throw new IllegalArgumentException("p90 coverage tolerance must satisfy 0 <= min <= max <= 1, was ["
          + minCoverageP90 + ", " + maxCoverageP90 + "]");
    }
    if (!(underTolerance >= 0 && underTolerance < 1)) {
      throw new IllegalArgumentException("underTolerance must be in [0, 1), was " + underTolerance);
    }
    if (!(maxBaselineUnder >= 0 && maxBaselineUnder <= 1)) {
      throw new IllegalArgumentException("maxBaselineUnder must be in [0, 1], was " + maxBaselineUnder);
    }
  }

  /** The default: memory slack at equal or lower under-provisioning, p90 coverage in [0.85, 0.95]. */
  public static GateObjective defaults() {
    return new GateObjective(Resource.MEMORY, 0.85, 0.95, 0.01, 0.0002);
  }
}
