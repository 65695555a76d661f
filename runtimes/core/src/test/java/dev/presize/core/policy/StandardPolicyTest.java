package dev.presize.core.policy;

import static dev.presize.core.policy.Inputs.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StandardPolicyTest {

  @Test
  @DisplayName("memory at p99 + 10%, CPU at p90 + 10%, each change explained by the step that made it")
  void chain() {
    var policy = StandardPolicy.from(ConfigProperties.empty());
    var f = Inputs.forecast(new Quantiles(100 * MIB, 200 * MIB, 400 * MIB), new Quantiles(100, 500, 900));
    AllocationDecision d = policy.decide(new PolicyInput(f, 150 * MIB, ResourceProfile.of(1000, 1024 * MIB), 0));
    assertThat(d.profile()).isEqualTo(ResourceProfile.of(550, 440 * MIB));
    assertThat(d.changed()).isTrue();
    assertThat(d.contention()).isEmpty();
    assertThat(d.adjustments()).extracting(AllocationDecision.Adjustment::by)
        .containsExactly("quantile", "quantile", "headroom", "headroom");
  }

  @Test
  @DisplayName("a wildly low memory forecast ends at usage + guard, the usage guard named as the reason")
  void lowForecast() {
    var policy = StandardPolicy.from(ConfigProperties.empty());
    var f = Inputs.forecast(new Quantiles(0, 0, 1), new Quantiles(100, 500, 900));
    AllocationDecision d = policy.decide(new PolicyInput(f, 900 * MIB, ResourceProfile.of(550, 1024 * MIB), 0));
    assertThat(d.value(Resource.MEMORY)).isEqualTo(990 * MIB);
    assertThat(d.adjustments()).last().satisfies(a -> {
      assertThat(a.by()).isEqualTo(UsageGuard.STEP);
      assertThat(a.why()).contains("usage " + 900 * MIB).contains("guard " + 90 * MIB);
    });
  }

  @Test
  @DisplayName("the same forecast twice: the second decision changes nothing; widen raises memory next time")
  void steadyAndWiden() {
    var policy = StandardPolicy.from(ConfigProperties.of(Map.of(PolicyConfig.MEMORY_HYSTERESIS, "1%")));
    var f = Inputs.flat(1000 * MIB, 500);
    AllocationDecision first = policy.decide(new PolicyInput(f, 10 * MIB, ResourceProfile.of(100, 64 * MIB), 0));
    AllocationDecision second = policy.decide(new PolicyInput(f, 10 * MIB, first.profile(), 1));
    assertThat(second.changed()).isFalse();
    assertThat(policy.widen(Resource.MEMORY, 1.2)).isEqualTo(1.2);
    AllocationDecision third = policy.decide(new PolicyInput(f, 10 * MIB, second.profile(), 2));
    assertThat(third.value(Resource.MEMORY)).isEqualTo(1320 * MIB);
    assertThat(third.value(Resource.CPU)).isEqualTo(550);
  }
}
