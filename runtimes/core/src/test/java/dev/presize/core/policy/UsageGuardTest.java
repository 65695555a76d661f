package dev.presize.core.policy;

import static dev.presize.core.policy.Inputs.GIB;
import static dev.presize.core.policy.Inputs.MIB;
import static dev.presize.core.policy.Inputs.fixed;
import static dev.presize.core.policy.Inputs.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code UsageGuard} step on its own. */
class UsageGuardTest {

  private static final ResourceProfile CURRENT = new ResourceProfile(1000, GIB, 100);
  private static final MemoryGuard GUARD = new MemoryGuard(64 * MIB, 0.10);

  @Test
  @DisplayName("memory below usage + max(64Mi, 10% usage) is raised to it, whatever was decided inside")
  void raises() {
    var g = new UsageGuard(fixed(ResourceProfile.of(100, 1)), GUARD, 10 * GIB);
    assertThat(g.decide(input(100 * MIB, CURRENT, 0)).value(Resource.MEMORY)).isEqualTo(164 * MIB);
    assertThat(g.decide(input(2000 * MIB, CURRENT, 0)).value(Resource.MEMORY)).isEqualTo(2200 * MIB);
    var above = new UsageGuard(fixed(ResourceProfile.of(100, 3000 * MIB)), GUARD, 10 * GIB)
        .decide(input(100 * MIB, CURRENT, 0));
    assertThat(above.value(Resource.MEMORY)).isEqualTo(3000 * MIB);
    assertThat(above.contention()).isEmpty();
  }

  @Test
  @DisplayName("when usage + guard is above max, memory goes above max (never below usage) and is flagged")
  void contention() {
    var d = new UsageGuard(fixed(ResourceProfile.of(100, GIB)), GUARD, GIB).decide(input(GIB, CURRENT, 0));
    assertThat(d.value(Resource.MEMORY)).isEqualTo(GIB + GIB / 10 + 1);
    assertThat(d.contended(Resource.MEMORY)).isTrue();
    assertThat(d.adjustments()).last().extracting(AllocationDecision.Adjustment::by).isEqualTo(UsageGuard.STEP);
  }
}
