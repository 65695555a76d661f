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

/** The {@code Headroom} step on its own. */
class HeadroomTest {

  private static final ResourceProfile CURRENT = new ResourceProfile(1000, GIB, 100);
  private static final MemoryGuard GUARD = new MemoryGuard(64 * MIB, 0.10);

  @Test
  @DisplayName("adds the headroom fraction per resource")
  void adds() {
    var h = new Headroom(fixed(ResourceProfile.of(1000, 1000 * MIB)), 0.10, 0.25, 4);
    assertThat(h.decide(input(0, CURRENT, 0)).profile()).isEqualTo(new ResourceProfile(1250, 1100 * MIB, 100));
  }

  @Test
  @DisplayName("widen multiplies the margin, stays within [1, maxWidening], and rejects nonsense factors")
  void widen() {
    var h = new Headroom(fixed(ResourceProfile.of(1000, 1000 * MIB)), 0.10, 0.0, 3);
    assertThat(h.widen(Resource.MEMORY, 2)).isEqualTo(2);
    assertThat(h.decide(input(0, CURRENT, 0)).value(Resource.MEMORY)).isEqualTo(2200 * MIB);
    assertThat(h.widen(Resource.MEMORY, 2)).isEqualTo(3);
    assertThat(h.widen(Resource.MEMORY, 0.01)).isEqualTo(1);
    assertThat(h.widening(Resource.CPU)).isEqualTo(1);
    assertThat(h.widen(Resource.CPU, 1.5)).isEqualTo(1.5);
    assertThat(h.decide(input(0, CURRENT, 0)).profile()).isEqualTo(new ResourceProfile(1500, 1100 * MIB, 100));
    assertThatThrownBy(() -> h.widen(Resource.CPU, 0)).hasMessageContaining("was 0.0");
    assertThatThrownBy(() -> h.widen(Resource.CPU, Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> h.widen(Resource.NETWORK, 2)).hasMessageContaining("NETWORK");
  }
}
