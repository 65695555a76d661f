package dev.presize.trainer.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.trainer.input.BitbrainsReader;
import dev.presize.trainer.input.PresizeTraceReader;
import dev.presize.trainer.input.SharedData;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RealDataWindowsTest {

  private static final FeatureExtractor EXTRACTOR = FeatureExtractor.standard();

  /** Features at sampled rows equal those computed from the series cut just after the row's step. */
  private static void assertNoLookAhead(Series s, Windows w) {
    int checked = 0;
    for (int row = 0; row < w.size(); row += Math.max(1, w.size() / 7)) {
      if (!w.seriesId(row).equals(s.id())) {
        continue;
      }
      int t = w.step(row);
      assertThat(EXTRACTOR.extract(TestSeries.truncate(s, t + 1), t)).as("%s t=%d", s.id(), t)
          .containsExactly(w.features(row));
      checked++;
    }
    assertThat(checked).isPositive();
  }

  @Test
  @DisplayName("Bitbrains file 1 at H = 3 steps (15 min) gives windows with memory and CPU targets, no look-ahead")
  void bitbrains() throws IOException {
    Series s = BitbrainsReader.read(SharedData.dir("bitbrains-rnd-2013-7").resolve("1.csv.gz"));
    Windows w = new WindowBuilder(EXTRACTOR, 3, 1).build(s);

    assertThat(w.size()).as("rows whose horizon is all gaps are dropped").isBetween(s.length() / 2, s.length() - 3);
    float[] memory = w.targetColumn(Target.MEMORY_PEAK);
    float[] cpu = w.targetColumn(Target.CPU_MEAN);
    assertThat(memory[memory.length / 2]).isPositive();
    assertThat(cpu[cpu.length / 2]).isGreaterThanOrEqualTo(0f);
    assertThat(w.feature(w.size() - 1, EXTRACTOR.schema().indexOf("step_seconds"))).isEqualTo(300f);
    assertNoLookAhead(s, w);
  }

  @Test
  @DisplayName("our corpus at 100 ms, H = 10 steps (1 s) gives windows from many series, no look-ahead")
  void corpus() throws IOException {
    List<Series> all = PresizeTraceReader.readCorpus(SharedData.corpus(), Duration.ofMillis(100));
    Windows w = new WindowBuilder(EXTRACTOR, 10, 1).build(all);

    assertThat(w.size()).isPositive();
    assertThat(w.seriesIds().size()).isGreaterThan(1);
    Series longest = all.stream().max((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
    assertNoLookAhead(longest, new WindowBuilder(EXTRACTOR, 10, 1).build(longest));
    Split split = new Splits(0.2, 0.2, 1).split(w);
    assertThat(split.train().size()).isPositive();
    assertThat(split.test().seriesIds()).doesNotContainAnyElementsOf(split.train().seriesIds());
  }
}
