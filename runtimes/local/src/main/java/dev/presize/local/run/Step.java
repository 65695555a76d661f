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
 * @param groupWorkingSetBytes the cgroup's working set at the step's end (usage less the inactive file cache,
 *     which the kernel reclaims before it kills), or -1 when not sampled
 * @param networkBytesPerSecond received plus sent, or NaN when not sampled
 * @param diskBytesPerSecond read plus written, or NaN when not sampled
 * @param throttledNanos time the group was throttled by its CPU quota during the step (0 when not sampled)
 * @param oomKills OOM kills in the group since the command started (cumulative; 0 when not sampled)
 */
public record Step(int index, long endNanos, double cpuCores, double memoryBytes, long groupMemoryBytes,
    long groupWorkingSetBytes, double networkBytesPerSecond, double diskBytesPerSecond, long throttledNanos,
    long oomKills) {

  /**
   * The memory the limit must stay above (plus the guard): the group's working set where known, else its usage,
   * else the tree's RSS. Not usage with its page cache: a command writing files would fill every raise with cache
   * and ratchet its limit up without end (the kernel reclaims that cache at the limit; the actuator still never
   * lowers the limit below usage itself plus its own guard).
   */
  public long usedMemoryBytes() {
    return groupWorkingSetBytes >= 0 ? groupWorkingSetBytes : groupMemoryBytes >= 0 ? groupMemoryBytes
        : (long) memoryBytes;
  }
}
