/**
 * The allocation policy: maps a {@link dev.presize.spi.resources.Forecast} (per-resource quantiles over the
 * horizon), the current memory usage and the profile in force to a target
 * {@link dev.presize.spi.resources.ResourceProfile}, with the reasons.
 *
 * <p>Pure logic (JDK and SPI only; time is an argument) composed as decorators, each an
 * {@link dev.presize.core.policy.AllocationPolicy} around another:
 * <ol>
 *   <li>{@link dev.presize.core.policy.QuantilePolicy}: memory at p99 of the forecast, CPU at p90 (configurable);
 *   <li>{@link dev.presize.core.policy.Headroom}: plus a margin (10% each), times a widening a feedback loop
 *       can raise when observed coverage falls below target ({@code widen});
 *   <li>{@link dev.presize.core.policy.Hysteresis}: keep what is in force when the change is under 5% (memory) or
 *       10% (CPU); never holds back a memory raise while memory in force is below usage plus guard;
 *   <li>{@link dev.presize.core.policy.RateLimit}: at most one decrease per 10 s (memory) or 1 s (CPU);
 *       increases at once;
 *   <li>{@link dev.presize.core.policy.Bounds}: clamp to the function's min/max (the max wins over the forecast;
 *       a capped target is flagged as contention);
 *   <li>{@link dev.presize.core.policy.UsageGuard}, outermost: memory never below usage plus the guard,
 *       {@code max(64 MiB, 10% of usage)}; when that is above the memory max the limit goes above the max
 *       (never below usage) and the decision is flagged as memory contention.
 * </ol>
 * {@link dev.presize.core.policy.StandardPolicy} builds that chain from a
 * {@link dev.presize.core.policy.PolicyConfig} ({@code presize.policy.*} keys). Each step that changes a value
 * records an {@link dev.presize.core.policy.AllocationDecision.Adjustment}, so a decision says which step
 * changed what and why.
 */
package dev.presize.core.policy;
