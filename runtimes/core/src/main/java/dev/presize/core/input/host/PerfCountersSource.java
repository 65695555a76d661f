package dev.presize.core.input.host;

import dev.presize.core.input.BackgroundErrors;
import dev.presize.spi.Ticker;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The hardware counters of a process, from a {@code perf stat -I <ms> -x,} child process whose output a daemon
 * thread reads and accumulates; {@link #sample} copies the totals (cumulative since the source started).
 *
 * <p>perf prints per-interval counts; the reader adds them up. Counters perf reports as {@code <not supported>}
 * are never written; {@code <not counted>} intervals add nothing. When the target exits, perf exits too and the
 * totals stay at their last values.
 */
final class PerfCountersSource implements MetricSource {

  private final String name;
  private final Duration interval;
  private final Process perf;
  private final PerfCounters counters = new PerfCounters();
  private final BackgroundErrors errors;
  private final PerfStatReader reader;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * Starts reading {@code output}, perf's stderr.
   *
   * @param perf the perf child process to stop on close, or {@code null} when {@code output} is not a process's
   */
  PerfCountersSource(String name, Duration interval, InputStream output, Process perf, Ticker ticker) {
    this.name = name;
    this.interval = interval;
    this.perf = perf;
    this.errors = new BackgroundErrors(name, ticker);
    this.reader = new PerfStatReader(output, counters, errors, name);
    this.thread = new Thread(this::readUntilExit, "presize-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void readUntilExit() {
    reader.run();
    if (perf == null || closed) {
      return;
    }
    try {
      if (perf.waitFor(5, TimeUnit.SECONDS) && perf.exitValue() != 0 && !closed) {
        errors.record("run perf", new IOException("perf exited with code " + perf.exitValue()
            + "; last output: " + reader.otherLines()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() interrupts us; nothing left to report
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Metric> metrics() {
    return PerfCounters.metricSet();
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void sample(SampleWriter out) {
    for (int i = 0; i < counters.size(); i++) {
      if (!counters.unsupported(i)) {
        out.put(counters.metric(i), counters.total(i));
      }
    }
  }

  /** Whether the reader has reached the end of perf's output (perf exited). */
  boolean finished() {
    return reader.finished();
  }

  /** Counter lines parsed so far. */
  long linesParsed() {
    return reader.linesParsed();
  }

  /** Failures seen on the reader thread. */
  long errorCount() {
    return errors.count();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (perf != null) {
      perf.destroy(); // SIGTERM: perf prints its last interval and exits
      try {
        if (!perf.waitFor(2, TimeUnit.SECONDS)) {
          perf.destroyForcibly();
        }
      } catch (InterruptedException e) {
        perf.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
