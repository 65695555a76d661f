package dev.presize.core.sampling;

import java.time.Duration;

/**
 * A fixed histogram of tick-to-tick intervals in 10 µs buckets up to 1 s, for jitter percentiles without
 * allocation. Written by the sampler thread; {@link #percentile} may be read from any thread (a racy but
 * never-torn snapshot of int counters, fine for monitoring).
 */
public final class IntervalHistogram {

  private static final long BUCKET_NANOS = 10_000;
  private static final int BUCKETS = 100_000; // 1 s
  private final int[] counts = new int[BUCKETS + 1];
  private volatile long total;

  /** Records one interval. */
  public void record(long nanos) {
    long b = nanos < 0 ? 0 : nanos / BUCKET_NANOS;
    counts[b >= BUCKETS ? BUCKETS : (int) b]++;
    total = total + 1;
  }

  public long count() {
    return total;
  }

  /**
   * The interval at quantile {@code q} in [0, 1] (middle of its 10 µs bucket), or {@link Duration#ZERO} when empty.
   */
  public Duration percentile(double q) {
    long n = total;
    if (n == 0) {
      return Duration.ZERO;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i <= BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Duration.ofNanos(i * BUCKET_NANOS + BUCKET_NANOS / 2);
      }
    }
    return Duration.ofNanos((BUCKETS + 1) * BUCKET_NANOS);
  }
}
