package dev.presize.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.time.Duration;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The standard policy over many random traces (seeded, so a failure names a reproducible trace and step):
 * random configurations, usage that drifts, spikes and collapses, forecasts that are sensible, wildly low (0)
 * or wildly high (1e18), and actuations that sometimes do not happen.
 */
class PolicyPropertyTest {

  private static final long MIB = 1L << 20;
  private static final int TRACES = 200;
  private static final int STEPS = 2500;

  @Test
  @DisplayName("memory never below usage + guard; never above max unless usage + guard is (then flagged); CPU within "
      + "bounds; decreases rate-limited; small changes only to a bound or the guard")
  void invariantsHoldOnRandomTraces() {
    long decisions = 0;
    long contended = 0;
    long changed = 0;
    for (int t = 0; t < TRACES; t++) {
      long seed = 0x5eed_0000L + t;
      Random rnd = new Random(seed);
      PolicyConfig cfg = randomConfig(rnd);
      StandardPolicy policy = new StandardPolicy(cfg);
      if (rnd.nextInt(4) == 0) {
        policy.widen(Resource.MEMORY, 1 + rnd.nextDouble() * 3);
      }
      ResourceProfile current = ResourceProfile.of(1 + rnd.nextInt(8000), 1 + (long) (rnd.nextDouble() * 4096 * MIB));
      long used = (long) (rnd.nextDouble() * 512 * MIB);
      long now = rnd.nextLong();
      boolean memDecreased = false;
      boolean cpuDecreased = false;
      long lastMemDecrease = 0;
      long lastCpuDecrease = 0;
      for (int step = 0; step < STEPS; step++) {
        now += 1_000_000L * (1 + rnd.nextInt(300)); // 1..300 ms between decisions
        used = nextUsage(rnd, used);
        Forecast f = Inputs.forecast(quantiles(rnd, used, 1), quantiles(rnd, current.cpuMillicores(), 1000));
        AllocationDecision d = policy.decide(new PolicyInput(f, used, current, now));
        final int atStep = step;
        final long atUsed = used;
        // built only when an assertion fails: a description per decision would dominate the run time
        Supplier<String> where = () -> "seed=" + seed + " step=" + atStep + " used=" + atUsed + " " + d;
        decisions++;

        long mem = d.value(Resource.MEMORY);
        long cpu = d.value(Resource.CPU);
        long floor = cfg.guard().floorBytes(used);
        assertThat(mem).as(() -> "memory >= usage + guard: " + where.get()).isGreaterThanOrEqualTo(floor);
        assertThat(mem).as(() -> "memory >= min: " + where.get()).isGreaterThanOrEqualTo(cfg.memoryMinBytes());
        if (floor > cfg.memoryMaxBytes()) {
          contended++;
          assertThat(d.contended(Resource.MEMORY)).as(() -> "flagged: " + where.get()).isTrue();
          assertThat(mem).as(() -> "exactly usage + guard when over max: " + where.get()).isEqualTo(floor);
        } else {
          assertThat(mem).as(() -> "memory <= max: " + where.get()).isLessThanOrEqualTo(cfg.memoryMaxBytes());
        }
        assertThat(cpu).as(() -> "cpu within bounds: " + where.get())
            .isBetween(cfg.cpuMinMillicores(), cfg.cpuMaxMillicores());
        assertThat(d.profile().networkMbps()).isEqualTo(current.networkMbps());

        // rate limit: decreases from a value within bounds come at most once per interval
        if (mem < current.memoryBytes() && current.memoryBytes() <= cfg.memoryMaxBytes()) {
          if (memDecreased) {
            assertThat(now - lastMemDecrease).as(() -> "memory decrease interval: " + where.get())
                .isGreaterThanOrEqualTo(cfg.memoryDecreaseInterval().toNanos());
          }
          memDecreased = true;
          lastMemDecrease = now;
        }
        if (cpu < current.cpuMillicores() && current.cpuMillicores() <= cfg.cpuMaxMillicores()) {
          if (cpuDecreased) {
            assertThat(now - lastCpuDecrease).as(() -> "cpu decrease interval: " + where.get())
                .isGreaterThanOrEqualTo(cfg.cpuDecreaseInterval().toNanos());
          }
          cpuDecreased = true;
          lastCpuDecrease = now;
        }
        // hysteresis: a change under the threshold only lands on a bound or the guard
        if (cpu != current.cpuMillicores()
            && Amounts.relativeChange(current.cpuMillicores(), cpu) < cfg.cpuHysteresis()) {
          assertThat(cpu).as(() -> "small cpu change lands on a bound: " + where.get())
              .isIn(cfg.cpuMinMillicores(), cfg.cpuMaxMillicores());
        }
        if (mem != current.memoryBytes()
            && Amounts.relativeChange(current.memoryBytes(), mem) < cfg.memoryHysteresis()) {
          boolean guardRaise = mem > current.memoryBytes() && current.memoryBytes() < floor;
          assertThat(guardRaise || mem == floor || mem == cfg.memoryMinBytes() || mem == cfg.memoryMaxBytes())
              .as(() -> "small memory change is a guard raise or lands on a bound: " + where.get()).isTrue();
        }
        if (d.changed()) {
          changed++;
        }
        if (rnd.nextInt(10) != 0) { // one actuation in ten does not happen
          current = d.profile();
        }
      }
    }
    assertThat(decisions).isEqualTo((long) TRACES * STEPS);
    assertThat(contended).as("traces reach usage + guard above max").isPositive();
    assertThat(changed).as("the policy does change things").isGreaterThan(decisions / 100);
  }

