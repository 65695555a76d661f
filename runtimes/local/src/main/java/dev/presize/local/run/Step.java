package dev.presize.local.run;

/**
 * What a running command used over one decision step {@code (endNanos - length, endNanos]}.
 *
 * @param index the step's number, from 0
 * @param endNanos when the step ended (the sampler's ticker)
 * @param cpuCores mean CPU over the step, in cores
 * @param memoryBytes the largest memory sampled in the step: the process tree's RSS (the cgroup's usage when the
 *     tree's is not sampled), as the trainer reads traces
 * @param groupMemoryBytes the cgroup's memory usage at the step's end (page cache included), or -1 without one:
 *     what the kernel compares with the limit
 * @param networkBytesPerSecond received plus sent, or NaN when not sampled
 * @param diskBytesPerSecond read plus written, or NaN when not sampled
 * @param throttledNanos time the group was throttled by its CPU quota during the step (0 when not sampled)
 * @param oomKills OOM kills in the group since the command started (cumulative; 0 when not sampled)
 */
public record Step(int index, long endNanos, double cpuCores, double memoryBytes, long groupMemoryBytes,
    double networkBytesPerSecond, double diskBytesPerSecond, long throttledNanos, long oomKills) {

  /** The memory the limit must stay above: the group's usage where known, else the tree's RSS. */
  public long usedMemoryBytes() {
    return groupMemoryBytes >= 0 ? groupMemoryBytes : (long) memoryBytes;
  }
}
