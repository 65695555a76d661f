package dev.presize.trainer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.QuantileRecommender;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuantileReplayTest {

  /** Forecasts p50 = 1, p90 = 2, p99 = 3 of every resource, allocates 4. */
  private static final RecommenderFactory FIXED = RecommenderFactory.of("q", s -> new QuantileRecommender() {
    @Override
    public String name() {
      return "q";
    }

    @Override
    public void observe(Resource resource, long timeMillis, double value) {
    }

    @Override
    public double recommend(Resource resource, long timeMillis) {
      return 4;
    }

    @Override
    public double quantile(Resource resource, double q) {
      return q == 0.5 ? 1 : q == 0.9 ? 2 : q == 0.99 ? 3 : Double.NaN;
    }
  });

  @Test
  @DisplayName("a quantile forecaster's p50/p90/p99 are scored apart from its allocation; traces keep them")
  void scoresQuantiles() {
    double[] used = {0.5, 1.5, 2.5, 3.5};
    Series s = new Series("s", "test", 0, Duration.ofSeconds(1), Map.of(Resource.CPU, used), true, Map.of(), "");
    Replay.Outcome o = new Replay(List.of(FIXED)).run("d", List.of(s), Set.of("s"));
    ResourceMetrics m = o.result().metrics("q", Resource.CPU);
    assertThat(m.forecastSteps()).isEqualTo(4);
    assertThat(m.coverageP90()).isEqualTo(0.5); // 0.5 and 1.5 <= 2
    assertThat(m.coverageP99()).isEqualTo(0.75);
    assertThat(m.coverageOfAllocation()).isEqualTo(1.0);
    // pinball p50 of forecast 1: (0.5*0.5 + 0.5*0.5 + 0.5*1.5 + 0.5*2.5) / 4
    assertThat(m.pinballP50()).isCloseTo((0.25 + 0.25 + 0.75 + 1.25) / 4, within(1e-12));
    // pinball p90 of forecast 2: (0.1*1.5 + 0.1*0.5 + 0.9*0.5 + 0.9*1.5) / 4
    assertThat(m.pinballP90()).isCloseTo((0.15 + 0.05 + 0.45 + 1.35) / 4, within(1e-12));
    assertThat(o.traces()).hasSize(1);
    SeriesTrace t = o.traces().get(0);
    assertThat(t.allocations().get("q")).containsExactly(4, 4, 4, 4);
    assertThat(t.forecasts()).containsOnlyKeys(0.5, 0.9, 0.99);
    assertThat(t.forecasts().get(0.9)).containsExactly(2, 2, 2, 2);
    assertThat(t.tail(2).used()).containsExactly(2.5, 3.5);
  }

  @Test
  @DisplayName("a one-number method's p90 coverage is the coverage of its allocation; p99 and p50 are not defined")
  void oneNumberMethods() {
    double[] used = {1, 3};
    Series s = new Series("s", "test", 0, Duration.ofSeconds(1), Map.of(Resource.CPU, used), true,
        Map.of(Resource.CPU, 2.0), "");
    ResourceMetrics m = new Replay(List.of(dev.presize.trainer.baseline.StaticRecommender.provisioned()))
        .run("d", List.of(s)).metrics("static", Resource.CPU);
    assertThat(m.coverageP90()).isEqualTo(0.5);
    assertThat(m.coverageP99()).isNaN();
    assertThat(m.pinballP50()).isNaN();
    assertThat(m.forecastSteps()).isZero();
  }
}
