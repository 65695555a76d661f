package dev.presize.trainer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.QuantileRecommender;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.ModelFiles;
import dev.presize.trainer.train.PresizeModel;
import dev.presize.trainer.train.Synthetic;
import dev.presize.trainer.train.Trainer;
import dev.presize.trainer.train.TrainingListener;
import dev.presize.trainer.train.TrainingOptions;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresizeMethodTest {

  @TempDir
  static Path tmp;
  private static PresizeModel model;

  @BeforeAll
  static void train() throws Exception {
    TrainingOptions d = TrainingOptions.defaults("t", 1);
    TrainingOptions o = new TrainingOptions("t", d.quantiles(), 1, 1, 40, 10, 4, 0.3, 1, 0.8, 0.8, 64, 2, 42,
        d.splits(), 0.99, d.targetUnderProvisioned(), d.targets(), d.minImprovement());
    var trained = new Trainer().train(Synthetic.series(10, 400, 11), o,
        new Trainer.Source("synthetic", List.of("x"), "sha256:0"), TrainingListener.NONE);
    ModelFiles.write(trained, tmp.resolve("m"));
    model = PresizeModel.load(tmp.resolve("m"), FeatureExtractor.standard().schema());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static double[] allocations(Series s, Resource r) {
    return allocations(new PresizeMethod(model), s, r);
  }

  private static double[] allocations(PresizeMethod method, Series s, Resource r) {
    QuantileRecommender rec = (QuantileRecommender) method.create(s);
    double[] out = new double[s.length()];
    for (int i = 0; i < s.length(); i++) {
      out[i] = rec.recommend(r, s.endMillis(i));
      if (i > 0) {
        assertThat(rec.quantile(r, 0.5)).isLessThanOrEqualTo(rec.quantile(r, 0.9));
      } else {
        assertThat(rec.quantile(r, 0.5)).isNaN();
      }
    }
    return out;
  }

  @Test
  @DisplayName("the allocation at step i depends on steps < i only: changing the future changes nothing before it")
  void causal() {
    Series s = Synthetic.series(1, 300, 99).get(0);
    int k = 150;
    Map<Resource, double[]> changed = new EnumMap<>(Resource.class);
    for (Resource r : s.usage().keySet()) {
      double[] v = s.values(r);
      for (int i = k; i < v.length; i++) {
        v[i] *= 7;
      }
      changed.put(r, v);
    }
    Series future = new Series(s.id(), s.source(), s.startMillis(), s.step(), changed, true, s.provisioned(), "");
    for (Resource r : List.of(Resource.MEMORY, Resource.CPU)) {
      double[] a = allocations(s, r);
      double[] b = allocations(future, r);
      for (int i = 0; i <= k; i++) {
        assertThat(Double.doubleToLongBits(b[i])).as("%s step %d", r, i).isEqualTo(Double.doubleToLongBits(a[i]));
      }
      assertThat(b[k + 1]).as("step after the change sees it").isNotEqualTo(a[k + 1]);
    }
  }

  /** {@code s} as an invocation of function {@code f} with input 1, starting at {@code startMillis}. */
  private static Series invocation(Series s, long startMillis) {
    return new Series(s.id() + "@" + startMillis, s.source(), startMillis, s.step(), s.usage(), true, s.provisioned(),
        "", "f", 1);
  }

  @Test
  @DisplayName("known invocations that ended before a series started are its history; later ones and itself are not")
  void knownHistory() {
    Series s = invocation(Synthetic.series(1, 120, 7).get(0), 100_000_000L);
    Series earlier = invocation(Synthetic.series(1, 120, 8).get(0), 0);
    Series later = invocation(Synthetic.series(1, 120, 9).get(0), 200_000_000L);
    double[] alone = allocations(new PresizeMethod(model), s, Resource.MEMORY);
    double[] withLater = allocations(new PresizeMethod(model).withHistory(List.of(later, s)), s, Resource.MEMORY);
    assertThat(withLater).containsExactly(alone);
    assertThat(new PresizeMethod(model).withHistory(List.of(later, s)).history(s).runs()).isZero();
    PresizeMethod known = new PresizeMethod(model).withHistory(List.of(earlier, later));
    assertThat(known.history(s).runs()).isEqualTo(1);
    assertThat(known.at(0.01).history(s).runs()).as("shared by its operating points").isEqualTo(1);
  }

  @Test
  @DisplayName("no forecast at step 0 (nothing observed yet): the replay's fallback applies")
  void firstStep() {
    Series s = Synthetic.series(1, 50, 5).get(0);
    assertThat(allocations(s, Resource.MEMORY)[0]).isNaN();
    assertThat(allocations(s, Resource.MEMORY)[1]).isPositive();
  }

  @Test
  @DisplayName("replayed with the baselines, Presize gets its own forecast metrics for memory and CPU")
  void inReplay() {
    List<Series> series = Synthetic.series(3, 200, 21);
    var methods = new java.util.ArrayList<dev.presize.trainer.baseline.RecommenderFactory>();
    methods.add(new PresizeMethod(model));
    methods.addAll(Replay.baselines());
    EvaluationResult r = new Replay(methods).run("synthetic", series);
    ResourceMetrics mem = r.metrics("presize", Resource.MEMORY);
    assertThat(mem.forecastSteps()).isEqualTo(3 * 199);
    assertThat(mem.fallbackSteps()).isEqualTo(3);
    assertThat(mem.coverageP90()).isBetween(0.7, 1.0);
    assertThat(r.toJson()).contains("\"presize\"", "\"coverageP99\"");
  }
}
