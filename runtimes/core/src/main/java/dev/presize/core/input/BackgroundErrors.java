package dev.presize.core.input;

import dev.presize.spi.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter of failures on a source's background thread (GC notifications, a JFR stream, a reader of a child
 * process's output), logged at most once a
 * minute with {@code key=value} messages so that a failing loop neither floods the log nor fails silently.
 */
public final class BackgroundErrors {

  private static final System.Logger LOG = System.getLogger(BackgroundErrors.class.getPackageName());
  private static final long LOG_GAP_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String source;
  private final Ticker ticker;
  private final AtomicLong count = new AtomicLong();
  private boolean loggedOnce;
  private long lastLogNanos;
  private long suppressed;

  public BackgroundErrors(String source, Ticker ticker) {
    this.source = source;
    this.ticker = ticker;
  }

  /** Counts one failure of {@code operation} and logs it unless another was logged less than a minute ago. */
  public void record(String operation, Throwable error) {
    long total = count.incrementAndGet();
    synchronized (this) {
      long now = ticker.read();
      if (loggedOnce && now - lastLogNanos < LOG_GAP_NANOS) {
        suppressed++;
        return;
      }
      loggedOnce = true;
      lastLogNanos = now;
      long hidden = suppressed;
      suppressed = 0;
      LOG.log(System.Logger.Level.WARNING,
          "source=" + source + " operation=" + operation + " errors=" + total + " suppressedSinceLastLog=" + hidden
              + " error=" + error,
          error);
    }
  }

  /** Failures recorded so far. */
  public long count() {
    return count.get();
  }
}