  private static PolicyConfig randomConfig(Random rnd) {
    long[] maxes = {256 * MIB, 1024 * MIB, 10240 * MIB};
    long max = maxes[rnd.nextInt(maxes.length)];
    long min = Math.min(max, new long[] {1, 32 * MIB, 128 * MIB}[rnd.nextInt(3)]);
    long cpuMax = 100 + rnd.nextInt(8000);
    long cpuMin = 1 + rnd.nextInt((int) cpuMax);
    Duration[] intervals = {Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(10)};
    Quantile[] q = Quantile.values();
    return new PolicyConfig(q[rnd.nextInt(3)], q[rnd.nextInt(3)], rnd.nextDouble() * 0.5, rnd.nextDouble() * 0.5,
        new MemoryGuard(new long[] {0, 16 * MIB, 64 * MIB}[rnd.nextInt(3)], new double[] {0, 0.1, 0.5}[rnd.nextInt(3)]),
        rnd.nextDouble() * 0.2, rnd.nextDouble() * 0.3, intervals[rnd.nextInt(4)], intervals[rnd.nextInt(4)],
        min, max, cpuMin, cpuMax, 1 + rnd.nextDouble() * 4);
  }

  /** Drift, with spikes, collapses and runs towards 16 GiB (past every max). */
  private static long nextUsage(Random rnd, long used) {
    int r = rnd.nextInt(100);
    double next;
    if (r < 2) {
      next = used * (2 + rnd.nextDouble() * 3);
    } else if (r < 4) {
      next = used * rnd.nextDouble() * 0.2;
    } else if (r < 5) {
      next = rnd.nextDouble() * 16384 * MIB;
    } else {
      next = used * (0.95 + rnd.nextDouble() * 0.1) + rnd.nextInt(4) * MIB;
    }
    return (long) Math.min(16384.0 * MIB, Math.max(0, next));
  }

  /** Sensible (around {@code around}), wildly low, wildly high, or anything, in unsorted random order. */
  private static Quantiles quantiles(Random rnd, long around, long scale) {
    int r = rnd.nextInt(10);
    double base = Math.max(around, scale);
    return switch (r) {
      case 0 -> new Quantiles(0, 0, 0);
      case 1 -> new Quantiles(0, 1, 1);
      case 2 -> sorted(1e18 * rnd.nextDouble(), 1e18, 1e18);
      case 3 -> sorted(rnd.nextDouble() * 1e10, rnd.nextDouble() * 1e10, rnd.nextDouble() * 1e10);
      default -> sorted(base * rnd.nextDouble() * 2, base * rnd.nextDouble() * 2, base * rnd.nextDouble() * 2.5);
    };
  }

  /** Crossed quantiles put in order (exactly; like the fixed {@code Quantiles.sorted}, here so this test does not
   * depend on a fresh SPI build). */
  private static Quantiles sorted(double a, double b, double c) {
    double[] v = {a, b, c};
    java.util.Arrays.sort(v);
    return new Quantiles(v[0], v[1], v[2]);
  }
}
