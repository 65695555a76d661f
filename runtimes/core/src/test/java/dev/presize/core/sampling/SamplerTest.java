package dev.presize.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SamplerTest {

  /** A fake ticker advanced by hand. */
  static final class FakeTicker implements dev.presize.spi.Ticker {
    long now = 1_000_000_000L;

    @Override
    public long read() {
      return now;
    }
  }

  /** A source that counts its reads and writes the read count. */
  static final class Counting implements MetricSource {
    final Metric metric;
    final Duration interval;
    long reads;
    boolean fail;

    Counting(Metric metric, Duration interval) {
      this.metric = metric;
      this.interval = interval;
    }

    @Override
    public String name() {
      return "counting-" + metric.key();
    }

    @Override
    public Set<Metric> metrics() {
      return Set.of(metric);
    }

    @Override
    public Duration interval() {
      return interval;
    }

    @Override
    public void sample(SampleWriter out) throws IOException {
      reads++;
      if (fail) {
        throw new IOException("boom");
      }
      out.put(metric, reads);
    }

    long completeReads;

    @Override
    public void sampleComplete(SampleWriter out) throws IOException {
      completeReads++;
      sample(out);
    }

    @Override
    public void close() {}
  }

  @Test
  @DisplayName("a complete tick reads every source in full, even one not yet due, and only when stopped")
  void completeTick() {
    FakeTicker t = new FakeTicker();
    Counting slow = new Counting(Metric.WORKING_SET_BYTES, Duration.ofSeconds(5));
    try (Sampler s = new Sampler(List.of(slow), Duration.ofMillis(10), t, 8)) {
      s.tick();
      t.now += 10_000_000L;
      s.tick(); // not due
      assertThat(slow.reads).isEqualTo(1);
      s.tickComplete();
      assertThat(slow.completeReads).isEqualTo(1);
      assertThat(slow.reads).isEqualTo(2);
      s.start();
      org.assertj.core.api.Assertions.assertThatThrownBy(s::tickComplete)
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("stop()");
    }
  }

  @Test
  @DisplayName("a slower source is read at its own interval and its value is carried between reads")
  void slowerSourceCarriesValue() {
    FakeTicker t = new FakeTicker();
    Counting fast = new Counting(Metric.PROC_RSS_BYTES, Duration.ZERO);
    Counting slow = new Counting(Metric.WORKING_SET_BYTES, Duration.ofMillis(50));
    try (Sampler s = new Sampler(List.of(fast, slow), Duration.ofMillis(10), t, 64)) {
      for (int i = 0; i < 20; i++) {
        s.tick();
        t.now += 10_000_000L;
      }
      assertThat(fast.reads).isEqualTo(20);
      assertThat(slow.reads).isEqualTo(4);
      List<long[]> rows = new ArrayList<>();
      s.ring().drain((ts, v) -> rows.add(v.clone()));
      int ws = s.schema().columnOf(Metric.WORKING_SET_BYTES);
      assertThat(rows).hasSize(20);
      assertThat(rows.get(4)[ws]).isEqualTo(1); // carried from the first read
      assertThat(rows.get(5)[ws]).isEqualTo(2);
      assertThat(s.schema().columns()).containsExactly(Metric.PROC_RSS_BYTES, Metric.WORKING_SET_BYTES);
    }
  }

  @Test
  @DisplayName("a failing source is counted and never stops the tick or the other sources")
  void failureCounted() {
    FakeTicker t = new FakeTicker();
    Counting good = new Counting(Metric.PROC_RSS_BYTES, Duration.ZERO);
    Counting bad = new Counting(Metric.PROC_THREADS, Duration.ZERO);
    bad.fail = true;
    try (Sampler s = new Sampler(List.of(bad, good), Duration.ofMillis(10), t, 64)) {
      for (int i = 0; i < 5; i++) {
        s.tick();
        t.now += 10_000_000L;
      }
      assertThat(good.reads).isEqualTo(5);
      assertThat(s.stats().sourceErrors()).isEqualTo(5);
      assertThat(s.sourceErrors()).containsExactly(5, 0);
      assertThat(s.stats().ticks()).isEqualTo(5);
    }
  }

  @Test
  @DisplayName("sample timestamps are nanoseconds since the sampler was created")
  void timestamps() {
    FakeTicker t = new FakeTicker();
    try (Sampler s = new Sampler(List.of(new Counting(Metric.PROC_RSS_BYTES, Duration.ZERO)), Duration.ofMillis(10),
        t, 8)) {
      t.now += 7;
      s.tick();
      List<Long> ts = new ArrayList<>();
      s.ring().drain((stamp, v) -> ts.add(stamp));
      assertThat(ts).containsExactly(7L);
    }
  }
}
