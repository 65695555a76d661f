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

/** The {@code Hysteresis} step on its own. */
class HysteresisTest {

  private static final ResourceProfile CURRENT = new ResourceProfile(1000, GIB, 100);
  private static final MemoryGuard GUARD = new MemoryGuard(64 * MIB, 0.10);

  @Test
  @DisplayName("changes under the threshold keep what is in force; larger ones pass")
  void threshold() {
    var current = ResourceProfile.of(1000, 1000 * MIB);
    var small = new Hysteresis(fixed(ResourceProfile.of(1090, 960 * MIB)), 0.05, 0.10, GUARD)
        .decide(input(100 * MIB, current, 0));
    assertThat(small.profile()).isEqualTo(current);
    assertThat(small.changed()).isFalse();
    assertThat(small.adjustments()).extracting(AllocationDecision.Adjustment::by).contains(Hysteresis.STEP);
    var large = new Hysteresis(fixed(ResourceProfile.of(1100, 940 * MIB)), 0.05, 0.10, GUARD)
        .decide(input(100 * MIB, current, 0));
    assertThat(large.profile()).isEqualTo(ResourceProfile.of(1100, 940 * MIB));
  }

  @Test
  @DisplayName("a small memory raise is not held back while memory in force is below usage + guard")
  void raiseBelowGuardPasses() {
    var current = ResourceProfile.of(1000, 1000 * MIB);
    // usage 950 MiB: guard max(64, 95) = 95 MiB, floor 1045 MiB > 1000 MiB in force
    var d = new Hysteresis(fixed(ResourceProfile.of(1000, 1020 * MIB)), 0.05, 0.10, GUARD)
        .decide(input(950 * MIB, current, 0));
    assertThat(d.value(Resource.MEMORY)).isEqualTo(1020 * MIB);
    // the same raise with usage low enough is held
    var held = new Hysteresis(fixed(ResourceProfile.of(1000, 1020 * MIB)), 0.05, 0.10, GUARD)
        .decide(input(500 * MIB, current, 0));
    assertThat(held.value(Resource.MEMORY)).isEqualTo(1000 * MIB);
  }
}
