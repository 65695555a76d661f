package dev.presize.core.policy;

import static dev.presize.core.policy.Inputs.GIB;
import static dev.presize.core.policy.Inputs.MIB;
import static dev.presize.core.policy.Inputs.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code RateLimit} step on its own. */
class RateLimitTest {

  private static final ResourceProfile CURRENT = new ResourceProfile(1000, GIB, 100);
  private static final MemoryGuard GUARD = new MemoryGuard(64 * MIB, 0.10);

  @Test
  @DisplayName("one decrease per interval per resource; increases pass at once; a held decrease keeps the value in force")
  void oneDecreasePerInterval() {
    var target = new Inputs.Settable(ResourceProfile.of(500, 500 * MIB));
    var r = new RateLimit(target, Duration.ofSeconds(10), Duration.ofSeconds(1));
    long s = 1_000_000_000L;
    var current = ResourceProfile.of(1000, 1000 * MIB);
    assertThat(r.decide(input(0, current, 5 * s)).profile()).isEqualTo(ResourceProfile.of(500, 500 * MIB));
    current = ResourceProfile.of(500, 500 * MIB);
    target.target = ResourceProfile.of(400, 400 * MIB);
    var held = r.decide(input(0, current, 5 * s + s / 2));
    assertThat(held.profile()).isEqualTo(current);
    assertThat(held.adjustments()).filteredOn(a -> a.by().equals(RateLimit.STEP)).hasSize(2);
    // CPU's interval (1 s) is over; memory's (10 s) is not
    assertThat(r.decide(input(0, current, 6 * s)).profile()).isEqualTo(ResourceProfile.of(400, 500 * MIB));
    current = ResourceProfile.of(400, 500 * MIB);
    // increases are never held
    target.target = ResourceProfile.of(2000, 2000 * MIB);
    assertThat(r.decide(input(0, current, 6 * s + 1)).profile()).isEqualTo(ResourceProfile.of(2000, 2000 * MIB));
    target.target = ResourceProfile.of(400, 400 * MIB);
    assertThat(r.decide(input(0, current, 15 * s - 1)).value(Resource.MEMORY)).isEqualTo(500 * MIB);
    assertThat(r.decide(input(0, current, 15 * s)).value(Resource.MEMORY)).isEqualTo(400 * MIB);
  }
}
