package dev.presize.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecayingHistogramTest {

  private static final long DAY = Duration.ofHours(24).toMillis();
  private static final ExponentialBuckets CPU = ExponentialBuckets.VPA_CPU;

  @Test
  @DisplayName("VPA CPU buckets: 176 of them, starts 0, 0.01, 0.0205, 0.031525; hand-computed bucket indexes")
  void bucketBoundaries() {
    assertThat(CPU.numBuckets()).isEqualTo(176); // ceil(ln(5001)/ln(1.05)) + 1
    assertThat(ExponentialBuckets.VPA_MEMORY.numBuckets()).isEqualTo(176);
    assertThat(CPU.bucketStart(0)).isEqualTo(0.0);
    assertThat(CPU.bucketStart(1)).isCloseTo(0.01, within(1e-12));
    assertThat(CPU.bucketStart(2)).isCloseTo(0.0205, within(1e-12));
    assertThat(CPU.bucketStart(3)).isCloseTo(0.031525, within(1e-12));
    assertThat(CPU.findBucket(0.005)).isEqualTo(0);
    assertThat(CPU.findBucket(0.015)).isEqualTo(1); // ln(1.075)/ln(1.05) = 1.48
    assertThat(CPU.findBucket(0.5)).isEqualTo(25); // ln(3.5)/ln(1.05) = 25.68
    assertThat(CPU.findBucket(1.0)).isEqualTo(36); // ln(6)/ln(1.05) = 36.72
    assertThat(CPU.findBucket(2.0)).isEqualTo(49); // ln(11)/ln(1.05) = 49.15
    assertThat(CPU.findBucket(1e6)).isEqualTo(175); // beyond max: last bucket
    assertThat(ExponentialBuckets.VPA_MEMORY.findBucket(3e9)).isEqualTo(56);
  }

  @Test
  @DisplayName("percentiles return the end of the bucket where the cumulative weight reaches p; empty gives 0")
  void percentiles() {
    DecayingHistogram h = new DecayingHistogram(CPU, DAY);
    assertThat(h.percentile(0.9)).isEqualTo(0.0);
    h.addSample(0.5, 1, 0);
    h.addSample(1.0, 1, 0);
    h.addSample(2.0, 2, 0);
    // total 4: p25 -> cumulative 1 at bucket 25; p50 -> 2 at bucket 36; p90 -> 3.6 reached at bucket 49
    assertThat(h.percentile(0.25)).isCloseTo(0.01 * (Math.pow(1.05, 26) - 1) / 0.05, within(1e-12))
        .isCloseTo(0.5111345, within(1e-6));
    assertThat(h.percentile(0.5)).isCloseTo(1.0162814, within(1e-6));
    assertThat(h.percentile(0.9)).isCloseTo(2.0934800, within(1e-6));
    assertThat(h.percentile(1.0)).isCloseTo(2.0934800, within(1e-6));
  }

  @Test
  @DisplayName("a sample one half-life (24 h) older weighs half as much")
  void halfLifeDecay() {
    DecayingHistogram h = new DecayingHistogram(CPU, DAY);
    h.addSample(0.5, 1, 0);
    h.addSample(2.0, 1, DAY);
    assertThat(h.bucketWeight(25)).isEqualTo(1.0);
    assertThat(h.bucketWeight(49)).isEqualTo(2.0);
    assertThat(h.totalWeight()).isEqualTo(3.0);
    assertThat(h.percentile(0.3)).isCloseTo(0.5111345, within(1e-6)); // 0.9 of 3 reached by the old sample
    assertThat(h.percentile(0.4)).isCloseTo(2.0934800, within(1e-6)); // 1.2 of 3 needs the new one
  }

  @Test
  @DisplayName("the reference time shifts instead of overflowing, keeping relative weights")
  void referenceShift() {
    DecayingHistogram h = new DecayingHistogram(CPU, DAY);
    for (int i = 0; i <= 300; i++) {
      h.addSample(i % 2 == 0 ? 0.5 : 2.0, 1, i * DAY);
    }
    assertThat(h.totalWeight()).isFinite();
    assertThat(h.referenceMillis()).isGreaterThan(100 * DAY);
    // weights halve going back: 0.5 holds W(1 + 1/4 + ...) = 4W/3, 2.0 holds W/2 (1 + 1/4 + ...) = 2W/3
    assertThat(h.bucketWeight(25) / h.bucketWeight(49)).isCloseTo(2.0, within(1e-9));
    assertThat(h.percentile(0.5)).isCloseTo(0.5111345, within(1e-6));
  }
}
