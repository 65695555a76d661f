package dev.presize.core.policy;

import static dev.presize.core.policy.Inputs.GIB;
import static dev.presize.core.policy.Inputs.MIB;
import static dev.presize.core.policy.Inputs.fixed;
import static dev.presize.core.policy.Inputs.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each decorator of the policy chain on its own. */
class StepsTest {

  private static final ResourceProfile CURRENT = new ResourceProfile(1000, GIB, 100);
  private static final MemoryGuard GUARD = new MemoryGuard(64 * MIB, 0.10);

  @Nested
  class QuantilePolicyTest {
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

  @Nested
  class HeadroomTest {
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

  @Nested
  class HysteresisTest {
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

  @Nested
  class RateLimitTest {
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

  @Nested
  class BoundsTest {
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

  @Nested
  class UsageGuardTest {
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
}
