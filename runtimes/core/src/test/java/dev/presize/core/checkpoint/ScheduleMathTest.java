package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.presize.spi.resources.Quantiles;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScheduleMathTest {

  @Test
  @DisplayName("T = sqrt(2C/λ): C = 2 s, λ = 0.01/s gives 20 s; C = 0.5 s, λ = 1/900 s gives 30 s")
  void youngDalyByHand() {
    assertThat(YoungDaly.intervalSeconds(2, 0.01)).isCloseTo(20, within(1e-12));
    assertThat(YoungDaly.intervalSeconds(0.5, 1.0 / 900)).isCloseTo(30, within(1e-9));
    assertThat(YoungDaly.interval(Duration.ofSeconds(2), 0.01, Duration.ofSeconds(1), Duration.ofHours(1)))
        .isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("the interval is clamped: λ = 0 gives max, a huge λ gives min; bad bounds are refused")
  void clamping() {
    Duration min = Duration.ofSeconds(10);
    Duration max = Duration.ofMinutes(30);
    assertThat(YoungDaly.interval(Duration.ofSeconds(2), 0, min, max)).isEqualTo(max);
    assertThat(YoungDaly.interval(Duration.ofSeconds(2), 1e-9, min, max)).isEqualTo(max);
    assertThat(YoungDaly.interval(Duration.ofSeconds(2), 100, min, max)).isEqualTo(min);
    assertThatThrownBy(() -> YoungDaly.interval(Duration.ofSeconds(1), 1, max, min))
        .hasMessageContaining("min <= max");
    assertThatThrownBy(() -> YoungDaly.intervalSeconds(1, -1)).hasMessageContaining("-1");
  }

  @Test
  @DisplayName("P(need > available) through the quantiles: linear between them, exponential tail beyond p99")
  void exceedanceFromQuantiles() {
    Quantiles q = new Quantiles(100, 200, 300);
    assertThat(ExceedanceModel.probabilityAbove(q, 50)).isCloseTo(0.75, within(1e-12));
    assertThat(ExceedanceModel.probabilityAbove(q, 100)).isCloseTo(0.5, within(1e-12));
    assertThat(ExceedanceModel.probabilityAbove(q, 150)).isCloseTo(0.3, within(1e-12));
    assertThat(ExceedanceModel.probabilityAbove(q, 200)).isCloseTo(0.1, within(1e-12));
    assertThat(ExceedanceModel.probabilityAbove(q, 250)).isCloseTo(0.055, within(1e-12));
    assertThat(ExceedanceModel.probabilityAbove(q, 300)).isCloseTo(0.01, within(1e-12));
    assertThat(ExceedanceModel.probabilityAbove(q, 400)).isCloseTo(0.001, within(1e-12));
    assertThat(ExceedanceModel.probabilityAbove(q, 500)).isCloseTo(0.0001, within(1e-12));
    // No tail when p99 == p90: nothing above p99.
    assertThat(ExceedanceModel.probabilityAbove(new Quantiles(100, 200, 200), 201)).isZero();
    // hazard = P / horizon: P = 0.1 over 10 s is 0.01 per second.
    assertThat(ExceedanceModel.hazardPerSecond(q, 200, Duration.ofSeconds(10))).isCloseTo(0.01, within(1e-12));
  }

  @Test
  @DisplayName("wider uncertainty at the same median gives a larger λ and a shorter interval")
  void widerMeansMoreOften() {
    Quantiles narrow = new Quantiles(100, 110, 120);
    Quantiles wide = new Quantiles(100, 150, 200);
    double lambdaNarrow = ExceedanceModel.hazardPerSecond(narrow, 130, Duration.ofSeconds(1));
    double lambdaWide = ExceedanceModel.hazardPerSecond(wide, 130, Duration.ofSeconds(1));
    assertThat(lambdaNarrow).isCloseTo(0.001, within(1e-12));
    assertThat(lambdaWide).isCloseTo(0.26, within(1e-12));
    Duration c = Duration.ofMillis(100);
    assertThat(YoungDaly.interval(c, lambdaWide, Duration.ZERO, Duration.ofDays(1)))
        .isLessThan(YoungDaly.interval(c, lambdaNarrow, Duration.ZERO, Duration.ofDays(1)));
  }

  @Test
  @DisplayName("C is an EWMA of measured costs that starts from the prior and is replaced by the first measurement")
  void costEwma() {
    CostEstimate c = new CostEstimate(Duration.ofMillis(200), 0.5);
    assertThat(c.cost()).isEqualTo(Duration.ofMillis(200));
    c.observe(100_000_000);
    assertThat(c.cost()).isEqualTo(Duration.ofMillis(100));
    c.observe(300_000_000);
    assertThat(c.cost()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.samples()).isEqualTo(2);
    assertThatThrownBy(() -> new CostEstimate(Duration.ZERO, 0)).hasMessageContaining("(0, 1]");
  }
}
