package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CheckpointConfigTest {

  @Test
  @DisplayName("no settings gives the defaults; every key is read with its unit")
  void parse() {
    assertThat(CheckpointConfig.from(ConfigProperties.empty())).isEqualTo(CheckpointConfig.defaults());
    CheckpointConfig c = CheckpointConfig.from(ConfigProperties.of(Map.ofEntries(
        Map.entry(CheckpointConfig.CHECKPOINTER, "app-state"), Map.entry(CheckpointConfig.STORE_ROOT, "/x/y"),
        Map.entry(CheckpointConfig.KEEP_LAST, "5"), Map.entry(CheckpointConfig.MIN_INTERVAL, "1s"),
        Map.entry(CheckpointConfig.MAX_INTERVAL, "2h"), Map.entry(CheckpointConfig.INITIAL_COST, "50ms"),
        Map.entry(CheckpointConfig.COST_WEIGHT, "0.5"), Map.entry(CheckpointConfig.CONTENTION_THRESHOLD, "30%"),
        Map.entry(CheckpointConfig.LONG_RUNNING, "1h"), Map.entry(CheckpointConfig.MAX_DEFERRAL, "5m"),
        Map.entry(CheckpointConfig.LOW_PRESSURE, "2.5%"), Map.entry(CheckpointConfig.PROFILE_WEIGHT, "0.05"),
        Map.entry(CheckpointConfig.PRESSURE_ROOT, "/tmp/psi"), Map.entry(CheckpointConfig.INITIAL_LEAD, "250ms"),
        Map.entry(CheckpointConfig.FAILURE_COST, "0s"))));
    assertThat(c).isEqualTo(new CheckpointConfig(Optional.of("app-state"), Path.of("/x/y"), 5, Duration.ofSeconds(1),
        Duration.ofHours(2), Duration.ofMillis(50), 0.5, 0.3, Duration.ofHours(1), Duration.ofMinutes(5), 2.5,
        0.05, Path.of("/tmp/psi"), Duration.ofMillis(250), Duration.ZERO));
  }

  @Test
  @DisplayName("bad values are refused naming key=value")
  void refusals() {
    assertThatThrownBy(() -> CheckpointConfig.from(ConfigProperties.of(Map.of(CheckpointConfig.MIN_INTERVAL, "10"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("presize.checkpoint.interval.min=10");
    assertThatThrownBy(() -> CheckpointConfig.from(ConfigProperties.of(
        Map.of(CheckpointConfig.CONTENTION_THRESHOLD, "1.5")))).hasMessageContaining("threshold=1.5");
    assertThatThrownBy(() -> CheckpointConfig.from(ConfigProperties.of(Map.of(CheckpointConfig.LOW_PRESSURE, "10"))))
        .hasMessageContaining("low-pressure=10").hasMessageContaining("10%");
    assertThatThrownBy(() -> CheckpointConfig.from(ConfigProperties.of(Map.of(
        CheckpointConfig.MIN_INTERVAL, "1h", CheckpointConfig.MAX_INTERVAL, "1m"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("interval.min=1h");
    assertThatThrownBy(() -> CheckpointConfig.from(ConfigProperties.of(Map.of(CheckpointConfig.FAILURE_COST, "-1s"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("failure-cost");
  }
}
