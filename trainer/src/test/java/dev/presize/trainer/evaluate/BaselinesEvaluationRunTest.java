package dev.presize.trainer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.input.BitbrainsReader;
import dev.presize.trainer.input.PresizeTraceReader;
import dev.presize.trainer.input.SharedData;
import dev.presize.trainer.model.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs the five baselines over real data and writes the tables to {@code trainer/target/baselines-evaluation/}
 * ({@code <dataset>.json} and {@code <dataset>.md}); the numbers are checked for sanity only, they are the baseline
 * side of the claim recorded in {@code docs/baselines-evaluation.md}.
 *
 * <p>Run: {@code mvn -o -q -B -pl trainer verify} (or {@code -Dtest=BaselinesEvaluationRunTest} with
 * {@code -Dsurefire.failIfNoSpecifiedTests=false}). Skipped, saying why, when the data is absent.
 */
class BaselinesEvaluationRunTest {

  private static final Path OUT = Path.of("target/baselines-evaluation");

  @Test
  @DisplayName("all five baselines replayed over Bitbrains VMs 1..50 (5-minute steps), tables written to target/")
  void bitbrains() throws Exception {
    List<Series> series = BitbrainsReader.readDirectory(SharedData.dir("bitbrains-rnd-2013-7"), 50);
    assertThat(series).hasSize(50);
    assertThat(series.get(0).id()).isEqualTo("bitbrains/1");
    assertThat(series.get(49).id()).isEqualTo("bitbrains/50");
    run("bitbrains-rnd-2013-7 files 1..50, 5 min step", "bitbrains", series);
  }

  @Test
  @DisplayName("all five baselines replayed over our corpus at a 100 ms step, tables written to target/")
  void corpus() throws Exception {
    List<Series> series = PresizeTraceReader.readCorpus(SharedData.corpus(), Duration.ofMillis(100));
    assertThat(series).isNotEmpty();
    run("data/corpus (successful runs), 100 ms step", "corpus", series);
  }

  private static void run(String label, String file, List<Series> series) throws Exception {
    long started = System.nanoTime();
    EvaluationResult result = new Replay(Replay.baselines()).run(label, series);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Files.createDirectories(OUT);
    result.writeJson(OUT.resolve(file + ".json"));
    Files.writeString(OUT.resolve(file + ".md"), "Dataset: " + label + "; " + result.series() + " series, "
        + result.steps() + " steps; replay took " + took.toMillis() + " ms\n\n" + result.toMarkdown());
    assertThat(result.methods()).containsOnlyKeys("static", "reactive", "ewma", "vpa", "autopilot");
    for (Map.Entry<String, Map<Resource, ResourceMetrics>> m : result.methods().entrySet()) {
      assertThat(m.getValue()).containsKeys(Resource.CPU, Resource.MEMORY);
      for (ResourceMetrics x : m.getValue().values()) {
        assertThat(x.steps()).isPositive();
        assertThat(x.underProvisioned()).isBetween(0.0, 1.0);
        assertThat(x.coverageOfAllocation() + x.underProvisioned()).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
      }
    }
    assertThat(result.metrics("static", Resource.MEMORY).resizes()).isZero();
  }
}
