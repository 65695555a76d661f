package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExceedanceCalibrationTest {

  @Test
  @DisplayName("with no outcomes a raw probability stays itself; the identity never learns")
  void priorIsTheRawProbability() {
    ExceedanceCalibration c = ExceedanceCalibration.defaults();
    for (double p : new double[] {0, 0.0005, 0.002, 0.02, 0.05, 0.15, 0.3, 0.5, 0.8}) {
      assertThat(c.calibrate(p)).as("p=%s", p).isCloseTo(p, within(1e-12));
    }
    // Above the last bin's center (the geometric mean of 0.7 and 1) the mapping is flat.
    assertThat(c.calibrate(0.95)).isCloseTo(Math.sqrt(0.7), within(1e-12));
    ExceedanceCalibration id = ExceedanceCalibration.identity();
    for (int i = 0; i < 1000; i++) {
      id.observe(0.5, false);
    }
    assertThat(id.calibrate(0.5)).isEqualTo(0.5);
    assertThat(id.observations()).isZero();
  }

  @Test
  @DisplayName("learns the true rate of each bin: a forecast that says 0.5 but is exceeded 4% of the time, and one "
      + "that says 0 but is exceeded 0.2% of the time")
  void learnsMiscalibration() {
    ExceedanceCalibration c = ExceedanceCalibration.defaults();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      c.observe(0.5, r.nextDouble() < 0.04);
      c.observe(0.0, r.nextDouble() < 0.002);
      c.observe(0.05, r.nextDouble() < 0.02);
    }
    assertThat(c.calibrate(0.5)).isCloseTo(0.04, within(0.006));
    assertThat(c.calibrate(0.0)).isCloseTo(0.002, within(0.001));
    assertThat(c.calibrate(0.05)).isCloseTo(0.02, within(0.004));
    assertThat(c.observations()).isCloseTo(60_000, within(1e-6));
  }

  @Test
  @DisplayName("the mapping never decreases, even when the observed rates do (pooled), so wider forecasts never get "
      + "a smaller probability")
  void monotone() {
    ExceedanceCalibration c = ExceedanceCalibration.defaults();
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 5000; i++) {
      c.observe(0.005, r.nextDouble() < 0.2); // a low bin exceeded more often than a higher one
      c.observe(0.3, r.nextDouble() < 0.05);
    }
    double prev = -1;
    for (double p = 0; p <= 1.0; p += 0.001) {
      double v = c.calibrate(p);
      assertThat(v).as("p=%s", p).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(prev);
      prev = v;
    }
    double[] v = {0.1, 0.5, 0.2, 0.3, 0.05, 0.9};
    ExceedanceCalibration.poolAdjacentViolators(v, new double[] {1, 1, 1, 1, 2, 1});
    // 0.5, 0.2, 0.3 pool to 1/3; with 0.05 (weight 2) to (1.0 + 0.1) / 5 = 0.22.
    assertThat(v[0]).isEqualTo(0.1);
    for (int i = 1; i <= 4; i++) {
      assertThat(v[i]).isCloseTo(0.22, within(1e-12));
    }
    assertThat(v[5]).isEqualTo(0.9);
  }

  @Test
  @DisplayName("a bin remembers at most maxWeight outcomes, so it follows a forecast whose errors change")
  void forgets() {
    ExceedanceCalibration c = new ExceedanceCalibration(10, 1000);
    for (int i = 0; i < 5000; i++) {
      c.observe(0.5, true);
    }
    assertThat(c.calibrate(0.5)).isGreaterThan(0.95);
    for (int i = 0; i < 5000; i++) {
      c.observe(0.5, false);
    }
    assertThat(c.calibrate(0.5)).isLessThan(0.02);
    assertThat(c.observations()).isCloseTo(1000, within(1e-6));
  }

  @Test
  @DisplayName("bad arguments are refused")
  void refuses() {
    ExceedanceCalibration c = ExceedanceCalibration.defaults();
    assertThatThrownBy(() -> c.observe(1.5, true)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> c.calibrate(Double.NaN)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> new ExceedanceCalibration(0, 10)).hasMessageContaining("priorWeight");
    assertThatThrownBy(() -> new ExceedanceCalibration(10, 5)).hasMessageContaining("maxWeight");
  }

  @Test
  @DisplayName("a saved calibration loads back the same and keeps learning; a damaged one is refused naming the line")
  void saveAndLoad(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c/exceedance-calibration.txt");
    assertThat(ExceedanceCalibration.load(file).observations()).isZero();
    ExceedanceCalibration c = ExceedanceCalibration.defaults();
    for (int i = 0; i < 300; i++) {
      c.observe(0.5, i % 25 == 0);
      c.observe(0.02, i % 100 == 0);
    }
    c.save(file);
    ExceedanceCalibration back = ExceedanceCalibration.load(file);
    for (double p : new double[] {0, 0.02, 0.1, 0.5, 1}) {
      assertThat(back.calibrate(p)).as("p=%s", p).isEqualTo(c.calibrate(p));
    }
    try (var files = Files.list(file.getParent())) {
      assertThat(files).as("no temp file left (the lock file stays)").containsExactlyInAnyOrder(file,
          file.resolveSibling("exceedance-calibration.txt.lock"));
    }
    Files.writeString(file, ExceedanceCalibration.FORMAT + "\n8 300.0 12.0 150.0\n8 3 5 1\n");
    assertThatThrownBy(() -> ExceedanceCalibration.load(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("exceedance-calibration.txt line 3");
    Files.writeString(file, "x\n");
    assertThatThrownBy(() -> ExceedanceCalibration.load(file)).hasMessageContaining("not an exceedance calibration");
  }

  @Test
  @DisplayName("two runs that loaded the same file and save it in turn both keep their outcomes; the cap still holds")
  void concurrentSavesMerge(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pooled.txt");
    ExceedanceCalibration first = ExceedanceCalibration.defaults();
    for (int i = 0; i < 100; i++) {
      first.observe(0.5, i % 10 == 0);
    }
    first.save(file);
    ExceedanceCalibration a = ExceedanceCalibration.load(file);
    ExceedanceCalibration b = ExceedanceCalibration.load(file);
    for (int i = 0; i < 50; i++) {
      a.observe(0.5, true);
      b.observe(0.02, false);
    }
    for (int i = 0; i < 30; i++) {
      b.observe(0.5, false);
    }
    a.save(file);
    b.save(file);
    ExceedanceCalibration merged = ExceedanceCalibration.load(file);
    assertThat(merged.observations()).as("100 before, 50 of a, 80 of b").isCloseTo(230, within(1e-9));
    // Bin of 0.5: 100 + 50 + 30 outcomes, 10 + 50 + 0 exceeded; as if one calibration had seen them all.
    ExceedanceCalibration serial = ExceedanceCalibration.defaults();
    for (int i = 0; i < 100; i++) {
      serial.observe(0.5, i % 10 == 0);
    }
    for (int i = 0; i < 50; i++) {
      serial.observe(0.5, true);
      serial.observe(0.02, false);
    }
    for (int i = 0; i < 30; i++) {
      serial.observe(0.5, false);
    }
    for (double p : new double[] {0.01, 0.02, 0.3, 0.5}) {
      assertThat(merged.calibrate(p)).as("p=%s", p).isCloseTo(serial.calibrate(p), within(1e-12));
    }
    a.save(file);
    assertThat(ExceedanceCalibration.load(file).observations()).as("a second save adds nothing twice")
        .isCloseTo(230, within(1e-9));

    Path capped = dir.resolve("capped.txt");
    ExceedanceCalibration small = new ExceedanceCalibration(2, 100);
    small.save(capped);
    ExceedanceCalibration c1 = new ExceedanceCalibration(2, 100);
    ExceedanceCalibration c2 = new ExceedanceCalibration(2, 100);
    for (int i = 0; i < 80; i++) {
      c1.observe(0.5, true);
      c2.observe(0.5, false);
    }
    c1.save(capped);
    c2.save(capped);
    List<String> lines = Files.readAllLines(capped);
    assertThat(lines).hasSize(2);
    // Merged counts over 2^15 scaled to the cap must not round above it (a file read() would refuse)
    Path big = dir.resolve("big.txt");
    new ExceedanceCalibration(20, 20_000).save(big);
    ExceedanceCalibration x = ExceedanceCalibration.load(big);
    ExceedanceCalibration y = ExceedanceCalibration.load(big);
    for (int i = 0; i < 20_000; i++) {
      x.observe(0.5, i % 7 == 0);
    }
    for (int i = 0; i < 14_211; i++) {
      y.observe(0.5, i % 5 == 0);
    }
    x.save(big);
    y.save(big);
    assertThat(ExceedanceCalibration.load(big).observations()).isCloseTo(20_000, within(1e-6));
    String[] f = lines.get(1).split(" "); // context bin n k rawSum
    assertThat(f[0]).isEqualTo("0");
    assertThat(Double.parseDouble(f[2])).as("n scaled down to the cap").isCloseTo(100, within(1e-9));
    assertThat(Double.parseDouble(f[3])).as("k scaled with it: 80 of 160").isCloseTo(50, within(1e-9));
  }

  @Test
  @DisplayName("a function's child calibration starts from the pooled one, feeds it, and moves to its own rate")
  void childStartsFromPooled(@TempDir Path dir) throws Exception {
    ExceedanceCalibration pooled = ExceedanceCalibration.defaults();
    for (int i = 0; i < 5000; i++) {
      pooled.observe(0.5, i % 50 == 0); // elsewhere, P = 0.5 came true 2% of the time
    }
    ExceedanceCalibration fn = pooled.child();
    assertThat(fn.calibrate(0.5)).as("a new function starts from the pooled rate, not 0.5")
        .isCloseTo(pooled.calibrate(0.5), within(1e-12)).isLessThan(0.03);
    for (int i = 0; i < 2000; i++) {
      fn.observe(0.5, i % 5 == 0); // this function's P = 0.5 comes true 20% of the time
    }
    assertThat(fn.calibrate(0.5)).isCloseTo(0.2, within(0.02));
    assertThat(pooled.observations()).as("its outcomes are pooled too").isCloseTo(7000, within(1e-6));
    Path file = dir.resolve("functions/fn.txt");
    fn.save(file);
    assertThat(ExceedanceCalibration.load(file).observations()).as("only its own counts are saved")
        .isCloseTo(2000, within(1e-6));
    assertThat(pooled.loadChild(file).calibrate(0.5)).isEqualTo(fn.calibrate(0.5));
  }

  @Test
  @DisplayName("context = headroom over the mean recent change, in log2 bins; flat and unknown have their own")
  void contextBins() {
    assertThat(ExceedanceCalibration.context(Double.NaN, 1)).isEqualTo(ExceedanceCalibration.NO_CONTEXT);
    assertThat(ExceedanceCalibration.context(10, Double.NaN)).isEqualTo(ExceedanceCalibration.NO_CONTEXT);
    assertThat(ExceedanceCalibration.context(10, 0)).isEqualTo(ExceedanceCalibration.CONTEXTS - 1);
    assertThat(ExceedanceCalibration.context(-5, 1)).isEqualTo(1); // already over
    assertThat(ExceedanceCalibration.context(0.1, 1)).isEqualTo(1);
    assertThat(ExceedanceCalibration.context(0.25, 1)).isEqualTo(2);
    assertThat(ExceedanceCalibration.context(0.99, 1)).isEqualTo(3);
    assertThat(ExceedanceCalibration.context(1, 1)).isEqualTo(4);
    assertThat(ExceedanceCalibration.context(3, 1)).isEqualTo(5);
    assertThat(ExceedanceCalibration.context(63, 1)).isEqualTo(9);
    assertThat(ExceedanceCalibration.context(1e9, 1)).isEqualTo(10);
  }

  @Test
  @DisplayName("the same raw P learns a rate per context; a context with few outcomes says what the calibration "
      + "without context says; saved and loaded per context; a /1 file loads as context 0")
  void contexts(@TempDir Path dir) throws Exception {
    ExceedanceCalibration pooled = ExceedanceCalibration.defaults();
    ExceedanceCalibration c = pooled.child();
    for (int i = 0; i < 4000; i++) {
      c.observe(0.05, 1, i % 4 == 0); // one jump from over: P = 0.05 comes true 25% of the time
      c.observe(0.05, 8, i % 200 == 0); // far: 0.5%
    }
    assertThat(c.calibrate(0.05, 1)).isCloseTo(0.25, within(0.02));
    assertThat(c.calibrate(0.05, 8)).isCloseTo(0.005, within(0.003));
    double all = c.calibrate(0.05);
    assertThat(all).as("without context: both together").isCloseTo(0.1275, within(0.01));
    assertThat(c.calibrate(0.05, 5)).as("a context never seen: the pooled calibration's without context")
        .isCloseTo(pooled.calibrate(0.05), within(1e-12)).isCloseTo(all, within(0.001));
    assertThat(pooled.calibrate(0.05, 1)).as("the pooled one learned the contexts too").isCloseTo(0.25, within(0.02));
    assertThat(c.observations()).isCloseTo(8000, within(1e-6));
    assertThatThrownBy(() -> c.calibrate(0.05, ExceedanceCalibration.CONTEXTS)).hasMessageContaining("context");
    assertThatThrownBy(() -> c.observe(0.05, -1, true)).hasMessageContaining("context");

    Path file = dir.resolve("fn.txt");
    c.save(file);
    assertThat(Files.readAllLines(file).get(0)).isEqualTo("presize-exceedance-calibration/2");
    ExceedanceCalibration back = ExceedanceCalibration.load(file);
    for (int ctx : new int[] {0, 1, 5, 8}) {
      assertThat(back.calibrate(0.05, ctx)).as("context %s", ctx).isCloseTo(
          ExceedanceCalibration.load(file).calibrate(0.05, ctx), within(1e-12));
    }
    assertThat(back.calibrate(0.05, 1)).isCloseTo(0.25, within(0.02));

    Path old = dir.resolve("old.txt");
    Files.writeString(old, "presize-exceedance-calibration/1\n5 1000.0 20.0 50.0\n");
    ExceedanceCalibration v1 = ExceedanceCalibration.load(old);
    assertThat(v1.observations()).isCloseTo(1000, within(1e-9));
    assertThat(v1.calibrate(0.05)).isCloseTo(0.02, within(0.002));
    assertThat(v1.calibrate(0.05, 3)).as("no context learned yet: as without").isCloseTo(v1.calibrate(0.05),
        within(1e-12));
  }
}
