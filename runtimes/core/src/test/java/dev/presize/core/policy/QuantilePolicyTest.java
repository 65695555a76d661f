package dev.presize.core.policy;

import static dev.presize.core.policy.Inputs.GIB;
import static dev.presize.core.policy.Inputs.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.ResourceProfile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code QuantilePolicy} step on its own. */
class QuantilePolicyTest {

  private static final ResourceProfile CURRENT = new ResourceProfile(1000, GIB, 100);
  private static final MemoryGuard GUARD = new MemoryGuard(64 * MIB, 0.10);

  @Test
  @DisplayName("memory from the chosen quantile, CPU from its own, rounded up; the network is kept")
  void picksQuantiles() {
    var f = Inputs.forecast(new Quantiles(100 * MIB, 200 * MIB, 300 * MIB + 0.5), new Quantiles(100, 250.2, 900));
    AllocationDecision d = new QuantilePolicy(Quantile.P99, Quantile.P90)
        .decide(new PolicyInput(f, 0, CURRENT, 0));
    assertThat(d.profile()).isEqualTo(new ResourceProfile(251, 300 * MIB + 1, 100));
    assertThat(d.adjustments()).extracting(AllocationDecision.Adjustment::by).containsOnly(QuantilePolicy.STEP);
    assertThat(new QuantilePolicy(Quantile.P50, Quantile.P99).decide(new PolicyInput(f, 0, CURRENT, 0)).profile())
        .isEqualTo(new ResourceProfile(900, 100 * MIB, 100));
  }

  @Test
  @DisplayName("a zero forecast gives 1 unit (a profile is never zero); a huge one saturates, never overflows")
  void extremes() {
    var zero = new PolicyInput(Inputs.forecast(new Quantiles(0, 0, 0), new Quantiles(0, 0, 0)), 0, CURRENT, 0);
    assertThat(new QuantilePolicy(Quantile.P99, Quantile.P90).decide(zero).profile())
        .isEqualTo(new ResourceProfile(1, 1, 100));
    var huge = new PolicyInput(Inputs.forecast(new Quantiles(1e300, 1e300, 1e300), new Quantiles(0, 1e19, 1e19)),
        0, CURRENT, 0);
    assertThat(new QuantilePolicy(Quantile.P99, Quantile.P90).decide(huge).profile())
        .isEqualTo(new ResourceProfile(Long.MAX_VALUE, Long.MAX_VALUE, 100));
  }
}
