package dev.presize.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.actuate.ActuationResult;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  @DisplayName("a resource profile rejects non-positive CPU and memory, naming the bad value")
  void profile() {
    assertThat(ResourceProfile.of(500, 1 << 30).networkMbps()).isEqualTo(ResourceProfile.NOT_MANAGED);
    assertThatThrownBy(() -> ResourceProfile.of(0, 1)).hasMessageContaining("cpuMillicores must be > 0, was 0");
    assertThatThrownBy(() -> ResourceProfile.of(1, -5)).hasMessageContaining("was -5");
  }

  @Test
  @DisplayName("quantiles must not decrease; crossed model outputs can be sorted")
  void quantiles() {
    assertThatThrownBy(() -> new Quantiles(3, 2, 4)).hasMessageContaining("p50=3.0 p90=2.0");
    assertThatThrownBy(() -> new Quantiles(Double.NaN, 2, 4)).hasMessageContaining("p50");
    assertThat(Quantiles.sorted(3, 1, 2)).isEqualTo(new Quantiles(1, 2, 3));
    assertThat(Quantiles.sorted(5.2773425940027885E17, 1e18, 1e18)).isEqualTo(new Quantiles(5.2773425940027885E17, 1e18, 1e18));
    assertThat(Quantiles.sorted(1e18, 0.1, 1e18)).isEqualTo(new Quantiles(0.1, 1e18, 1e18));
    assertThat(new Quantiles(1, 2, 5).spread()).isEqualTo(4);
  }

  @Test
  @DisplayName("a forecast must cover CPU and memory and carries the model version")
  void forecast() {
    var q = new Quantiles(1, 2, 3);
    assertThatThrownBy(() -> new Forecast("f", Instant.EPOCH, Duration.ofSeconds(1), Map.of(Resource.CPU, q), "m",
        "1")).hasMessageContaining("MEMORY");
    var f = new Forecast("f", Instant.EPOCH, Duration.ofSeconds(1), Map.of(Resource.CPU, q, Resource.MEMORY, q),
        "m", "7");
    assertThat(f.modelVersion()).isEqualTo("7");
    assertThat(f.of(Resource.NETWORK)).isEmpty();
  }

  @Test
  @DisplayName("actuation results are a closed set callers switch over exhaustively")
  void sealedResults() {
    assertThat(ActuationResult.class.isSealed()).isTrue();
    assertThat(ActuationResult.class.getPermittedSubclasses()).extracting(Class::getSimpleName)
        .containsExactlyInAnyOrder("Applied", "Skipped", "Rejected", "Failed");
  }

  @Test
  @DisplayName("metric keys are unique and resolvable")
  void metricKeys() {
    assertThat(Arrays.stream(Metric.values()).map(Metric::key).distinct().count()).isEqualTo(Metric.values().length);
    assertThat(Metric.byKey("proc.rss")).contains(Metric.PROC_RSS_BYTES);
    assertThat(Metric.byKey("nope")).isEmpty();
  }
}
