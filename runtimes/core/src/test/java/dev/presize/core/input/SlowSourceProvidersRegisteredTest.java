package dev.presize.core.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.metrics.MetricSourceProvider;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlowSourceProvidersRegisteredTest {

  @Test
  @DisplayName("ServiceLoader finds the jvm, jfr-phase, working-set and perf-counters providers with their families")
  void registered() {
    Map<String, String> familyByName = ProviderRegistry.load(MetricSourceProvider.class).all().stream()
        .collect(Collectors.toMap(MetricSourceProvider::name, MetricSourceProvider::family));
    assertThat(familyByName)
        .containsEntry("jvm", "jvm")
        .containsEntry("jfr-phase", "code-phase")
        .containsEntry("working-set", "working-set")
        .containsEntry("perf-counters", "instruction-mix");
  }
}
