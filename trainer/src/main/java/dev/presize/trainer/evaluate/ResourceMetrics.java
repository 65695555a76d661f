package dev.presize.trainer.evaluate;

/**
 * How one method sized one resource over a replay: slack, under-provisioning, forecast scores and resizes.
 *
 * <p>Every mean is over the <em>scored</em> steps: steps whose actual usage is a number and for which an allocation
 * existed (the method's own, or {@link Replay}'s fallback). Values are in {@link dev.presize.trainer.model.Series}
 * units (CPU cores, MEMORY bytes, NETWORK/DISK bytes per second).
 *
 * @param steps scored steps, over all series
 * @param fallbackSteps scored steps where the method had no opinion ({@code NaN}) and the replay's fallback was used
 * @param unallocatedSteps steps with a usage but neither an opinion nor a fallback (not scored)
 * @param slack mean over scored steps of the issue's {@code (allocated - used) / allocated}, clipped to [0, 1]: an
 *     under-provisioned step counts 0 (its cost is {@code underProvisioned}), and so does a step with nothing
 *     allocated. Unclipped, the per-step ratio is unbounded below where an allocation decays towards 0 (a mean of
 *     -3e94 was measured for EWMA CPU on Bitbrains), so the unclipped form is given only in aggregate:
 * @param aggregateSlack {@code Σ(allocated - used) / Σ allocated} over the scored steps, not clipped
 * @param underProvisioned share of scored steps with {@code used > allocated} (CPU: throttling; MEMORY: OOM risk)
 * @param coverageOfAllocation share of scored steps with {@code used <= allocated}; for the baselines, which give
 *     one number, this is the p90 coverage when the allocation is read as the p90 forecast
 * @param pinballP90 mean pinball loss at q = 0.9, in the resource's units: of the method's p90 forecast when it gives
 *     quantile forecasts (over its {@code forecastSteps}), else of the allocation read as the p90 forecast
 * @param resizes steps whose allocation differs from the previous scored step's of the same series by more than
 *     {@link Replay#RESIZE_THRESHOLD} (relative), summed over series
 * @param meanAllocation mean allocation over the scored steps
 * @param meanUsage mean usage over the scored steps
 * @param forecastSteps scored steps with the method's own quantile forecasts (0 for one-number methods)
 * @param coverageP90 share of steps with {@code used <= p90 forecast}: over {@code forecastSteps} for a quantile
 *     forecaster, else {@code coverageOfAllocation}
 * @param coverageP99 share of {@code forecastSteps} with {@code used <= p99 forecast}; NaN without forecasts
 * @param pinballP50 mean pinball loss of the p50 forecast over {@code forecastSteps}; NaN without forecasts
 * @param pinballP99 mean pinball loss of the p99 forecast over {@code forecastSteps}; NaN without forecasts
 */
public record ResourceMetrics(long steps, long fallbackSteps, long unallocatedSteps, double slack,
    double aggregateSlack, double underProvisioned, double coverageOfAllocation, double pinballP90, long resizes,
    double meanAllocation, double meanUsage, long forecastSteps, double coverageP90, double coverageP99,
    double pinballP50, double pinballP99) {

  public ResourceMetrics {
    if (steps < 0 || fallbackSteps < 0 || unallocatedSteps < 0 || resizes < 0 || forecastSteps < 0) {
      throw new IllegalArgumentException("counts must be >= 0, were steps=" + steps + " fallbackSteps="
          + fallbackSteps + " unallocatedSteps=" + unallocatedSteps + " resizes=" + resizes);
    }
    if (fallbackSteps > steps) {
      throw new IllegalArgumentException("fallbackSteps=" + fallbackSteps + " exceeds steps=" + steps);
    }
  }

  /** Resizes per 1000 scored steps; {@code NaN} without scored steps. */
  public double resizesPerThousandSteps() {
    return steps == 0 ? Double.NaN : 1000.0 * resizes / steps;
  }
}
