package dev.presize.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolicyConfigTest {

  private static PolicyConfig parse(Map<String, String> m) {
    return PolicyConfig.from(ConfigProperties.of(m));
  }

  @Test
  @DisplayName("withMaximum replaces the maxima of one run and lowers a minimum above them; the rest is kept")
  void withMaximum() {
    PolicyConfig c = PolicyConfig.DEFAULTS.withMaximum(1L << 30, 2000);
    assertThat(c.memoryMaxBytes()).isEqualTo(1L << 30);
    assertThat(c.cpuMaxMillicores()).isEqualTo(2000);
    assertThat(c.memoryMinBytes()).isEqualTo(PolicyConfig.DEFAULTS.memoryMinBytes());
    assertThat(c.guard()).isEqualTo(PolicyConfig.DEFAULTS.guard());
    PolicyConfig tiny = PolicyConfig.DEFAULTS.withMaximum(16L << 20, 20);
    assertThat(tiny.memoryMinBytes()).isEqualTo(16L << 20);
    assertThat(tiny.cpuMinMillicores()).isEqualTo(20);
  }

  @Test
  @DisplayName("no keys: the documented defaults")
  void defaults() {
    PolicyConfig c = parse(Map.of());
    assertThat(c).isEqualTo(PolicyConfig.DEFAULTS);
    assertThat(c.memoryQuantile()).isEqualTo(Quantile.P99);
    assertThat(c.cpuQuantile()).isEqualTo(Quantile.P90);
    assertThat(c.memoryHeadroom()).isEqualTo(0.10);
    assertThat(c.guard()).isEqualTo(new MemoryGuard(64L << 20, 0.10));
    assertThat(c.memoryDecreaseInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.cpuMaxMillicores()).isEqualTo(4000);
    assertThat(c.memoryMaxBytes()).isEqualTo(10L << 30);
  }

  @Test
  @DisplayName("every key is read: quantiles, fractions as % or [0,1], sizes, CPU as m or cores, durations, factor")
  void everyKey() {
    PolicyConfig c = parse(Map.ofEntries(
        Map.entry(PolicyConfig.MEMORY_QUANTILE, "P90"),
        Map.entry(PolicyConfig.CPU_QUANTILE, "p50"),
        Map.entry(PolicyConfig.MEMORY_HEADROOM, "25%"),
        Map.entry(PolicyConfig.CPU_HEADROOM, "0.2"),
        Map.entry(PolicyConfig.MEMORY_GUARD, "128Mi"),
        Map.entry(PolicyConfig.MEMORY_GUARD_FRACTION, "150%"),
        Map.entry(PolicyConfig.MEMORY_HYSTERESIS, "2%"),
        Map.entry(PolicyConfig.CPU_HYSTERESIS, "0"),
        Map.entry(PolicyConfig.MEMORY_DECREASE_INTERVAL, "30s"),
        Map.entry(PolicyConfig.CPU_DECREASE_INTERVAL, "500ms"),
        Map.entry(PolicyConfig.MEMORY_MIN, "128Mi"),
        Map.entry(PolicyConfig.MEMORY_MAX, "2Gi"),
        Map.entry(PolicyConfig.CPU_MIN, "100m"),
        Map.entry(PolicyConfig.CPU_MAX, "1.5cores"),
        Map.entry(PolicyConfig.MAX_WIDENING, "8x")));
    assertThat(c).isEqualTo(new PolicyConfig(Quantile.P90, Quantile.P50, 0.25, 0.2,
        new MemoryGuard(128L << 20, 1.5), 0.02, 0, Duration.ofSeconds(30), Duration.ofMillis(500), 128L << 20,
        2L << 30, 100, 1500, 8));
  }

  @Test
  @DisplayName("bad values are refused naming key=value and what was expected")
  void refusals() {
    assertThatThrownBy(() -> parse(Map.of(PolicyConfig.CPU_MAX, "2")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("presize.policy.cpu.max=2")
        .hasMessageContaining("2cores");
    assertThatThrownBy(() -> parse(Map.of(PolicyConfig.MEMORY_HEADROOM, "10")))
        .hasMessageContaining("presize.policy.memory.headroom=10").hasMessageContaining("10%");
    assertThatThrownBy(() -> parse(Map.of(PolicyConfig.MEMORY_MAX, "1024")))
        .hasMessageContaining("presize.policy.memory.max=1024").hasMessageContaining("no unit");
    assertThatThrownBy(() -> parse(Map.of(PolicyConfig.MEMORY_QUANTILE, "p95")))
        .hasMessageContaining("presize.policy.memory.quantile=p95").hasMessageContaining("p50, p90 or p99");
    assertThatThrownBy(() -> parse(Map.of(PolicyConfig.MEMORY_DECREASE_INTERVAL, "10")))
        .hasMessageContaining("presize.policy.memory.decrease-interval=10");
    assertThatThrownBy(() -> parse(Map.of(PolicyConfig.MAX_WIDENING, "0.5")))
        .hasMessageContaining("presize.policy.max-widening=0.5");
    assertThatThrownBy(() -> parse(Map.of(PolicyConfig.MEMORY_MIN, "4Gi", PolicyConfig.MEMORY_MAX, "1Gi")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("memory max 1073741824 is below min");
  }

  @Test
  @DisplayName("the record refuses bad values with the value in the message")
  void recordValidation() {
    assertThatThrownBy(() -> new MemoryGuard(-1, 0.1)).hasMessageContaining("was -1");
    assertThatThrownBy(() -> new PolicyConfig(Quantile.P99, Quantile.P90, -0.1, 0.1, new MemoryGuard(0, 0), 0, 0,
        Duration.ZERO, Duration.ZERO, 1, 1, 1, 1, 1)).hasMessageContaining("memoryHeadroom").hasMessageContaining("-0.1");
  }
}
