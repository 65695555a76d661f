package dev.presize.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SimpleBaselinesTest {

  private static final long MIN5 = Duration.ofMinutes(5).toMillis();

  private static Series series(String id, double[] cpu, double[] mem) {
    return new Series(id, "test", 0, Duration.ofMinutes(5), Map.of(Resource.CPU, cpu, Resource.MEMORY, mem), true,
        Map.of(Resource.CPU, 2.0), "");
  }

  @Test
  @DisplayName("static allocates the provisioned size whatever it observes; unknown resources get NaN")
  void staticBaseline() {
    Recommender r = StaticRecommender.provisioned().create(series("s", new double[] {1}, new double[] {1}));
    r.observe(Resource.CPU, MIN5, 7.0);
    assertThat(r.recommend(Resource.CPU, MIN5)).isEqualTo(2.0);
    assertThat(r.recommend(Resource.MEMORY, MIN5)).isNaN();
    assertThat(StaticRecommender.fixed(Map.of(Resource.MEMORY, 1e9)).create(series("s", new double[] {1},
        new double[] {1})).recommend(Resource.MEMORY, 0)).isEqualTo(1e9);
  }

  @Test
  @DisplayName("reactive is the last value x 1.15, NaN steps skipped")
  void reactive() {
    Recommender r = new ReactiveRecommender(0.15);
    assertThat(r.recommend(Resource.CPU, 0)).isNaN();
    r.observe(Resource.CPU, MIN5, 1.0);
    r.observe(Resource.CPU, 2 * MIN5, 2.0);
    r.observe(Resource.CPU, 3 * MIN5, Double.NaN);
    assertThat(r.recommend(Resource.CPU, 3 * MIN5)).isCloseTo(2.3, within(1e-12));
  }

  @Test
  @DisplayName("EWMA with a 1-step half-life averages with weight 1/2: 1, 3, 5 -> 3.5, x 1.15")
  void ewma() {
    EwmaRecommender r = new EwmaRecommender(1, 0.15);
    assertThat(r.alpha()).isEqualTo(0.5);
    r.observe(Resource.MEMORY, MIN5, 1);
    r.observe(Resource.MEMORY, 2 * MIN5, 3); // 2
    assertThat(r.recommend(Resource.MEMORY, 2 * MIN5)).isCloseTo(2.3, within(1e-12));
    r.observe(Resource.MEMORY, 3 * MIN5, 5); // 3.5
    assertThat(r.recommend(Resource.MEMORY, 3 * MIN5)).isCloseTo(4.025, within(1e-12));
  }

  @Test
  @DisplayName("autopilot goes up at once and comes down by at most 10% per step")
  void autopilotFastUpSlowDown() {
    AutopilotRecommender r = new AutopilotRecommender(
        new AutopilotRecommender.Config(1.0, Duration.ofHours(12), Duration.ofMinutes(10), 0.98, 0.0, 0.1));
    long t = 0;
    for (int i = 0; i < 200; i++) {
      r.observe(Resource.CPU, t += MIN5, 1.0);
    }
    assertThat(r.recommend(Resource.CPU, t)).isCloseTo(1.0162814, within(1e-6)); // p98 = end of 1.0's bucket
    r.observe(Resource.CPU, t += MIN5, 10.0);
    assertThat(r.recommend(Resource.CPU, t)).isEqualTo(10.0); // fast up: the window peak at once
    r.observe(Resource.CPU, t += MIN5, 1.0);
    assertThat(r.recommend(Resource.CPU, t)).isEqualTo(10.0); // the peak is still in the 10-minute window
    r.observe(Resource.CPU, t += MIN5, 1.0);
    assertThat(r.recommend(Resource.CPU, t)).isCloseTo(9.0, within(1e-12)); // slow down: -10%
    r.observe(Resource.CPU, t += MIN5, 1.0);
    assertThat(r.recommend(Resource.CPU, t)).isCloseTo(8.1, within(1e-12));
    for (int i = 0; i < 100; i++) {
      r.observe(Resource.CPU, t += MIN5, 1.0);
    }
    assertThat(r.recommend(Resource.CPU, t)).isCloseTo(1.0162814, within(1e-6)); // floor: p98 again
  }

  @Test
  @DisplayName("no method uses the future: recommend at t is the same whatever is observed after t")
  void noFuture() {
    List<RecommenderFactory> factories = List.of(StaticRecommender.provisioned(), ReactiveRecommender.factory(),
        EwmaRecommender.factory(), VpaRecommender.factory(), AutopilotRecommender.factory());
    int n = 400;
    int prefix = 300;
    Random rnd = new Random(42);
    double[] cpuA = new double[n];
    double[] memA = new double[n];
    for (int i = 0; i < n; i++) {
      cpuA[i] = 0.2 + rnd.nextDouble();
      memA[i] = 3e8 + 1e9 * rnd.nextDouble();
    }
    double[] cpuB = cpuA.clone();
    double[] memB = memA.clone();
    for (int i = prefix; i < n; i++) {
      cpuB[i] *= 10;
      memB[i] *= 10;
    }
    Series a = series("a", cpuA, memA);
    Series b = series("b", cpuB, memB);
    for (RecommenderFactory f : factories) {
      Recommender ra = f.create(a);
      Recommender rb = f.create(b);
      assertThat(ra.name()).isEqualTo(f.name());
      boolean sawDifference = false;
      for (int i = 0; i < n; i++) {
        long t = a.endMillis(i);
        for (Resource res : List.of(Resource.CPU, Resource.MEMORY)) {
          double x = ra.recommend(res, t);
          double y = rb.recommend(res, t);
          if (i <= prefix) {
            assertThat(Double.compare(x, y)).as("%s %s at step %d: %s vs %s", f.name(), res, i, x, y).isZero();
          } else if (Double.compare(x, y) != 0) {
            sawDifference = true;
          }
          ra.observe(res, t, a.value(res, i));
          rb.observe(res, t, b.value(res, i));
        }
      }
      if (!f.name().equals(StaticRecommender.NAME)) {
        assertThat(sawDifference).as("%s reacts to the differing suffix", f.name()).isTrue();
      }
    }
  }
}
