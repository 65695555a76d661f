package dev.presize.core.sampling;

import dev.presize.spi.Ticker;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The 10 ms sampling loop: one daemon thread that reads every metric source each tick into a {@link SampleRing}.
 *
 * <p>Each tick reads the sources that are due (a source with a longer {@link MetricSource#interval()} is read
 * less often; its metrics keep their last values in between), then publishes one sample. A tick allocates
 * nothing; a failing source is counted and logged at most every 10 s, and sampling goes on; nothing escapes the
 * thread. Interval error (jitter) and overruns (missed deadlines) are counted in {@link #stats()}.
 */
public final class Sampler implements AutoCloseable {

  /** Config key of the sampling interval. */
  public static final String INTERVAL = "presize.sampling.interval";

  /** The default sampling interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);

  private static final System.Logger LOG = System.getLogger(Sampler.class.getName());
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final MetricSource[] sources;
  private final long[] sourceIntervalNanos;
  private final long[] nextDueNanos;
  private final long[] sourceErrors;
  private final long[] lastLogNanos;
  private final SampleSchema schema;
  private final SampleRing ring;
  private final long[] values;
  private final Writer writer = new Writer();
  private final Ticker ticker;
  private final long intervalNanos;
  private final long halfTickNanos;
  private final long originNanos;
  private final IntervalHistogram intervals = new IntervalHistogram();
  private final IntervalHistogram lateness = new IntervalHistogram();
  private final IntervalHistogram tickCost = new IntervalHistogram();

  private volatile long ticks;
  private volatile long overruns;
  private volatile long errors;
  private long lastTickNanos = Long.MIN_VALUE;
  private long lastListenerLogNanos;
  private volatile boolean running;
  private volatile Listener listener;
  private Thread thread;

  /**
   * Told of every sample as it is taken, on the sampler thread, before any consumer drains it: for a reflex that
   * cannot wait for the drain (the run's usage guard). It must return at once (no I/O, no lock held by anyone for
   * long); {@code values} is reused after the call. A listener that throws is counted as an error and logged.
   */
  public interface Listener {
    void sampled(long timestampNanos, long[] values);
  }

  /**
   * @param sources the sources to read, owned by the sampler from now on (closed by {@link #close()})
   * @param interval the tick interval
   * @param ticker monotonic time; sample timestamps are its readings minus the reading at construction
   * @param ringCapacity samples the ring keeps for consumers
   */
  public Sampler(List<? extends MetricSource> sources, Duration interval, Ticker ticker, int ringCapacity) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    this.sources = sources.toArray(new MetricSource[0]);
    this.ticker = ticker;
    this.intervalNanos = interval.toNanos();
    this.halfTickNanos = intervalNanos / 2;
    Set<Metric> all = EnumSet.noneOf(Metric.class);
    this.sourceIntervalNanos = new long[this.sources.length];
    for (int i = 0; i < this.sources.length; i++) {
      all.addAll(this.sources[i].metrics());
      sourceIntervalNanos[i] = Math.max(intervalNanos, this.sources[i].interval().toNanos());
    }
    this.schema = SampleSchema.of(all);
    this.ring = new SampleRing(schema.size(), ringCapacity);
    this.values = new long[schema.size()];
    this.nextDueNanos = new long[this.sources.length];
    this.sourceErrors = new long[this.sources.length];
    this.lastLogNanos = new long[this.sources.length];
    this.originNanos = ticker.read();
    this.lastListenerLogNanos = originNanos - LOG_EVERY_NANOS;
    for (int i = 0; i < this.sources.length; i++) {
      nextDueNanos[i] = originNanos;
      lastLogNanos[i] = originNanos - LOG_EVERY_NANOS;
    }
  }

  public SampleSchema schema() {
    return schema;
  }

  /** The ticker reading sample timestamps count from (taken when the sampler was made). */
  public long originNanos() {
    return originNanos;
  }

  public SampleRing ring() {
    return ring;
  }

  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /** The sources read, in order. */
  public List<MetricSource> sources() {
    return List.of(sources);
  }

  /** Failed reads per source, in {@link #sources()} order. */
  public long[] sourceErrors() {
    return sourceErrors.clone();
  }

  /** Tells {@code l} of every sample from now on (null: nobody); any thread. */
  public void listen(Listener l) {
    listener = l;
  }

  /** Starts the daemon thread {@code presize-sampler}. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("sampler already started");
    }
    running = true;
    thread = new Thread(this::loop, "presize-sampler");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
  }

  private void loop() {
    long next = ticker.read();
    while (running) {
      try {
        long now = ticker.read();
        long wait = next - now;
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
          continue; // re-check: parkNanos may return early
        }
        lateness.record(-wait);
        tick();
        long after = ticker.read();
        tickCost.record(after - now);
        next += intervalNanos;
        if (after - next >= 0) {
          long missed = (after - next) / intervalNanos + 1;
          overruns = overruns + missed;
          next += missed * intervalNanos;
        }
      } catch (Throwable t) {
        // tick() already contains source failures; this guards the loop's own arithmetic and the ring.
        errors = errors + 1;
        LOG.log(System.Logger.Level.ERROR, "sampler loop error=" + t, t);
      }
    }
  }

  /** Takes one sample now (the thread's tick; also for tests and benchmarks). Sampler thread only. */
  public void tick() {
    tick(false);
  }

  /**
   * Takes one sample now with every source read in full ({@link MetricSource#sampleComplete}), whatever its
   * interval: the final sample of a run, or a checkpoint's. Only while the sampler thread is stopped.
   */
  public void tickComplete() {
    Thread t = thread;
    if (running || (t != null && t.isAlive())) {
      throw new IllegalStateException("tickComplete() needs the sampler thread stopped (call stop() first)");
    }
    tick(true);
  }

  private void tick(boolean complete) {
    long now = ticker.read();
    for (int i = 0; i < sources.length; i++) {
      // Half a tick of tolerance keeps a slower source on the tick grid despite jitter (20 ms = every 2nd tick).
      if (complete || now - nextDueNanos[i] >= -halfTickNanos) {
        try {
          if (complete) {
            sources[i].sampleComplete(writer);
          } else {
            sources[i].sample(writer);
          }
        } catch (Throwable t) {
          sourceErrors[i]++;
          errors = errors + 1;
          if (now - lastLogNanos[i] >= LOG_EVERY_NANOS) {
            lastLogNanos[i] = now;
            LOG.log(System.Logger.Level.WARNING, "metric source failed source=" + sources[i].name() + " errors="
                + sourceErrors[i] + " error=" + t);
          }
        }
        nextDueNanos[i] = now + sourceIntervalNanos[i];
      }
    }
    ring.put(now - originNanos, values);
    Listener l = listener;
    if (l != null) {
      try {
        l.sampled(now - originNanos, values);
      } catch (Throwable t) {
        errors = errors + 1;
        if (now - lastListenerLogNanos >= LOG_EVERY_NANOS) {
          lastListenerLogNanos = now;
          LOG.log(System.Logger.Level.WARNING, "sample listener failed error=" + t);
        }
      }
    }
    if (lastTickNanos != Long.MIN_VALUE) {
      intervals.record(now - lastTickNanos);
    }
    lastTickNanos = now;
    ticks = ticks + 1;
  }

  /** A snapshot of the counters; any thread. */
  public SamplerStats stats() {
    return new SamplerStats(ticks, overruns, errors, intervals.percentile(0.5), intervals.percentile(0.99),
        lateness.percentile(0.99), tickCost.percentile(0.99));
  }

  /**
   * Stops the thread without closing the sources, waiting for the current tick to end (a tick is file reads:
   * milliseconds at worst).
   *
   * @throws IllegalStateException if the thread is still running after 5 s (then nothing else may touch the ring)
   */
  public synchronized void stop() {
    running = false;
    Thread t = thread;
    if (t == null) {
      return;
    }
    LockSupport.unpark(t);
    try {
      t.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      throw new IllegalStateException("sampler thread did not stop within 5 s; stack: "
          + java.util.Arrays.toString(t.getStackTrace()));
    }
  }

  /** Stops sampling and closes every source. */
  @Override
  public void close() {
    try {
      stop();
    } catch (IllegalStateException e) {
      LOG.log(System.Logger.Level.ERROR, "closing sources under a running sampler thread error=" + e.getMessage());
    }
    List<Throwable> failures = new ArrayList<>();
    for (MetricSource s : sources) {
      try {
        s.close();
      } catch (Throwable t) {
        failures.add(t); // close() must not throw by contract; report who broke it
      }
    }
    for (Throwable t : failures) {
      LOG.log(System.Logger.Level.WARNING, "metric source close failed error=" + t, t);
    }
  }

  /** Maps metrics to columns of the current sample; allocation-free. */
  private final class Writer implements SampleWriter {
    @Override
    public void put(Metric metric, long value) {
      int c = schema.columnOf(metric);
      if (c >= 0) {
        values[c] = value;
      }
    }
  }
}
