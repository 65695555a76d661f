package dev.presize.core.policy;

/**
 * How far above current usage memory must always stay: {@code max(minBytes, fraction × usage)}, so a resize
 * never leaves a function so little room that its next allocation is an OOM kill.
 *
 * @param minBytes the guard's floor in bytes (default 64 MiB), ≥ 0
 * @param fraction the guard as a fraction of usage (default 0.10), in [0, 10]
 */
public record MemoryGuard(long minBytes, double fraction) {

  public MemoryGuard {
    if (minBytes < 0) {
      throw new IllegalArgumentException("minBytes must be >= 0, was " + minBytes);
    }
    if (!(fraction >= 0 && fraction <= 10)) {
      throw new IllegalArgumentException("fraction must be in [0, 10], was " + fraction);
    }
  }

  /** The guard at {@code usedBytes} of usage. */
  public long guardBytes(long usedBytes) {
    return Math.max(minBytes, Amounts.ceil(fraction * usedBytes));
  }

  /** The lowest memory limit allowed at {@code usedBytes} of usage: usage plus the guard (saturating). */
  public long floorBytes(long usedBytes) {
    return Amounts.add(usedBytes, guardBytes(usedBytes));
  }
}
