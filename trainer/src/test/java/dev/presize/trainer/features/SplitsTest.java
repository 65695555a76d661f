package dev.presize.trainer.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.trainer.model.Series;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SplitsTest {

  private static final int H = 3;

  private static List<Series> series(int count, int length) {
    List<Series> out = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      double[] cpu = new double[length];
      double[] memory = new double[length];
      for (int i = 0; i < length; i++) {
        cpu[i] = s + i % 7;
        memory[i] = 1000 + s * i;
      }
      out.add(TestSeries.cpuMemory("series-" + s, cpu, memory));
    }
    return out;
  }

  private static Windows windows(List<Series> series) {
    return new WindowBuilder(FeatureExtractor.standard(), H, 1).build(series);
  }

  @Test
  @DisplayName("no series is in both train and test; validation rows are later than every training row of their series")
  void seriesAndTime() {
    Windows all = windows(series(10, 100));
    Split split = new Splits(0.3, 0.2, 42).split(all);

    Set<String> test = split.test().seriesIds();
    assertThat(test).hasSize(3);
    assertThat(split.train().seriesIds()).doesNotContainAnyElementsOf(test).hasSize(7);
    assertThat(split.validation().seriesIds()).doesNotContainAnyElementsOf(test).hasSize(7);
    assertThat(split.test().size()).as("held-out series are whole").isEqualTo(3 * (100 - H));

    Map<String, Long> lastTrainTime = new HashMap<>();
    Map<String, Long> lastTrainHorizon = new HashMap<>();
    for (int i = 0; i < split.train().size(); i++) {
      lastTrainTime.merge(split.train().seriesId(i), split.train().timeMillis(i), Math::max);
      lastTrainHorizon.merge(split.train().seriesId(i), split.train().horizonEndMillis(i), Math::max);
    }
    for (int i = 0; i < split.validation().size(); i++) {
      String id = split.validation().seriesId(i);
      assertThat(split.validation().timeMillis(i)).as(id).isGreaterThan(lastTrainTime.get(id));
      assertThat(split.validation().timeMillis(i)).as("purged: no training target overlaps validation")
          .isGreaterThanOrEqualTo(lastTrainHorizon.get(id));
    }
    int purged = all.size() - split.train().size() - split.validation().size() - split.test().size();
    assertThat(purged).as("at most H-1 rows per training series are purged").isBetween(0, 7 * (H - 1));
    assertThat(split.validation().size()).isBetween(7 * 19, 7 * 20);
  }

  @Test
  @DisplayName("the test series depend only on the ids and the seed, not on row order; another seed picks others")
  void deterministic() {
    List<Series> list = series(20, 10);
    Splits splits = new Splits(0.25, 0.2, 7);
    Set<String> first = splits.split(windows(list)).test().seriesIds();
    List<Series> shuffled = new ArrayList<>(list);
    Collections.reverse(shuffled);
    assertThat(splits.split(windows(shuffled)).test().seriesIds()).isEqualTo(first);

    Set<Set<String>> choices = new HashSet<>();
    for (long seed = 0; seed < 5; seed++) {
      choices.add(new Splits(0.25, 0.2, seed).testSeries(windows(list).seriesIds()));
    }
    assertThat(choices).hasSizeGreaterThan(1);
  }

  @Test
  @DisplayName("cross-validation folds: every series in exactly one of the 5 folds, sizes within one, fold 0 the 20%"
      + " testSeries holds out; a bad fold is refused")
  void folds() {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    for (int i = 0; i < 97; i++) {
      ids.add("vm-" + i);
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int k = 0; k < 5; k++) {
      java.util.Set<String> fold = Splits.foldSeries(ids, 42, k, 5);
      assertThat(fold.size()).isBetween(19, 20);
      for (String id : fold) {
        assertThat(seen.add(id)).as("%s in one fold only", id).isTrue();
      }
    }
    assertThat(seen).isEqualTo(ids);
    assertThat(Splits.foldSeries(ids, 42, 0, 5)).isEqualTo(new Splits(0.2, 0.2, 42).testSeries(ids));
    assertThat(Splits.foldSeries(ids, 7, 0, 5)).isNotEqualTo(Splits.foldSeries(ids, 42, 0, 5));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Splits.foldSeries(ids, 42, 5, 5))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Splits.foldSeries(ids, 42, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("with two series one is test; fractions of 0 give no test and no validation")
  void edges() {
    Windows two = windows(series(2, 10));
    Split split = new Splits(0.01, 0.01, 1).split(two);
    assertThat(split.test().seriesIds()).hasSize(1);
    assertThat(split.train().seriesIds()).hasSize(1);
    assertThat(split.validation().size()).isEqualTo(1);

    Split none = new Splits(0, 0, 1).split(two);
    assertThat(none.test().size()).isZero();
    assertThat(none.validation().size()).isZero();
    assertThat(none.train().size()).isEqualTo(two.size());
  }

  @Test
  @DisplayName("with the test series chosen first, the windows of the others alone split into the same train and"
      + " validation rows (both validation modes)")
  void testSeriesChosenBeforeTheirWindows() {
    List<Series> all = series(12, 60);
    Windows every = windows(all);
    for (boolean bySeries : new boolean[] {false, true}) {
      Splits splits = new Splits(0.25, 0.2, 7, bySeries);
      Split reference = splits.split(every);
      Set<String> test = splits.testSeries(every.seriesIds());
      List<Series> kept = all.stream().filter(s -> !test.contains(s.id())).toList();
      Split split = splits.split(windows(kept), test);

      assertThat(test).isEqualTo(reference.test().seriesIds()).hasSize(3);
      assertThat(split.test().size()).isZero();
      for (Windows[] pair : new Windows[][] {{reference.train(), split.train()},
          {reference.validation(), split.validation()}}) {
        assertThat(pair[1].size()).isEqualTo(pair[0].size()).isPositive();
        for (int i = 0; i < pair[0].size(); i++) {
          assertThat(pair[1].seriesId(i)).isEqualTo(pair[0].seriesId(i));
          assertThat(pair[1].step(i)).isEqualTo(pair[0].step(i));
          assertThat(pair[1].features(i)).containsExactly(pair[0].features(i));
        }
      }
    }
  }
}
