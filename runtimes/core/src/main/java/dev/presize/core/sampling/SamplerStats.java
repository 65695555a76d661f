package dev.presize.core.sampling;

import java.time.Duration;

/**
 * How a sampler has kept its schedule: a snapshot of its counters.
 *
 * @param ticks samples taken
 * @param overruns ticks missed because a tick (or the host) ran past the next deadline
 * @param sourceErrors failed source reads (each counted, logged throttled, sampling went on)
 * @param intervalP50 median achieved tick-to-tick interval
 * @param intervalP99 99th percentile achieved interval
 * @param latenessP99 99th percentile of how late a tick started after its deadline (the jitter)
 * @param tickCostP99 99th percentile of the time one tick took
 */
public record SamplerStats(long ticks, long overruns, long sourceErrors, Duration intervalP50, Duration intervalP99,
    Duration latenessP99, Duration tickCostP99) {}
