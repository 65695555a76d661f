package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CrossingFeaturesTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final long FIVE_MIN = 300_000L;

  private static int col(String name) {
    int i = CrossingFeatures.NAMES.indexOf(name);
    assertThat(i).as(name).isNotNegative();
    return i;
  }

  @Test
  @DisplayName("over a long random series (past the ring's wrap-around), the window counts, lags and shares equal a"
      + " direct count over the whole history")
  void matchesBruteForce() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 9000; // more than the 2048-slot ring of a 5-minute step
    double[] m = new double[n];
    double[] avail = new double[n];
    for (int i = 0; i < n; i++) {
      m[i] = 100 + 30 * r.nextGaussian() + (i % 12 == 3 ? 60 : 0);
      m[i] = Math.max(0, m[i]);
      avail[i] = i < 5000 ? 160 : 150; // the limit changes once
    }
    CrossingFeatures f = new CrossingFeatures(Duration.ofMinutes(5));
    float[] out = new float[CrossingFeatures.WIDTH];
    boolean[] over = new boolean[n];
    boolean[] cross = new boolean[n];
    for (int j = 0; j < n; j++) {
      f.add(T0 + (j + 1) * FIVE_MIN, m[j], Double.NaN, Double.NaN, Double.NaN, avail[j]);
      over[j] = m[j] > avail[j];
      cross[j] = j > 0 && over[j] && !over[j - 1];
      if (j % 997 != 0 && j != n - 1) {
        continue;
      }
      double a = 155;
      f.features(a, out);
      assertThat(out[col("mem_to_limit")]).isCloseTo((float) (m[j] / a), within(1e-6f));
      int from = Math.max(0, j - 287);
      int overs = 0;
      int crossLong = 0;
      int exceed = 0;
      double max = 0;
      for (int q = from; q <= j; q++) {
        overs += over[q] ? 1 : 0;
        crossLong += cross[q] ? 1 : 0;
        max = Math.max(max, m[q]);
        if (q >= 1 && m[j] + (m[q] - m[q - 1]) > a) {
          exceed++;
        }
      }
      int crossLonger = 0;
      for (int q = Math.max(0, j - 2015); q <= j; q++) {
        crossLonger += cross[q] ? 1 : 0;
      }
      assertThat(out[col("share_over_long")]).as("at %d", j).isCloseTo((float) overs / (j - from + 1),
          within(1e-6f));
      assertThat(out[col("crossings_long")]).as("at %d", j).isEqualTo(crossLong);
      assertThat(out[col("crossings_longer")]).as("at %d", j).isEqualTo(crossLonger);
      assertThat(out[col("max_long_to_limit")]).isCloseTo((float) (max / a), within(1e-6f));
      if (j >= 1) {
        assertThat(out[col("empirical_exceedance_long")]).as("at %d", j)
            .isCloseTo((float) exceed / Math.min(j, 288), within(1e-6f));
      }
      int next = j + 1;
      if (next - 288 >= 0) {
        assertThat(out[col("day_over")]).isEqualTo(over[next - 288] ? 1f : 0f);
        assertThat(out[col("day_crossing")]).isEqualTo(cross[next - 288] ? 1f : 0f);
      } else {
        assertThat(out[col("day_over")]).isNaN();
      }
      if (next - 2016 >= 0) {
        assertThat(out[col("week_crossing")]).isEqualTo(cross[next - 2016] ? 1f : 0f);
        assertThat(out[col("week_to_limit")]).isCloseTo((float) (Math.max(m[next - 2017], Math.max(m[next - 2016],
            m[next - 2015])) / a), within(1e-6f));
      } else {
        assertThat(out[col("week_crossing")]).isNaN();
      }
      if (next - 12 >= 0) {
        int hc = 0;
        int ho = 0;
        for (int k = 1; k <= 8; k++) {
          int q = next - 12 * k;
          if (q >= 0) {
            hc += cross[q] ? 1 : 0;
            ho += k <= 4 && over[q] ? 1 : 0;
          }
        }
        assertThat(out[col("hour_crossings_8")]).as("at %d", j).isEqualTo(hc);
        assertThat(out[col("hour_over_4")]).as("at %d", j).isEqualTo(ho);
        assertThat(out[col("hour_to_limit")]).isCloseTo((float) (m[next - 12] / a), within(1e-6f));
      }
      if (j >= 3) {
        assertThat(out[col("mem_previous_to_limit")]).isCloseTo((float) (m[j - 1] / a), within(1e-6f));
        assertThat(out[col("mem_change_3_to_limit")]).isCloseTo((float) ((m[j] - m[j - 3]) / a), within(1e-6f));
        double mean = 0;
        for (int q = from; q <= j; q++) {
          mean += m[q];
        }
        mean /= j - from + 1;
        double var = 0;
        for (int q = from; q <= j; q++) {
          var += (m[q] - mean) * (m[q] - mean);
        }
        double sd = Math.sqrt(var / (j - from + 1));
        assertThat(out[col("mem_level_z")]).isCloseTo((float) ((m[j] - mean) / sd), within(1e-3f));
      }
      if (next - 288 >= 1) {
        int dc = 0;
        double sum = 0;
        int days = 0;
        for (int k = 1; k <= 7 && next - 288 * k >= 1; k++) {
          int q = next - 288 * k;
          dc += cross[q - 1] || cross[q] || cross[q + 1] ? 1 : 0;
          sum += m[q];
          days++;
        }
        assertThat(out[col("days_7_crossings")]).as("at %d", j).isEqualTo(dc);
        assertThat(out[col("days_7_mean_to_limit")]).isCloseTo((float) (sum / days / a), within(1e-5f));
      }
      int lastCross = -1;
      for (int q = 0; q <= j; q++) {
        lastCross = cross[q] ? q : lastCross;
      }
      if (lastCross >= 0) {
        assertThat(out[col("steps_since_crossing")]).isEqualTo(j - lastCross);
      }
      assertThat(out[col("cpu_to_max_long")]).isNaN();
      assertThat(out[col("hour_of_day")]).isBetween(0f, 24f);
    }
  }

  @Test
  @DisplayName("the hour of day and day of week equal java.time's for the next step, over two years of 5-minute"
      + " steps and before 1970")
  void clockMatchesJavaTime() {
    float[] out = new float[CrossingFeatures.WIDTH];
    for (long end = -86_400_000L * 400; end < 86_400_000L * 400 + 1; end += 86_400_000L * 7 + 3_900_000L) {
      for (long t : new long[] {end, 1_790_000_000_000L + end}) {
        CrossingFeatures f = new CrossingFeatures(Duration.ofMinutes(5));
        f.add(t, 10, 1, 1, 1, 100);
        f.features(100, out);
        java.time.ZonedDateTime when = java.time.Instant.ofEpochMilli(t + FIVE_MIN).atZone(java.time.ZoneOffset.UTC);
        assertThat(out[col("hour_of_day")]).as("%s", when).isEqualTo(when.getHour() + when.getMinute() / 60f);
        assertThat(out[col("day_of_week")]).as("%s", when).isEqualTo(when.getDayOfWeek().getValue());
      }
    }
  }

  @Test
  @DisplayName("the hour of day and day of week are those of the next step, in UTC")
  void clock() {
    CrossingFeatures f = new CrossingFeatures(Duration.ofMinutes(5));
    long end = java.time.Instant.parse("2026-11-23T13:25:00Z").toEpochMilli(); // a Monday
    f.add(end, 10, 1, 1, 1, 100);
    float[] out = new float[CrossingFeatures.WIDTH];
    f.features(100, out);
    assertThat(out[col("hour_of_day")]).isCloseTo(13.5f, within(1e-5f));
    assertThat(out[col("day_of_week")]).isEqualTo(1f);
  }

  @Test
  @DisplayName("CPU and I/O: the value over its recent maximum and the last change over the changes' spread")
  void otherResources() {
    CrossingFeatures f = new CrossingFeatures(Duration.ofSeconds(1));
    double[] cpu = {1, 2, 1, 2, 1, 2, 8};
    for (int i = 0; i < cpu.length; i++) {
      f.add(T0 + i * 1000L, 50, cpu[i], Double.NaN, 0, 100);
    }
    float[] out = new float[CrossingFeatures.WIDTH];
    f.features(100, out);
    assertThat(out[col("cpu_to_max_long")]).isEqualTo(1f);
    assertThat(out[col("cpu_change_z")]).isGreaterThan(1.5f);
    assertThat(out[col("net_change_z")]).isNaN();
    assertThat(out[col("disk_to_max_long")]).isNaN(); // all zero: no maximum to divide by
  }

  @Test
  @DisplayName("at a 10 ms step no periodic lag is kept: those features are missing, the others are not")
  void shortStep() {
    CrossingFeatures f = new CrossingFeatures(Duration.ofMillis(10));
    for (int i = 0; i < 3000; i++) {
      f.add(T0 + i * 10L, 50 + (i % 7), 1, 1, 1, 55);
    }
    float[] out = new float[CrossingFeatures.WIDTH];
    f.features(55, out);
    for (String name : new String[] {"day_over", "week_crossing", "hour_over_4", "hours_2_3_to_limit"}) {
      assertThat(out[col(name)]).as(name).isNaN();
    }
    assertThat(out[col("crossings_long")]).isPositive();
    assertThat(out[col("crossing_rate")]).isPositive();
  }

  @Test
  @DisplayName("bad input is refused with the value named, and nothing is added")
  void badInput() {
    assertThatThrownBy(() -> new CrossingFeatures(Duration.ZERO)).hasMessageContaining("step must be > 0");
    CrossingFeatures f = new CrossingFeatures(Duration.ofMinutes(5));
    float[] out = new float[CrossingFeatures.WIDTH];
    assertThatThrownBy(() -> f.features(100, out)).hasMessageContaining("no step added yet");
    assertThatThrownBy(() -> f.add(T0, Double.NaN, 1, 1, 1, 100)).hasMessageContaining("memoryBytes");
    assertThatThrownBy(() -> f.add(T0, -1, 1, 1, 1, 100)).hasMessageContaining("memoryBytes");
    assertThatThrownBy(() -> f.add(T0, 1, 1, 1, 1, 0)).hasMessageContaining("availableBytes");
    assertThat(f.steps()).isZero();
    f.add(T0, 1, 1, 1, 1, 100);
    assertThatThrownBy(() -> f.features(-5, out)).hasMessageContaining("availableBytes");
    assertThatThrownBy(() -> f.features(100, new float[3])).hasMessageContaining("needs " + CrossingFeatures.WIDTH);
  }
}
