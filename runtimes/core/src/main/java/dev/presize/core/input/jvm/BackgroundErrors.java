package dev.presize.core.input.jvm;

import dev.presize.spi.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter of failures on a background thread (GC notifications, the JFR stream), logged at most once a
 * minute with {@code key=value} messages so that a failing loop neither floods the log nor fails silently.
 */
final class BackgroundErrors {

  private static final System.Logger LOG = System.getLogger("dev.presize.core.input.jvm");
  private static final long LOG_GAP_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String source;
  private final Ticker ticker;
  private final AtomicLong count = new AtomicLong();
  private boolean loggedOnce;
  private long lastLogNanos;
  private long suppressed;

  BackgroundErrors(String source, Ticker ticker) {
    this.source = source;
    this.ticker = ticker;
  }

  /** Counts one failure of {@code operation} and logs it unless another was logged less than a minute ago. */
  void record(String operation, Throwable error) {
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
  long count() {
    return count.get();
  }
}
