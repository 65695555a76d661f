package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.trainer.simulate.SimulationParams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code presize checkpoint-sim} on the checked-in corpus: the numbers of docs/checkpoint-schedule.md. */
class CheckpointSimCommandTest {

  private static final Path CORPUS = Path.of("../data/corpus").toAbsolutePath().normalize();

  @Test
  @DisplayName("the corpus at 10 ms: 201 runs, 187 failures; the adaptive schedule below the oracle and >= 30% below "
      + "the best fixed interval at every cost; text and JSON agree")
  void corpus() throws Exception {
    assumeTrue(Files.isRegularFile(CORPUS.resolve("corpus.json")), "corpus not found at " + CORPUS);
    CliRun r = CliRun.of("checkpoint-sim", "--format", "presize", "--traces", CORPUS.toString(), "--step", "10ms",
        "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out().strip());
    assertThat(j.path("series").asInt()).isEqualTo(201);
    assertThat(j.path("failures").asLong()).isEqualTo(187);
    assertThat(j.path("costs")).hasSize(3);
    for (JsonNode c : j.path("costs")) {
      assertThat(c.path("adaptiveOverOracle").asDouble()).as("cost %s", c.path("cost")).isLessThan(1.0);
      assertThat(c.path("reductionVsBestFixed").asDouble()).as("cost %s", c.path("cost")).isGreaterThan(0.3);
      assertThat(c.path("adaptive").path("totalSteps").asDouble()).isEqualTo(
          c.path("adaptive").path("lostSteps").asDouble() + c.path("adaptive").path("overheadSteps").asDouble());
      assertThat(c.path("fixed")).hasSize(SimulationParams.defaultFixedIntervals().length);
    }
    CliRun text = CliRun.of("checkpoint-sim", "--format", "presize", "--traces", CORPUS.toString(), "--step", "10ms",
        "--cost", "0.1");
    assertThat(text.exit()).as(text.err()).isZero();
    double reduction = j.path("costs").get(1).path("reductionVsBestFixed").asDouble();
    assertThat(text.out()).contains("201 series", "187 failures", String.format(java.util.Locale.ROOT, "%.1f%%",
        -100 * reduction));
  }

  @Test
  @DisplayName("bad input: a cost of 0, a capacity quantile of 1, traces with nothing to simulate; one line, exit 2")
  void badInput(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isRegularFile(CORPUS.resolve("corpus.json")), "corpus not found at " + CORPUS);
    CliRun cost = CliRun.of("checkpoint-sim", "--format", "presize", "--traces", CORPUS.toString(), "--cost", "0");
    assertThat(cost.exit()).isEqualTo(2);
    assertThat(cost.err()).contains("--cost 0.0: a checkpoint cost must be more than 0 steps").doesNotContain("Usage");
    CliRun q = CliRun.of("checkpoint-sim", "--format", "presize", "--traces", CORPUS.toString(),
        "--capacity-quantile", "1");
    assertThat(q.exit()).isEqualTo(2);
    assertThat(q.err()).contains("--capacity-quantile 1.0: must be in (0, 1)");
    Files.writeString(dir.resolve("1.csv"), "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage "
        + "[MHZ];\tCPU usage [%];\tMemory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];"
        + "\tDisk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted throughput [KB/s]\n");
    CliRun empty = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", dir.toString());
    assertThat(empty.exit()).as(empty.err()).isNotZero();
    assertThat(empty.err()).doesNotContain("Exception");
  }

  @Test
  @DisplayName("nothing ever crosses its capacity: the ratios over zero waste are n/a in the text and null in JSON")
  void nothingToLose() {
    java.util.Map<Double, dev.presize.trainer.simulate.CheckpointSimulator.Waste> fixed = new java.util.LinkedHashMap<>();
    fixed.put(1.0, new dev.presize.trainer.simulate.CheckpointSimulator.Waste(0, 10, 1.0));
    var r = new dev.presize.trainer.simulate.CheckpointSimulation.Result("flat",
        dev.presize.trainer.simulate.SimulationParams.defaults(), 1, 10, 0,
        dev.presize.trainer.simulate.CheckpointSimulator.Waste.zero(),
        dev.presize.trainer.simulate.CheckpointSimulator.Waste.zero(), fixed);
    assertThat(CheckpointSimCommand.text(java.util.List.of(r))).contains("n/a").doesNotContain("NaN", "Infinity");
    String json = dev.presize.local.run.RunSummary.jsonLine(CheckpointSimCommand.json(java.util.List.of(r)));
    assertThat(json).contains("\"adaptiveOverOracle\":null").doesNotContain("NaN", "Infinity");
  }
}
