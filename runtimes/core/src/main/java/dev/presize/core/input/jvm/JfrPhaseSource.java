package dev.presize.core.input.jvm;

import dev.presize.core.input.BackgroundErrors;
import dev.presize.spi.Ticker;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;

/**
 * A metric source that reports which code this JVM is running as a small phase id, from JFR's execution sampler.
 *
 * <p>A {@link RecordingStream} with only {@code jdk.ExecutionSample} enabled (one stack of a running Java thread
 * every sampling period, default 20 ms) runs on its own thread. Its samples are grouped into windows (default
 * 100 ms, also this source's {@link #interval()}); in each window the most frequent stack key (the top two frames
 * outside the JDK and Presize) wins, and its 16-bit hash is the phase ({@link PhaseReducer}). {@link #sample}
 * writes the latest phase from a volatile field. JFR hands events to the stream about once a second, so the
 * phase lags what runs by up to a second. {@link #phaseNames()} tells what each id stands for, for traces.
 */
public final class JfrPhaseSource implements MetricSource {

  private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
  private static final Set<Metric> METRICS = Set.of(Metric.CODE_PHASE);

  private final String name;
  private final Duration window;
  private final PhaseReducer reducer;
  private final RecordingStream stream;
  private final BackgroundErrors errors;
  private final List<String> frames = new ArrayList<>();
  private boolean closed;

  JfrPhaseSource(String name, Duration window, Duration samplingPeriod, Ticker ticker) {
    this.name = name;
    this.window = window;
    this.reducer = new PhaseReducer(window.toNanos(), PhaseReducer.DEFAULT_EXCLUDED_PREFIXES);
    this.errors = new BackgroundErrors(name, ticker);
    this.stream = new RecordingStream();
    try {
      stream.enable(EXECUTION_SAMPLE).withPeriod(samplingPeriod);
      stream.setMaxAge(Duration.ofSeconds(10)); // the on-disk repository keeps only what the stream still needs
      stream.onEvent(EXECUTION_SAMPLE, this::onSample);
      stream.onFlush(this::onFlush);
      stream.onError(e -> errors.record("read JFR stream", e));
      stream.startAsync();
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  private void onSample(RecordedEvent event) {
    try {
      RecordedStackTrace trace = event.getStackTrace();
      if (trace == null) {
        return;
      }
      frames.clear();
      for (RecordedFrame frame : trace.getFrames()) {
        if (!frame.isJavaFrame()) {
          continue;
        }
        RecordedMethod m = frame.getMethod();
        frames.add(m.getType().getName() + "." + m.getName());
        if (frames.size() >= 16) {
          break; // the key needs only the top frames; deeper ones are all excluded or not reached
        }
      }
      Instant t = event.getStartTime();
      long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
      reducer.add(nanos, reducer.stackKey(frames));
    } catch (RuntimeException e) {
      errors.record("reduce execution sample", e);
    }
  }

  private void onFlush() {
    try {
      reducer.flush();
    } catch (RuntimeException e) {
      errors.record("close phase window", e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Metric> metrics() {
    return METRICS;
  }

  @Override
  public Duration interval() {
    return window;
  }

  @Override
  public void sample(SampleWriter out) {
    out.put(Metric.CODE_PHASE, reducer.phase());
  }

  /** What each phase id written so far stands for (its hottest frames, callee first), for trace headers. */
  public Map<Long, String> phaseNames() {
    return reducer.phaseNames();
  }

  /** Failures on the JFR thread so far. */
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
    stream.close();
    try {
      stream.awaitTermination(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
