package dev.presize.trainer.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.trainer.model.Series;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WindowBuilderTest {

  private static final FeatureExtractor EXTRACTOR = FeatureExtractor.standard();
  private static final double NaN = Double.NaN;

  @Test
  @DisplayName("targets over (t, t+H] by hand: peak memory, mean CPU; absent network and disk are NaN")
  void targetsByHand() {
    Series s = TestSeries.cpuMemory("s", new double[] {1, 2, 3, 4, 5, 6}, new double[] {10, 50, 20, 30, 40, 5});
    Windows w = new WindowBuilder(EXTRACTOR, 2, 1).build(s);

    assertThat(w.size()).as("t = 0..3, the horizon inside the series").isEqualTo(4);
    assertThat(w.step(0)).isZero();
    assertThat(w.target(0, Target.MEMORY_PEAK)).isEqualTo(50f);
    assertThat(w.target(0, Target.CPU_MEAN)).isEqualTo(2.5f);
    assertThat(w.target(0, Target.NETWORK_PEAK)).isNaN();
    assertThat(w.target(0, Target.DISK_PEAK)).isNaN();
    assertThat(w.step(3)).isEqualTo(3);
    assertThat(w.target(3, Target.MEMORY_PEAK)).isEqualTo(40f);
    assertThat(w.target(3, Target.CPU_MEAN)).isEqualTo(5.5f);
    assertThat(w.seriesId(3)).isEqualTo("s");
    assertThat(w.timeMillis(3)).isEqualTo(TestSeries.START_MILLIS + 4_000);
    assertThat(w.horizonEndMillis(3)).isEqualTo(TestSeries.START_MILLIS + 6_000);
    for (int row = 0; row < w.size(); row++) {
      assertThat(w.features(row)).containsExactly(EXTRACTOR.extract(s, w.step(row)));
    }
    assertThat(w.schema()).isEqualTo(EXTRACTOR.schema());
  }

  @Test
  @DisplayName("the stride spaces rows; NaNs inside the horizon are ignored; all-NaN targets drop the row")
  void strideAndNaN() {
    Series s = TestSeries.cpuMemory("s", new double[] {1, 2, NaN, NaN, 5, 6, 7}, new double[] {1, 8, NaN, NaN, 9, 3,
        4});
    Windows strided = new WindowBuilder(EXTRACTOR, 1, 2).build(s);
    assertThat(strided.size()).isEqualTo(2);
    assertThat(strided.step(0)).isZero();
    assertThat(strided.step(1)).as("t = 2 has only NaN at step 3, dropped").isEqualTo(4);

    Windows w = new WindowBuilder(EXTRACTOR, 2, 1).build(s);
    assertThat(w.size()).as("t = 0..4; t = 1 sees only NaN at steps 2, 3").isEqualTo(4);
    assertThat(w.step(1)).isEqualTo(2);
    assertThat(w.target(1, Target.MEMORY_PEAK)).as("steps 3 (NaN) and 4").isEqualTo(9f);
    assertThat(w.target(1, Target.CPU_MEAN)).isEqualTo(5f);
    assertThat(new WindowBuilder(EXTRACTOR, 1, 2).rowCount(s)).as("counted without features").isEqualTo(2);
    assertThat(new WindowBuilder(EXTRACTOR, 2, 1).rowCount(s)).isEqualTo(4);
  }

  @Test
  @DisplayName("targets read (t, t+H] only: changing step t+H+1 leaves them, changing step t+H moves them")
  void targetHorizon() {
    Series s = TestSeries.cpuMemory("s", new double[] {1, 1, 1, 1, 1, 1}, new double[] {1, 1, 1, 1, 1, 1});
    Series afterHorizon = TestSeries.changeAfter(s, 3, (r, i, old) -> 100);
    Series atHorizon = TestSeries.changeAfter(s, 2, (r, i, old) -> 100);
    WindowBuilder b = new WindowBuilder(EXTRACTOR, 2, 1);

    assertThat(b.build(afterHorizon).target(1, Target.MEMORY_PEAK)).isEqualTo(1f);
    assertThat(b.build(atHorizon).target(1, Target.MEMORY_PEAK)).isEqualTo(100f);
    assertThat(b.build(atHorizon).features(1)).containsExactly(b.build(s).features(1));
  }

  @Test
  @DisplayName("a series no longer than H gives no rows; H and stride must be positive")
  void edges() {
    Series s = TestSeries.cpuMemory("s", new double[] {1, 2}, new double[] {1, 2});
    assertThat(new WindowBuilder(EXTRACTOR, 2, 1).build(s).size()).isZero();
    assertThat(new WindowBuilder(EXTRACTOR, 2, 1).rowCount(s)).isZero();
    assertThat(new WindowBuilder(EXTRACTOR, 2, 1).build(List.of()).size()).as("no series, no rows").isZero();
    assertThatThrownBy(() -> new WindowBuilder(EXTRACTOR, 0, 1)).hasMessageContaining("0");
    assertThatThrownBy(() -> new WindowBuilder(EXTRACTOR, 1, 0)).hasMessageContaining("0");
  }

  @Test
  @DisplayName("select and concat keep rows, ids, times and targets together")
  void selectAndConcat() {
    Series a = TestSeries.cpuMemory("a", new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8});
    Series b = TestSeries.cpuMemory("b", new double[] {9, 9, 9}, new double[] {1, 2, 3});
    WindowBuilder builder = new WindowBuilder(EXTRACTOR, 1, 1);
    Windows all = Windows.concat(EXTRACTOR.schema(), 1, java.util.List.of(builder.build(a), builder.build(b)));
    assertThat(all.size()).isEqualTo(5);
    assertThat(all.seriesIds()).containsExactly("a", "b");

    Windows picked = all.select(new int[] {4, 0});
    assertThat(picked.seriesId(0)).isEqualTo("b");
    assertThat(picked.target(0, Target.MEMORY_PEAK)).isEqualTo(3f);
    assertThat(picked.features(1)).containsExactly(all.features(0));
    assertThat(picked.targetColumn(Target.CPU_MEAN)).containsExactly(9f, 2f);
    assertThat(picked.featureMatrix()).hasSize(2 * EXTRACTOR.width());
  }
}
