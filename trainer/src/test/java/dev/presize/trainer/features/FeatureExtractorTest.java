package dev.presize.trainer.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {

  private static final FeatureExtractor EXTRACTOR = FeatureExtractor.standard();
  private static final FeatureSchema SCHEMA = EXTRACTOR.schema();

  private static double[] ramp(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  private static float f(float[] row, String name) {
    return row[SCHEMA.indexOf(name)];
  }

  private static float[] cpuAt(double[] cpu, int t) {
    return EXTRACTOR.extract(TestSeries.cpuMemory("s", cpu, new double[cpu.length]), t);
  }

  @Test
  @DisplayName("level is the value at t; lags are the values at t-1, t-2, t-4; diff1 is x[t] - x[t-1]")
  void levelAndLags() {
    float[] row = cpuAt(new double[] {1, 2, 4, 8, 16, 32}, 5);

    assertThat(f(row, "cpu.level")).isEqualTo(32f);
    assertThat(f(row, "cpu.lag1")).isEqualTo(16f);
    assertThat(f(row, "cpu.lag2")).isEqualTo(8f);
    assertThat(f(row, "cpu.lag4")).isEqualTo(2f);
    assertThat(f(row, "cpu.diff1")).isEqualTo(16f);
  }

  @Test
  @DisplayName("lags and differences reaching before step 0 are NaN")
  void lagsBeforeStart() {
    float[] row = cpuAt(new double[] {5, 6, 7}, 1);

    assertThat(f(row, "cpu.lag1")).isEqualTo(5f);
    assertThat(f(row, "cpu.lag2")).isNaN();
    assertThat(f(row, "cpu.lag4")).isNaN();
    float[] first = cpuAt(new double[] {5, 6, 7}, 0);
    assertThat(f(first, "cpu.diff1")).isNaN();
    assertThat(f(first, "cpu.slope4")).as("one point has no slope").isNaN();
    assertThat(f(first, "cpu.cv48")).as("one point has no spread").isNaN();
    assertThat(f(first, "cpu.peak48")).as("windows truncate at the start").isEqualTo(5f);
  }

  @Test
  @DisplayName("slope is the least-squares slope per step over the last k steps")
  void slope() {
    double[] line = new double[20];
    for (int i = 0; i < line.length; i++) {
      line[i] = 2 * i + 1;
    }
    float[] row = cpuAt(line, 19);
    assertThat(f(row, "cpu.slope4")).isCloseTo(2f, within(1e-5f));
    assertThat(f(row, "cpu.slope12")).isCloseTo(2f, within(1e-5f));

    // points (0,0) (1,0) (2,0) (3,4): mean i 1.5, mean x 1; sum (di*dx) = 6, sum di^2 = 5
    float[] step = cpuAt(new double[] {7, 7, 7, 7, 0, 0, 0, 4}, 7);
    assertThat(f(step, "cpu.slope4")).isCloseTo(1.2f, within(1e-6f));
  }

  @Test
  @DisplayName("peak is the largest value of the last k steps, ignoring NaN")
  void peak() {
    float[] row = cpuAt(new double[] {9, 1, 1, Double.NaN, 1, 2}, 5);

    assertThat(f(row, "cpu.peak4")).isEqualTo(2f);
    assertThat(f(row, "cpu.peak12")).isEqualTo(9f);
    assertThat(f(row, "cpu.peak48")).isEqualTo(9f);
  }

  @Test
  @DisplayName("p90 interpolates linearly between order statistics at rank 0.9 * (m - 1)")
  void p90() {
    double[] x = ramp(60);
    float[] row = cpuAt(x, 11);
    // last 4 of 1..12 are 9,10,11,12: rank 2.7 -> 11 + 0.7 * 1
    assertThat(f(row, "cpu.p90_4")).isCloseTo(11.7f, within(1e-5f));
    // 1..12: rank 9.9 -> 10 + 0.9
    assertThat(f(row, "cpu.p90_12")).isCloseTo(10.9f, within(1e-5f));
    assertThat(f(row, "cpu.p90_48")).as("only 12 steps exist").isCloseTo(10.9f, within(1e-5f));
    // at t = 59 the 48-window is steps 12..59, values 13..60: rank 42.3 -> 55 + 0.3
    assertThat(f(cpuAt(x, 59), "cpu.p90_48")).isCloseTo(55.3f, within(1e-4f));
  }

  @Test
  @DisplayName("means are over the last k steps, ignoring NaN")
  void means() {
    double[] x = ramp(60);
    x[58] = Double.NaN;
    float[] row = cpuAt(x, 59);
    // 49..60 without 59: sum 654 - 59 = 595 over 11
    assertThat(f(row, "cpu.mean12")).isCloseTo(595f / 11, within(1e-4f));
    assertThat(f(cpuAt(ramp(12), 11), "cpu.mean12")).isEqualTo(6.5f);
  }

  @Test
  @DisplayName("EWMA starts at the first value, blends with alpha = 1 - 2^(-1/half-life), carries over NaN")
  void ewma() {
    double a4 = 1 - Math.pow(2, -1.0 / 4);
    double a24 = 1 - Math.pow(2, -1.0 / 24);
    double[] x = {10, 20, Double.NaN, 0};
    float[] row1 = cpuAt(x, 1);
    assertThat(f(row1, "cpu.ewma_hl4")).isCloseTo((float) (10 + 10 * a4), within(1e-5f));
    assertThat(f(row1, "cpu.ewma_hl24")).isCloseTo((float) (10 + 10 * a24), within(1e-5f));
    float[] row2 = cpuAt(x, 2);
    assertThat(f(row2, "cpu.ewma_hl4")).isCloseTo((float) (10 + 10 * a4), within(1e-5f));
    float[] row3 = cpuAt(x, 3);
    assertThat(f(row3, "cpu.ewma_hl4")).isCloseTo((float) ((1 - a4) * (10 + 10 * a4)), within(1e-5f));
    // a half-life of 4 steps: after 4 steps of 0 from 1, the EWMA is 1/2
    double[] decay = {1, 0, 0, 0, 0};
    assertThat(f(cpuAt(decay, 4), "cpu.ewma_hl4")).isCloseTo(0.5f, within(1e-6f));
  }

  @Test
  @DisplayName("coefficient of variation is the population standard deviation over the mean")
  void cv() {
    assertThat(f(cpuAt(new double[] {1, 3}, 1), "cpu.cv48")).isCloseTo(0.5f, within(1e-6f));
    assertThat(f(cpuAt(new double[] {0, 0}, 1), "cpu.cv48")).as("zero mean").isNaN();
  }

  @Test
  @DisplayName("absent resources and NaN levels give NaN; steps since start and the step length are written")
  void missing() {
    double[] memory = {100, Double.NaN};
    float[] row = EXTRACTOR.extract(TestSeries.cpuMemory("s", new double[] {1, 2}, memory), 1);

    for (String name : SCHEMA.names()) {
      if (name.startsWith("network.") || name.startsWith("disk.")) {
        assertThat(f(row, name)).as(name).isNaN();
      }
    }
    assertThat(f(row, "memory.level")).isNaN();
    assertThat(f(row, "memory.diff1")).isNaN();
    assertThat(f(row, "memory.peak4")).isEqualTo(100f);
    assertThat(f(row, "memory.ewma_hl4")).isEqualTo(100f);
    assertThat(f(row, "steps_since_start")).isEqualTo(1f);
    assertThat(f(row, "step_seconds")).isEqualTo(1f);
  }

  @Test
  @DisplayName("the row is written into the caller's array and every column is set")
  void outParameter() {
    FeatureExtractor.Prepared p = EXTRACTOR.prepare(TestSeries.cpuMemory("s", ramp(5), ramp(5)));
    float[] out = new float[EXTRACTOR.width()];
    Arrays.fill(out, -12345f);
    p.extract(4, out);
    for (float v : out) {
      assertThat(v).isNotEqualTo(-12345f);
    }
    assertThatThrownBy(() -> p.extract(5, out)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> p.extract(0, new float[3])).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  @DisplayName("day_ago_peak is the peak of the next step one day earlier, a step either side; week_ago_peak the same"
      + " a week earlier; each also as a ratio to the decaying peak")
  void seasonal() {
    // an hourly series: a day is 24 steps, a week 168
    int n = 200;
    double[] cpu = new double[n];
    Arrays.fill(cpu, 1);
    cpu[29] = 5;
    cpu[31] = 7;
    cpu[32] = 9;
    cpu[3] = 4;
    Series s = TestSeries.of("s", Duration.ofHours(1), Map.of(Resource.CPU, cpu));
    FeatureExtractor.Prepared p = EXTRACTOR.prepare(s);
    float[] row = new float[EXTRACTOR.width()];

    p.extract(53, row); // the next step is 54; a day earlier, steps 29 .. 31
    assertThat(f(row, "cpu.day_ago_peak")).isEqualTo(7f);
    assertThat(f(row, "cpu.day_ago_peak_to_dpeak")).isCloseTo((float) (7 / row[SCHEMA.indexOf("cpu.dpeak_hl288")]),
        within(1e-6f));
    assertThat(f(row, "cpu.week_ago_peak")).as("the series is younger than a week").isNaN();
    p.extract(170, row); // the next step is 171; a week earlier, steps 2 .. 4
    assertThat(f(row, "cpu.week_ago_peak")).isEqualTo(4f);
    assertThat(f(row, "cpu.day_ago_peak")).isEqualTo(1f);
    p.extract(21, row); // the next step is 22; a day earlier, steps -3 .. -1: before the series
    assertThat(f(row, "cpu.day_ago_peak")).isNaN();
    p.extract(22, row); // steps -2 .. 0: step 0 only
    assertThat(f(row, "cpu.day_ago_peak")).isEqualTo(1f);
  }

  @Test
  @DisplayName("the seasonal features are NaN when the period spans fewer than 4 steps")
  void seasonalNeedsSteps() {
    double[] cpu = new double[40];
    Arrays.fill(cpu, 2);
    float[] row = EXTRACTOR.extract(TestSeries.of("s", Duration.ofHours(8), Map.of(Resource.CPU, cpu)), 39);

    assertThat(f(row, "cpu.day_ago_peak")).as("a day is 3 steps of 8 h").isNaN();
    assertThat(f(row, "cpu.week_ago_peak")).as("a week is 21 steps of 8 h").isEqualTo(2f);
  }

  private static Series randomSeries(long seed, int n) {
    Random random = new Random(seed);
    double[][] v = new double[4][n];
    for (int r = 0; r < 4; r++) {
      for (int i = 0; i < n; i++) {
        v[r][i] = random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * (r + 1) * 100;
      }
    }
    // a 2 h step: a day is 12 steps and a week 84, so the seasonal features have values
    return TestSeries.of("random-" + seed, Duration.ofHours(2), Map.of(Resource.CPU, v[0], Resource.MEMORY, v[1],
        Resource.NETWORK, v[2], Resource.DISK, v[3]));
  }

  @Test
  @DisplayName("no feature looks past t: changing every value after t leaves every feature at t unchanged")
  void noLookAhead() {
    Series s = randomSeries(7, 120);
    Random random = new Random(11);
    FeatureExtractor.Prepared original = EXTRACTOR.prepare(s);
    float[] a = new float[EXTRACTOR.width()];
    float[] b = new float[EXTRACTOR.width()];
    for (int t = 0; t < s.length(); t++) {
      Series changed = TestSeries.changeAfter(s, t,
          (r, i, old) -> random.nextBoolean() ? Double.NaN : old * 7 + 1000 + random.nextDouble());
      original.extract(t, a);
      EXTRACTOR.prepare(changed).extract(t, b);
      for (int c = 0; c < a.length; c++) {
        assertThat(Float.floatToIntBits(b[c])).as("%s at t=%d", SCHEMA.names().get(c), t)
            .isEqualTo(Float.floatToIntBits(a[c]));
      }
      // and the same through a series that ends at t
      EXTRACTOR.prepare(TestSeries.truncate(s, t + 1)).extract(t, b);
      assertThat(b).as("truncated at t=%d", t).containsExactly(a);
    }
  }

  @Test
  @DisplayName("the no-look-ahead test can fail: every resource feature changes when values up to t change")
  void lookBehindIsSeen() {
    Series s = randomSeries(3, 120);
    List<String> neverChanged = new ArrayList<>(SCHEMA.names());
    neverChanged.removeAll(List.of("steps_since_start", "step_seconds"));
    // the invocation's own features come from its input size and earlier invocations (InvocationHistoryTest)
    neverChanged.removeIf(n -> n.equals("input_size") || n.contains("history_"));
    float[] a = new float[EXTRACTOR.width()];
    float[] b = new float[EXTRACTOR.width()];
    FeatureExtractor.Prepared original = EXTRACTOR.prepare(s);
    int t = 100;
    original.extract(t, a);
    for (int j = 0; j <= t; j++) {
      int step = j;
      Series changed = TestSeries.changeAfter(s, -1,
          (r, i, old) -> i == step ? (Double.isNaN(old) ? 1000 : old * 3 + 1000) : old);
      EXTRACTOR.prepare(changed).extract(t, b);
      for (int c = 0; c < a.length; c++) {
        if (Float.floatToIntBits(a[c]) != Float.floatToIntBits(b[c])) {
          neverChanged.remove(SCHEMA.names().get(c));
        }
      }
    }
    assertThat(neverChanged).isEmpty();
  }

  @Test
  @DisplayName("the selected p90 and the one-pass peaks equal sorting and scanning, bit for bit (NaNs, ties, -0.0)")
  void p90AndPeaksMatchTheirDefinitions() {
    Random random = new Random(42);
    double[] pool = {Double.NaN, -0.0, 0.0, 1.0, 1.0, 2.5, -3.0, 7.0};
    double[] w = new double[FeatureExtractor.MAX_WINDOW];
    double[] scratch = new double[FeatureExtractor.MAX_WINDOW];
    double[] peaks = new double[FeatureExtractor.PEAK_WINDOWS.length];
    for (int trial = 0; trial < 20_000; trial++) {
      boolean fromPool = trial % 2 == 0;
      double nanShare = random.nextDouble();
      for (int i = 0; i < w.length; i++) {
        w[i] = fromPool ? pool[random.nextInt(pool.length)]
            : random.nextDouble() < nanShare ? Double.NaN : Math.round(random.nextGaussian() * 100) / 10.0;
      }
      FeatureExtractor.suffixMax(w, FeatureExtractor.PEAK_WINDOWS, peaks);
      for (int j = 0; j < FeatureExtractor.PEAK_WINDOWS.length; j++) {
        int from = w.length - FeatureExtractor.PEAK_WINDOWS[j];
        assertThat(Double.doubleToRawLongBits(peaks[j]))
            .as("peak over the last %d of %s", FeatureExtractor.PEAK_WINDOWS[j], Arrays.toString(w))
            .isEqualTo(Double.doubleToRawLongBits(FeatureExtractor.max(w, from)));
        assertThat(Double.doubleToRawLongBits(FeatureExtractor.p90(w, from, scratch)))
            .as("p90 over the last %d of %s", FeatureExtractor.PEAK_WINDOWS[j], Arrays.toString(w))
            .isEqualTo(Double.doubleToRawLongBits(sortedP90(w, from)));
      }
    }
  }

  /** The definition: sort the non-NaN values, interpolate at rank 0.9 * (m - 1). */
  private static double sortedP90(double[] w, int from) {
    double[] v = Arrays.stream(w, from, w.length).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    double pos = 0.9 * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, v.length - 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }
}
