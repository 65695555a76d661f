package dev.presize.core.predict;

import dev.presize.spi.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Logs at most one line per key per interval, counting the lines it held back and reporting the count with the
 * next line it lets through. Thread-safe; only reached on failure paths.
 */
final class ThrottledLog {

  private final Logger logger;
  private final Ticker ticker;
  private final long intervalNanos;
  private final Map<String, long[]> state = new HashMap<>(); // key -> {lastLoggedNanos, suppressed}

  ThrottledLog(Logger logger, Ticker ticker, Duration interval) {
    this.logger = logger;
    this.ticker = ticker;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs {@code message} under {@code key} unless a line with that key was logged within the interval. */
  synchronized void log(Level level, String key, String message) {
    long now = ticker.read();
    long[] s = state.get(key);
    if (s == null) {
      state.put(key, new long[] {now, 0});
      logger.log(level, message);
    } else if (now - s[0] >= intervalNanos) {
      long held = s[1];
      s[0] = now;
      s[1] = 0;
      logger.log(level, held == 0 ? message : message + " (" + held + " similar lines suppressed)");
    } else {
      s[1]++;
    }
  }
}
