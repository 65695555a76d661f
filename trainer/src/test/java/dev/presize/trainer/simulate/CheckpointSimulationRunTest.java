package dev.presize.trainer.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.trainer.input.BitbrainsReader;
import dev.presize.trainer.input.GoogleTaskReader;
import dev.presize.trainer.input.PresizeTraceReader;
import dev.presize.trainer.input.SharedData;
import dev.presize.trainer.model.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs the checkpoint simulation over real data and writes the tables to
 * {@code trainer/target/checkpoint-simulation/<dataset>.md}; the numbers are the ones recorded in
 * {@code docs/checkpoint-schedule.md}. Checked for sanity only: the target (within 10% of the oracle, 30% below the
 * best fixed interval) is reported, not asserted.
 *
 * <p>Run: {@code ./mvnw -o -q -B -pl runtimes/core,trainer verify -Dtest='CheckpointSimulation*'
 * -Dsurefire.failIfNoSpecifiedTests=false}. Skipped, saying why, when the data is absent.
 */
class CheckpointSimulationRunTest {

  private static final Path OUT = Path.of("target/checkpoint-simulation");
  private static final double[] COSTS = {0.02, 0.1, 0.5};

  @Test
  @DisplayName("Bitbrains rnd 2013-7, all 500 VMs at 5-minute steps")
  void bitbrains() throws Exception {
    run("bitbrains", BitbrainsReader.readDirectory(SharedData.dir("bitbrains-rnd-2013-7"), Integer.MAX_VALUE));
  }

  @Test
  @DisplayName("Google 2019 tasks, 19 containers at 5-minute steps")
  void google() throws Exception {
    run("google", GoogleTaskReader.readDirectory(SharedData.dir("google2019-tasks")));
  }

  @Test
  @DisplayName("our corpus (successful runs) at a 10 ms step (the sampling interval)")
  void corpus() throws Exception {
    run("corpus", PresizeTraceReader.readCorpus(SharedData.corpus(), Duration.ofMillis(10)));
  }

  private static void run(String name, List<Series> series) throws Exception {
    StringBuilder md = new StringBuilder();
    for (double c : COSTS) {
      long started = System.nanoTime();
      CheckpointSimulation.Result r = CheckpointSimulation.run(name, series, SimulationParams.defaults()
          .withCostSteps(c));
      md.append(r.toMarkdown()).append(String.format("(simulated in %d ms)%n%n",
          (System.nanoTime() - started) / 1_000_000));
      line(md, "Without calibration", CheckpointSimulation.run(name, series, SimulationParams.defaults()
          .withCostSteps(c).withCalibration(false)));
      line(md, "Calibrated without contexts", CheckpointSimulation.run(name, series, SimulationParams.defaults()
          .withCostSteps(c).withContexts(false)));
      assertThat(r.series()).isPositive();
      assertThat(r.adaptive().totalSteps()).isFinite().isNotNegative();
      assertThat(r.oracle().totalSteps()).isFinite().isNotNegative();
    }
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve(name + ".md"), md.toString());
    System.out.println(md);
  }

  private static void line(StringBuilder md, String what, CheckpointSimulation.Result r) {
    md.append(String.format(java.util.Locale.ROOT, "%s: adaptive %.1f steps (lost %.1f, %d checkpoints); adaptive /"
        + " oracle = %.3f; vs best fixed = %.1f%% less waste%n%n", what, r.adaptive().totalSteps(),
        r.adaptive().lostSteps(), r.adaptive().checkpoints(), r.adaptiveOverOracle(), 100 * r.reductionVsBestFixed()));
  }
}
