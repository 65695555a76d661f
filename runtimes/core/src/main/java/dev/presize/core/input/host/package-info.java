/**
 * Metric sources that read the host's view of a process at a slower cadence: the accessed-bit working set
 * ({@code smaps_rollup} + {@code clear_refs}) and hardware counters ({@code perf stat}). Each probes the host and
 * reports itself unsupported, with the reason, where the kernel or VM lacks what it needs.
 */
package dev.presize.core.input.host;
