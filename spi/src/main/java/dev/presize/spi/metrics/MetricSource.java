package dev.presize.spi.metrics;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * Reads some of what a target uses, once per call, into a {@link SampleWriter}.
 *
 * <p><b>Threading.</b> {@link #sample} is called on the sampler's single daemon thread, every tick (10 ms by
 * default) or every {@link #interval()} if longer; never concurrently. {@link #close} may be called from another
 * thread once sampling has stopped.
 *
 * <p><b>Cost.</b> After its first call {@code sample} must not allocate, log or block on anything but a local
 * file read: files are opened once and re-read positionally into preallocated buffers. A source whose readings
 * come from elsewhere (a JFR stream, a {@code perf} pipe) gathers them on its own thread and {@code sample} only
 * copies the latest values.
 *
 * <p><b>Errors.</b> An {@link IOException} means this one reading failed (counted and logged, throttled, by the
 * sampler; sampling goes on). A target that has exited is not an error: the source writes what it last saw.
 */
public interface MetricSource extends AutoCloseable {

  /** The provider name that created this source (stable, used in logs and trace headers). */
  String name();

  /** Every metric this source writes; fixed for the source's life. */
  Set<Metric> metrics();

  /**
   * How often this source wants to be read: {@link Duration#ZERO} for every sampler tick, or a longer interval
   * for slower sources (working set, code phase, counters). Between reads its metrics keep their last values.
   */
  default Duration interval() {
    return Duration.ZERO;
  }

  /** Reads the current values into {@code out}. See the class comment for the rules. */
  void sample(SampleWriter out) throws IOException;

  /**
   * Reads every metric fresh now, including those a source refreshes only every few ticks to stay cheap: for
   * the final sample of a run and for checkpoints, where exact totals matter more than cost. Same thread and
   * error rules as {@link #sample}; may cost a few times more. By default, {@link #sample}.
   */
  default void sampleComplete(SampleWriter out) throws IOException {
    sample(out);
  }

  /**
   * What a reader of the samples should know about where they come from, e.g. {@code scope=host} for pressure
   * read host-wide, or the network namespace; recorded in trace headers as {@code source.<name>.<key>}.
   */
  default java.util.Map<String, String> attributes() {
    return java.util.Map.of();
  }

  /** Releases files, threads and child processes. Idempotent; never throws. */
  @Override
  void close();
}
