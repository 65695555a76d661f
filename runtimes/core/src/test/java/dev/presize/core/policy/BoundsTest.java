package dev.presize.core.policy;

import static dev.presize.core.policy.Inputs.GIB;
import static dev.presize.core.policy.Inputs.MIB;
import static dev.presize.core.policy.Inputs.fixed;
import static dev.presize.core.policy.Inputs.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code Bounds} step on its own. */
class BoundsTest {

  private static final ResourceProfile CURRENT = new ResourceProfile(1000, GIB, 100);
  private static final MemoryGuard GUARD = new MemoryGuard(64 * MIB, 0.10);

  @Test
  @DisplayName("clamps to [min, max]; a target above max is capped and flagged as contention")
  void clamps() {
    var b = new Bounds(fixed(ResourceProfile.of(5000, 10 * MIB)), 32 * MIB, GIB, 50, 4000);
    AllocationDecision d = b.decide(input(0, CURRENT, 0));
    assertThat(d.profile()).isEqualTo(new ResourceProfile(4000, 32 * MIB, 100));
    assertThat(d.contention()).containsExactly(Resource.CPU);
    assertThatThrownBy(() -> new Bounds(fixed(CURRENT), 2 * GIB, GIB, 1, 1))
        .hasMessageContaining("memory max 1073741824 is below min 2147483648");
  }
}
