package dev.presize.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SampleRingTest {

  @Test
  @DisplayName("drain delivers every sample in order, across wrap-around")
  void inOrder() {
    SampleRing ring = new SampleRing(2, 8);
    List<Long> seen = new ArrayList<>();
    for (long i = 0; i < 30; i++) {
      ring.put(i, new long[] {i * 10, i * 100});
      if (i % 5 == 4) {
        ring.drain((ts, v) -> {
          assertThat(v).containsExactly(ts * 10, ts * 100);
          seen.add(ts);
        });
      }
    }
    assertThat(seen).hasSize(30).isSorted();
    assertThat(ring.dropped()).isZero();
  }

  @Test
  @DisplayName("a consumer that falls behind loses the oldest samples and counts them")
  void overflowCounted() {
    SampleRing ring = new SampleRing(1, 8);
    for (long i = 0; i < 20; i++) {
      ring.put(i, new long[] {i});
    }
    List<Long> seen = new ArrayList<>();
    ring.drain((ts, v) -> seen.add(ts));
    assertThat(seen).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L);
    assertThat(ring.dropped()).isEqualTo(13);
  }

  @Test
  @DisplayName("latest returns the newest sample, or MIN_VALUE when empty")
  void latest() {
    SampleRing ring = new SampleRing(1, 4);
    long[] out = new long[1];
    assertThat(ring.latest(out)).isEqualTo(Long.MIN_VALUE);
    ring.put(5, new long[] {50});
    ring.put(6, new long[] {60});
    assertThat(ring.latest(out)).isEqualTo(6);
    assertThat(out[0]).isEqualTo(60);
  }

  @Test
  @DisplayName("under a racing producer a consumer never sees a torn sample; delivered + dropped = published")
  void neverTorn() throws Exception {
    SampleRing ring = new SampleRing(16, 64);
    AtomicBoolean stop = new AtomicBoolean();
    long total = 2_000_000;
    Thread producer = new Thread(() -> {
      long[] v = new long[16];
      for (long i = 0; i < total; i++) {
        java.util.Arrays.fill(v, i);
        ring.put(i, v);
      }
      stop.set(true);
    });
    long[] delivered = {0};
    long[] last = {-1};
    producer.start();
    SampleRing.Consumer check = (ts, v) -> {
      for (long x : v) {
        if (x != ts) {
          throw new AssertionError("torn sample at " + ts + ": " + x);
        }
      }
      if (ts <= last[0]) {
        throw new AssertionError("out of order " + ts + " after " + last[0]);
      }
      last[0] = ts;
      delivered[0]++;
    };
    while (!stop.get()) {
      ring.drain(check);
    }
    producer.join();
    ring.drain(check);
    assertThat(delivered[0] + ring.dropped()).isEqualTo(total);
    assertThat(last[0]).isEqualTo(total - 1);
  }
}
