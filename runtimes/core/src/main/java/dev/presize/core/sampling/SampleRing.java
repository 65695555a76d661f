package dev.presize.core.sampling;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-producer, single-consumer ring of samples in one {@code long[]}: a timestamp and a value per column.
 *
 * <p>The sampler thread {@link #put}s; one consumer thread {@link #drain}s. Neither allocates. When the consumer
 * falls more than {@code capacity - 1} behind, the oldest samples are overwritten and counted in {@link #dropped()};
 * a sample overwritten while it was being copied is detected and dropped too, never delivered torn.
 */
public final class SampleRing {

  private static final VarHandle PUBLISHED;

  static {
    try {
      PUBLISHED = MethodHandles.lookup().findVarHandle(SampleRing.class, "published", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Receives drained samples; {@code values} is reused after the call returns. */
  @FunctionalInterface
  public interface Consumer {
    void accept(long timestampNanos, long[] values);
  }

  private final int columns;
  private final int stride;
  private final int mask;
  private final long[] data;
  private final long[] scratch;
  private final long[] latestScratch;

  @SuppressWarnings("unused") // accessed through PUBLISHED
  private volatile long published; // count of samples ever put
  private long readCursor; // consumer only
  private long dropped; // consumer only

  /**
   * @param columns values per sample
   * @param capacity samples kept; rounded up to a power of two
   */
  public SampleRing(int columns, int capacity) {
    if (columns < 0) {
      throw new IllegalArgumentException("columns must be >= 0, was " + columns);
    }
    if (capacity < 2 || capacity > (1 << 24)) {
      throw new IllegalArgumentException("capacity must be in [2, 2^24], was " + capacity);
    }
    int cap = Integer.highestOneBit(capacity - 1) << 1;
    this.columns = columns;
    this.stride = columns + 1;
    this.mask = cap - 1;
    this.data = new long[cap * stride];
    this.scratch = new long[columns];
    this.latestScratch = new long[columns];
  }

  public int columns() {
    return columns;
  }

  public int capacity() {
    return mask + 1;
  }

  /** Producer: appends a sample. {@code values.length} must be {@link #columns()}. */
  public void put(long timestampNanos, long[] values) {
    long seq = (long) PUBLISHED.getOpaque(this);
    // The previous put's publication must be visible before this put's slot writes: a consumer that sees these
    // writes then also sees published == seq and detects the overwrite (no-op on x86, needed on ARM).
    VarHandle.storeStoreFence();
    int base = (int) (seq & mask) * stride;
    data[base] = timestampNanos;
    System.arraycopy(values, 0, data, base + 1, columns);
    PUBLISHED.setRelease(this, seq + 1);
  }

  /** Samples ever put. */
  public long published() {
    return (long) PUBLISHED.getAcquire(this);
  }

  /**
   * Consumer: hands every sample not yet drained to {@code consumer}, oldest first.
   *
   * @return the number delivered
   */
  public int drain(Consumer consumer) {
    long end = (long) PUBLISHED.getAcquire(this);
    int capacity = mask + 1;
    // The producer may be writing slot (published & mask) right now, so at most capacity - 1 are readable.
    if (end - readCursor > capacity - 1) {
      dropped += end - readCursor - (capacity - 1);
      readCursor = end - (capacity - 1);
    }
    int delivered = 0;
    while (readCursor < end) {
      int base = (int) (readCursor & mask) * stride;
      long ts = data[base];
      System.arraycopy(data, base + 1, scratch, 0, columns);
      VarHandle.acquireFence();
      long now = (long) PUBLISHED.getAcquire(this);
      if (now - readCursor > capacity - 1) {
        // The producer lapped us while we copied: this slot may be torn. Skip ahead.
        long skipTo = now - capacity + 1;
        dropped += skipTo - readCursor;
        readCursor = skipTo;
        end = now;
        continue;
      }
      readCursor++;
      consumer.accept(ts, scratch);
      delivered++;
    }
    return delivered;
  }

  /**
   * Any thread: copies the newest sample's values into {@code out} (retrying if overwritten meanwhile).
   *
   * @return its timestamp, or {@code Long.MIN_VALUE} when nothing was put yet
   */
  public long latest(long[] out) {
    while (true) {
      long seq = (long) PUBLISHED.getAcquire(this);
      if (seq == 0) {
        return Long.MIN_VALUE;
      }
      int base = (int) ((seq - 1) & mask) * stride;
      long ts = data[base];
      System.arraycopy(data, base + 1, out, 0, columns);
      VarHandle.acquireFence();
      if ((long) PUBLISHED.getAcquire(this) - seq < mask) {
        return ts;
      }
    }
  }

  /** Samples lost because the consumer fell behind (consumer thread's view). */
  public long dropped() {
    return dropped;
  }
}
