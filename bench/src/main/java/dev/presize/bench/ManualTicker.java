package dev.presize.bench;

import dev.presize.spi.Ticker;

/**
 * A {@link Ticker} that the benchmark advances by hand, so that a tight loop of ticks sees time pass as the 10 ms
 * sampler does: every source is due on every tick, and time-based work (the process-tree rescan every 100 ms)
 * happens every tenth tick, as in production.
 */
final class ManualTicker implements Ticker {

  private long nanos = 1_000_000_000L;

  @Override
  public long read() {
    return nanos;
  }

  /** Moves time forward by {@code deltaNanos}. */
  void advance(long deltaNanos) {
    nanos += deltaNanos;
  }
}
