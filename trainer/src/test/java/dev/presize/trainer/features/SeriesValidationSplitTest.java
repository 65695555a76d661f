package dev.presize.trainer.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.trainer.model.Series;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SeriesValidationSplitTest {

  @Test
  @DisplayName("validation by series holds whole series out: no series is in two parts, test as without it")
  void wholeSeries() {
    List<Series> series = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      double[] x = new double[30];
      for (int t = 0; t < x.length; t++) {
        x[t] = i + t;
      }
      series.add(TestSeries.cpuMemory("s" + i, x, x.clone()));
    }
    Windows all = new WindowBuilder(FeatureExtractor.standard(), 1, 1).build(series);
    Split bySeries = new Splits(0.2, 0.25, 7, true).split(all);
    Split byTime = new Splits(0.2, 0.25, 7).split(all);
    assertThat(bySeries.test().seriesIds()).isEqualTo(byTime.test().seriesIds());
    Set<String> train = bySeries.train().seriesIds();
    Set<String> validation = bySeries.validation().seriesIds();
    assertThat(validation).hasSize(4);
    Set<String> overlap = new HashSet<>(train);
    overlap.retainAll(validation);
    assertThat(overlap).isEmpty();
    assertThat(bySeries.train().size() + bySeries.validation().size() + bySeries.test().size()).isEqualTo(all.size());
  }
}
