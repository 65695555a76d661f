package dev.presize.trainer.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InvocationHistoryTest {

  private static Series run(String function, long startMillis, double input, double... memory) {
    double[] cpu = new double[memory.length];
    java.util.Arrays.fill(cpu, memory[0] / 1000);
    return new Series(function + "@" + startMillis, "test", startMillis, Duration.ofSeconds(1),
        Map.of(Resource.MEMORY, memory, Resource.CPU, cpu), true, Map.of(), "", function, input);
  }

  @Test
  @DisplayName("an invocation's history holds only earlier invocations of its function that had ended")
  void onlyEndedEarlierRuns() {
    Series a = run("f", 0, 1, 100, 300);      // ends at 2000
    Series b = run("f", 2000, 2, 500);        // starts when a ends; ends at 3000
    Series overlap = run("f", 2500, 1, 900);  // starts before b ends
    Series other = run("g", 5000, 1, 7000);
    Series c = run("f", 10_000, 1, 50);
    Map<Series, InvocationHistory.Stats> h = InvocationHistory.of(List.of(c, other, overlap, b, a));
    assertThat(h.get(a)).isEqualTo(InvocationHistory.Stats.NONE);
    assertThat(h.get(b).runs()).isEqualTo(1);
    assertThat(h.get(b).memoryMaxPeak()).isEqualTo(300);
    assertThat(h.get(b).memorySameInputMaxPeak()).isNaN(); // a had input 1, b has 2
    assertThat(h.get(overlap).runs()).as("b had not ended").isEqualTo(1);
    assertThat(h.get(c).runs()).isEqualTo(3);
    assertThat(h.get(c).memoryMaxPeak()).isEqualTo(900);
    assertThat(h.get(c).memorySameInputMaxPeak()).isEqualTo(900);
    assertThat(h.get(other)).isEqualTo(InvocationHistory.Stats.NONE);
  }

  @Test
  @DisplayName("the same-input history ahead is, at each age, the largest use of the earlier same-input runs just"
      + " after that age in their own run")
  void ahead() {
    Series a = run("f", 0, 1, 10, 20, 30, 40, 50, 60);
    Series b = run("f", 6000, 1, 15, 25, 35);
    Series otherInput = run("f", 9000, 2, 1000, 1000, 1000, 1000, 1000, 1000);
    Series c = run("f", 20_000, 1, 5, 5, 5);
    InvocationHistory.Stats h = InvocationHistory.of(List.of(a, b, otherInput, c)).get(c);
    assertThat(h.runs()).isEqualTo(3);
    assertThat(h.memorySameInputAhead(0, 4)).as("steps 1..4 of a and b").isEqualTo(50);
    assertThat(h.memorySameInputAhead(1, 1)).as("step 2 of a and b").isEqualTo(35);
    assertThat(h.memorySameInputAhead(4, 4)).as("only a has step 5").isEqualTo(60);
    assertThat(h.memorySameInputAhead(5, 4)).as("no run has step 6").isNaN();
    assertThat(h.cpuSameInputAhead(0, 4)).isEqualTo(0.015);
  }

  @Test
  @DisplayName("an invocation recorded twice counts once")
  void duplicates() {
    Series a = run("f", 0, 1, 100, 300);
    Series c = run("f", 10_000, 1, 50);
    InvocationHistory h = new InvocationHistory();
    h.add(a);
    h.add(a);
    assertThat(h.before(c).runs()).isEqualTo(1);
  }

  @Test
  @DisplayName("the history features of a row come from the history, and are NaN for series without a function")
  void features() {
    FeatureExtractor x = FeatureExtractor.standard();
    FeatureSchema schema = x.schema();
    Series a = run("f", 0, 1, 100, 300);
    Series c = run("f", 10_000, 1, 50, 60);
    float[] row = new float[x.width()];
    x.prepare(c, InvocationHistory.of(List.of(a, c)).get(c)).extract(1, row);
    assertThat(row[schema.indexOf("history_runs")]).isEqualTo(1f);
    assertThat(row[schema.indexOf("input_size")]).isEqualTo(1f);
    assertThat(row[schema.indexOf("memory.history_max_peak")]).isEqualTo(300f);
    assertThat(row[schema.indexOf("memory.history_max_peak_to_dpeak")]).isGreaterThan(4f);
    assertThat(row[schema.indexOf("memory.history_same_input_ahead4")]).as("a's step 2 does not exist").isNaN();
    x.prepare(c, InvocationHistory.of(List.of(a, c)).get(c)).extract(0, row);
    assertThat(row[schema.indexOf("memory.history_same_input_ahead4")]).as("a's step 1").isEqualTo(300f);
    assertThat(row[schema.indexOf("memory.history_same_input_ahead4_to_dpeak")]).isEqualTo(6f);
    Series vm = new Series("vm", "test", 0, Duration.ofSeconds(1), Map.of(Resource.MEMORY, new double[] {1, 2}),
        true, Map.of(), "");
    x.prepare(vm).extract(1, row);
    assertThat(row[schema.indexOf("history_runs")]).isNaN();
    assertThat(row[schema.indexOf("input_size")]).isNaN();
  }
}
