package dev.presize.trainer.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.simulate.CheckpointSimulator.Waste;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CheckpointSimulatorTest {

  private static Series series(double... memory) {
    return new Series("test/1", "test", 0, Duration.ofMinutes(5), Map.of(Resource.MEMORY, memory), false, Map.of(),
        "");
  }

  @Test
  @DisplayName("the default fixed sweep is fine (0.1 to 102 steps, neighbours at most 1.195 apart, about 2^(1/4), with"
      + " the round intervals 1, 2, 6, 12, 24, 48), so its best is the best fixed interval there is within 0.5%")
  void fixedSweepIsFine() {
    double[] t = SimulationParams.defaultFixedIntervals();
    assertThat(t[0]).isEqualTo(0.1);
    assertThat(t[t.length - 1]).isEqualTo(102.0); // 102.4 to three digits
    assertThat(t).contains(0.2, 0.4, 1, 2, 6, 12, 24, 48);
    for (int i = 1; i < t.length; i++) {
      assertThat(t[i] / t[i - 1]).as("%s / %s", t[i], t[i - 1]).isGreaterThan(1).isLessThanOrEqualTo(1.195);
    }
    // Random crossings at rate 0.05 per step (a memory that jumps over its capacity), C = 0.5 step: the Young optimum
    // sqrt(2C/λ) = 4.47 steps falls between the old sweep's 2 and 6; a search in ratios of 1.01 stands for the
    // true best (10,000 crossings keep the waste curve smooth enough to compare)
    double[] m = new double[200_000];
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextDouble() < 0.05 ? 2 : 1;
    }
    CheckpointJob job = CheckpointJob.of(series(m), 0.9).orElseThrow();
    double sweep = Double.POSITIVE_INFINITY;
    for (double x : t) {
      sweep = Math.min(sweep, CheckpointSimulator.run(job, CheckpointPolicy.fixed(x), 0.5).totalSteps());
    }
    double best = Double.POSITIVE_INFINITY;
    for (double x = 0.1; x < 110; x *= 1.01) {
      best = Math.min(best, CheckpointSimulator.run(job, CheckpointPolicy.fixed(x), 0.5).totalSteps());
    }
    double old = Double.POSITIVE_INFINITY;
    for (double x : new double[] {0.2, 0.4, 1, 2, 6, 12, 24, 48}) {
      old = Math.min(old, CheckpointSimulator.run(job, CheckpointPolicy.fixed(x), 0.5).totalSteps());
    }
    assertThat(sweep / best).isLessThan(1.005);
    assertThat(old / best).as("the old sweep of round numbers missed the best by more").isGreaterThan(1.02);
  }

  @Test
  @DisplayName("failures are upward crossings of the capacity; gaps are filled; the capacity is the series' own quantile")
  void failureModel() {
    double[] m = {1, 1, 5, 5, 1, Double.NaN, 5, 1, 1, 1};
    CheckpointJob job = CheckpointJob.of(series(m), 0.5).orElseThrow();
    assertThat(job.capacity()).isEqualTo(1); // median of 1,1,5,5,1,1,5,1,1,1
    assertThat(job.failures()).isEqualTo(2);
    assertThat(job.fails()).containsExactly(false, false, true, false, false, false, true, false, false, false);
  }

  @Test
  @DisplayName("with a sizing period the capacity is the quantile of the first steps only, and the job is the rest")
  void sizingPeriod() {
    double[] m = {1, 2, 3, 2, Double.NaN, 9, 1, 9, 2};
    CheckpointJob job = CheckpointJob.of(series(m), 0.5, 4).orElseThrow();
    assertThat(job.capacity()).isEqualTo(2); // median of 1, 2, 3, 2; not of the later 9s
    assertThat(job.memory()).containsExactly(2, 9, 1, 9, 2); // the gap at index 4 carries 2 forward
    assertThat(job.fails()).containsExactly(false, true, false, true, false);
    assertThat(job.failures()).isEqualTo(2);
    assertThat(CheckpointJob.of(series(m), 0.5, 0).orElseThrow().capacity())
        .isEqualTo(CheckpointJob.of(series(m), 0.5).orElseThrow().capacity());
    assertThat(CheckpointJob.of(series(m), 0.5, 8)).as("one step left is no job").isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckpointJob.of(series(m), 0.5, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sizingSteps");
  }

  @Test
  @DisplayName("with history the sizing period stays in front: the steps after it, their failures and failure points "
      + "are those of the job without it, the history's crossings are marked, and its waste is not counted")
  void sizingPeriodAsHistory() {
    double[] m = {1, 3, 1, 2, Double.NaN, 9, 1, 9, 2};
    CheckpointJob played = CheckpointJob.of(series(m), 0.5, 4).orElseThrow();
    CheckpointJob job = CheckpointJob.withHistory(series(m), 0.5, 4).orElseThrow();
    assertThat(job.history()).isEqualTo(4);
    assertThat(job.capacity()).isEqualTo(played.capacity()).isEqualTo(1.5);
    assertThat(job.memory()).containsExactly(1, 3, 1, 2, 2, 9, 1, 9, 2);
    // History: 1 -> 3 and 1 -> 2 cross 1.5; after it, 2 -> 9 does not (2 is over already), 1 -> 9 does.
    assertThat(job.fails()).containsExactly(false, true, false, true, false, false, false, true, false);
    assertThat(java.util.Arrays.copyOfRange(job.failureOffset(), 4, 9)).containsExactly(played.failureOffset());
    assertThat(job.failures()).isEqualTo(played.failures()).isEqualTo(1);
    java.util.List<Integer> planned = new java.util.ArrayList<>();
    CheckpointPolicy never = (step, last) -> {
      planned.add(step);
      return new CheckpointPolicy.Plan(false, Double.POSITIVE_INFINITY);
    };
    assertThat(CheckpointSimulator.run(job, never, 0.1)).isEqualTo(CheckpointSimulator.run(played, never, 0.1));
    assertThat(planned.subList(0, 9)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckpointSimulator.run(job, never, 0.1, 3))
        .hasMessageContaining("after the job's history");
    assertThat(CheckpointJob.withHistory(series(m), 0.5, 0).orElseThrow())
        .usingRecursiveComparison().isEqualTo(CheckpointJob.of(series(m), 0.5).orElseThrow());
  }

  /** Ten steps with failures at 2.25 and 6.75. */
  private static CheckpointJob twoFailures() {
    double[] offset = new double[10];
    offset[2] = 0.25;
    offset[6] = 0.75;
    boolean[] fails = new boolean[10];
    fails[2] = true;
    fails[6] = true;
    return new CheckpointJob("t", new double[10], 1, fails, offset, 2);
  }

  @Test
  @DisplayName("hand-computed waste: failures at 2.25 and 6.75; interval 2 loses 0.25 + 0.25 and takes 4 checkpoints")
  void handComputed() {
    CheckpointJob job = twoFailures();
    // Interval 2: checkpoint at 2; failure at 2.25 loses 0.25 and restarts; 4.25, 6.25; failure at 6.75 loses 0.5;
    // 8.75.
    Waste w = CheckpointSimulator.run(job, CheckpointPolicy.fixed(2), 0.1);
    assertThat(w.lostSteps()).isCloseTo(0.25 + 0.5, within(1e-12));
    assertThat(w.checkpoints()).isEqualTo(4);
    assertThat(w.overheadSteps()).isCloseTo(0.4, within(1e-12));
    // No checkpoints: lose everything since the start, then since the restart at 2.25.
    Waste none = CheckpointSimulator.run(job, CheckpointPolicy.fixed(Double.POSITIVE_INFINITY), 0.1);
    assertThat(none.lostSteps()).isCloseTo(2.25 + 4.5, within(1e-12));
    assertThat(none.checkpoints()).isZero();
  }

  @Test
  @DisplayName("counting from step 4: the failure at 2.25 is history; interval 2 from 4 takes 6 and 8 (lost 0.75 at"
      + " 6.75), and the policy still plans every earlier step")
  void countFrom() {
    CheckpointJob job = twoFailures();
    java.util.List<Integer> planned = new java.util.ArrayList<>();
    CheckpointPolicy every2 = (step, last) -> {
      planned.add(step);
      return new CheckpointPolicy.Plan(false, 2);
    };
    Waste w = CheckpointSimulator.run(job, every2, 0.1, 4);
    assertThat(w.lostSteps()).isCloseTo(0.75, within(1e-12));
    assertThat(w.checkpoints()).isEqualTo(2); // 6, then 8.75 after the restart at 6.75
    assertThat(planned).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(CheckpointSimulator.run(job, CheckpointPolicy.fixed(2), 0.1, 0))
        .isEqualTo(CheckpointSimulator.run(job, CheckpointPolicy.fixed(2), 0.1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckpointSimulator.run(job, every2, 0.1, 11))
        .hasMessageContaining("countFrom");
  }

  @Test
  @DisplayName("the adaptive policy checkpoints at once when the next step will probably cross the capacity")
  void adaptiveReactsToContention() {
    // A slow ramp to a capacity it crosses every 10 steps: the forecast sees the ramp and checkpoints before.
    double[] m = new double[400];
    for (int i = 0; i < m.length; i++) {
      m[i] = i % 10;
    }
    CheckpointJob job = CheckpointJob.of(series(m), 0.85).orElseThrow();
    assertThat(job.failures()).isPositive();
    SimulationParams p = SimulationParams.defaults();
    Waste adaptive = CheckpointSimulator.run(job, new AdaptivePolicy(p, ExceedanceCalibration.defaults()),
        p.costSteps());
    double lambda = (double) job.failures() / job.length();
    Waste oracle = CheckpointSimulator.run(job, CheckpointPolicy.fixed(Math.sqrt(2 * p.costSteps() / lambda)),
        p.costSteps());
    assertThat(adaptive.totalSteps()).isLessThan(oracle.totalSteps());
    CheckpointSimulation.Result r = CheckpointSimulation.run("ramp", List.of(series(m)), p.withCostSteps(0.1));
    assertThat(r.series()).isEqualTo(1);
    assertThat(r.fixed()).hasSize(p.fixedIntervalsSteps().length);
  }

  @Test
  @DisplayName("on a plateau at the capacity the raw forecast says P = 0.5 every step; calibrated online from the "
      + "outcomes the schedule checkpoints far less, wastes less, and comes within 20% of the Daly oracle (every "
      + "plateau step looks alike, so there is nothing to gain over it)")
  void calibrationOnAPlateau() {
    // Ramps up to a plateau that sits exactly at the capacity (p95) and steps over it once at the end of each
    // cycle: 8 ramp steps, 30 plateau steps, 1 over, then down.
    double[] m = new double[4000];
    for (int i = 0; i < m.length; i++) {
      int k = i % 40;
      m[i] = k < 8 ? k : k < 38 ? 8 : k == 38 ? 9 : 0;
    }
    CheckpointJob job = CheckpointJob.of(series(m), 0.95).orElseThrow();
    assertThat(job.capacity()).isEqualTo(8.0);
    SimulationParams p = SimulationParams.defaults().withCostSteps(0.1);
    Waste raw = CheckpointSimulator.run(job, new AdaptivePolicy(p, ExceedanceCalibration.identity()), 0.1);
    Waste calibrated = CheckpointSimulator.run(job, new AdaptivePolicy(p, ExceedanceCalibration.defaults()), 0.1);
    double lambda = (double) job.failures() / job.length();
    Waste oracle = CheckpointSimulator.run(job, CheckpointPolicy.fixed(Math.sqrt(2 * 0.1 / lambda)), 0.1);
    assertThat(calibrated.checkpoints()).isLessThan(raw.checkpoints() / 2);
    assertThat(calibrated.totalSteps()).isLessThan(raw.totalSteps() * 0.8)
        .isLessThan(oracle.totalSteps() * 1.2);
  }

  @Test
  @DisplayName("no checkpoint while the job is over its capacity: no failure can come in the step after one over it "
      + "(a failure needs an upward crossing), so however long it stays over, the schedule waits for it to come back "
      + "under and takes the checkpoint then")
  void noCheckpointWhileOver() {
    SimulationParams p = SimulationParams.defaults();
    CheckpointPolicy constant = new GivenExceedancePolicy(p, ExceedanceCalibration.identity()) {
      @Override
      double rawExceedance(CheckpointJob job, int step) {
        return 0.01; // Young at C = 0.1 step: sqrt(2 * 0.1 / 0.01) = 4.47 steps
      }
    };
    Waste shortOver = CheckpointSimulator.run(overStretch(10), constant, p.costSteps());
    Waste longOver = CheckpointSimulator.run(overStretch(300), constant, p.costSteps());
    // back under after 10 or 300 steps, the work since the failure is overdue either way and is checkpointed then;
    // 300 steps over at the maximum interval of 48 took 6 checkpoints more before: now the runs are the same
    assertThat(longOver).isEqualTo(shortOver);
    assertThat(longOver.checkpoints()).isBetween(40L, 50L); // 200 steps under at 4.47, and one back under
    assertThat(AdaptivePolicy.NO_RISK.intervalSteps()).isInfinite();

    AdaptivePolicy adaptive = new AdaptivePolicy(p, ExceedanceCalibration.defaults());
    CheckpointJob job = overStretch(300);
    adaptive.start(job);
    for (int i = 0; i < job.length(); i++) {
      CheckpointPolicy.Plan plan = adaptive.plan(i, 0);
      if (i == 0 || (i > 100 && i <= 400)) {
        assertThat(plan).as("step %d", i).isEqualTo(AdaptivePolicy.NO_RISK);
      } else {
        assertThat(plan.intervalSteps()).as("step %d", i).isFinite();
      }
    }
  }

  /** 100 steps under a capacity of 5, then {@code over} steps over it (one failure), then 100 under again. */
  private static CheckpointJob overStretch(int over) {
    int n = 200 + over;
    double[] m = new double[n];
    boolean[] fails = new boolean[n];
    double[] offset = new double[n];
    java.util.Arrays.fill(offset, 0.5);
    for (int i = 0; i < n; i++) {
      m[i] = i >= 100 && i < 100 + over ? 10 : 1 + (i % 3);
    }
    fails[100] = true;
    return new CheckpointJob("over/" + over, m, 5, fails, offset, 1);
  }
}
