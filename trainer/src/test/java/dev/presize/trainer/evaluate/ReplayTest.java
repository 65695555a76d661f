package dev.presize.trainer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.ReactiveRecommender;
import dev.presize.trainer.baseline.Recommender;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.baseline.StaticRecommender;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplayTest {

  private static Series series(String id, Map<Resource, double[]> usage, Map<Resource, Double> provisioned) {
    return new Series(id, "test", 0, Duration.ofMinutes(5), usage, true, provisioned, "");
  }

  private static Series cpuMem(double[] cpu, double[] mem, Map<Resource, Double> provisioned) {
    return series("s", Map.of(Resource.CPU, cpu, Resource.MEMORY, mem), provisioned);
  }

  /** A method allocating a fixed function of the number of steps it has observed. */
  private static RecommenderFactory scripted(String name, DoubleUnaryOperator allocationByObservedCount) {
    return RecommenderFactory.of(name, s -> new Recommender() {
      private final Map<Resource, Integer> seen = new EnumMap<>(Resource.class);

      @Override
      public String name() {
        return name;
      }

      @Override
      public void observe(Resource resource, long timeMillis, double value) {
        seen.merge(resource, 1, Integer::sum);
      }

      @Override
      public double recommend(Resource resource, long timeMillis) {
        return allocationByObservedCount.applyAsDouble(seen.getOrDefault(resource, 0));
      }
    });
  }

  @Test
  @DisplayName("constant usage 1.0 under a fixed allocation 2.0: slack 0.5, nothing under-provisioned, no resize")
  void constantUsage() {
    double[] ones = {1, 1, 1, 1};
    Series s = cpuMem(ones, ones.clone(), Map.of());
    EvaluationResult r = new Replay(List.of(StaticRecommender.fixed(Map.of(Resource.CPU, 2.0, Resource.MEMORY, 2.0))))
        .run("hand", List.of(s));
    ResourceMetrics cpu = r.metrics("static", Resource.CPU);
    assertThat(cpu.steps()).isEqualTo(4);
    assertThat(cpu.slack()).isCloseTo(0.5, within(1e-12));
    assertThat(cpu.aggregateSlack()).isCloseTo(0.5, within(1e-12));
    assertThat(cpu.underProvisioned()).isZero();
    assertThat(cpu.coverageOfAllocation()).isEqualTo(1.0);
    assertThat(cpu.resizes()).isZero();
    assertThat(cpu.meanAllocation()).isEqualTo(2.0);
    assertThat(cpu.meanUsage()).isEqualTo(1.0);
    // pinball at 0.9 of forecast 2 for actual 1: 0.1 x 1
    assertThat(cpu.pinballP90()).isCloseTo(0.1, within(1e-12));
    assertThat(cpu.fallbackSteps()).isZero();
  }

  @Test
  @DisplayName("a spike above the allocation is one under-provisioned step; its slack clips to 0, not below")
  void spike() {
    Series s = cpuMem(new double[] {1, 1, 3, 1}, new double[] {1, 1, 1, 1}, Map.of());
    ResourceMetrics cpu = new Replay(List.of(StaticRecommender.fixed(Map.of(Resource.CPU, 2.0, Resource.MEMORY, 2.0))))
        .run("hand", List.of(s)).metrics("static", Resource.CPU);
    assertThat(cpu.underProvisioned()).isCloseTo(0.25, within(1e-12));
    assertThat(cpu.coverageOfAllocation()).isCloseTo(0.75, within(1e-12));
    // per-step slack 0.5, 0.5, -0.5 clipped to 0, 0.5 -> 0.375; aggregate, unclipped: (8 - 6) / 8
    assertThat(cpu.slack()).isCloseTo(0.375, within(1e-12));
    assertThat(cpu.aggregateSlack()).isCloseTo(0.25, within(1e-12));
    // pinball: 3 x 0.1 + 0.9 x 1 = 1.2 over 4 steps
    assertThat(cpu.pinballP90()).isCloseTo(0.3, within(1e-12));
  }

  @Test
  @DisplayName("a resize is a change of more than 1% from the previous step's allocation")
  void resizes() {
    // allocations by observed count: 10, 10.05 (+0.5%), 10.5 (+4.5%), 10.5, 5 (-52%), 5.04 (+0.8%)
    double[] plan = {10, 10.05, 10.5, 10.5, 5, 5.04};
    Series s = cpuMem(new double[] {1, 1, 1, 1, 1, 1}, new double[] {1, 1, 1, 1, 1, 1}, Map.of());
    ResourceMetrics cpu = new Replay(List.of(scripted("plan", n -> plan[(int) n]))).run("hand", List.of(s))
        .metrics("plan", Resource.CPU);
    assertThat(cpu.resizes()).isEqualTo(2);
    // a second series starts afresh: its first step is no resize
    ResourceMetrics twice = new Replay(List.of(scripted("plan", n -> plan[(int) n]))).run("hand", List.of(s, s))
        .metrics("plan", Resource.CPU);
    assertThat(twice.resizes()).isEqualTo(4);
  }

  @Test
  @DisplayName("the replay never lets a method see step t before it decides at t, for any resource")
  void noPeeking() {
    List<String> calls = new ArrayList<>();
    RecommenderFactory spy = RecommenderFactory.of("spy", s -> new Recommender() {
      private final Map<Resource, Long> lastObserved = new HashMap<>();
      private long latestAnyResource = Long.MIN_VALUE;

      @Override
      public String name() {
        return "spy";
      }

      @Override
      public void observe(Resource resource, long timeMillis, double value) {
        calls.add("observe " + resource + " " + timeMillis + " " + value);
        lastObserved.put(resource, timeMillis);
        latestAnyResource = Math.max(latestAnyResource, timeMillis);
      }

      @Override
      public double recommend(Resource resource, long timeMillis) {
        calls.add("recommend " + resource + " " + timeMillis);
        assertThat(latestAnyResource).as("a value of time >= %d was observed before deciding at it", timeMillis)
            .isLessThan(timeMillis);
        return Double.NaN;
      }
    });
    long step = Duration.ofMinutes(5).toMillis();
    Series s = cpuMem(new double[] {1, 2, Double.NaN}, new double[] {5, 6, 7}, Map.of());
    new Replay(List.of(spy)).run("hand", List.of(s));
    assertThat(calls).containsExactly(
        "recommend CPU " + step, "recommend MEMORY " + step,
        "observe CPU " + step + " 1.0", "observe MEMORY " + step + " 5.0",
        "recommend CPU " + 2 * step, "recommend MEMORY " + 2 * step,
        "observe CPU " + 2 * step + " 2.0", "observe MEMORY " + 2 * step + " 6.0",
        "recommend MEMORY " + 3 * step,
        "observe MEMORY " + 3 * step + " 7.0");
  }

  @Test
  @DisplayName("NaN answers fall back to the provisioned size, else the last observed value; never step t's own")
  void fallback() {
    RecommenderFactory silent = scripted("silent", n -> Double.NaN);
    Series s = cpuMem(new double[] {1, 3, Double.NaN, 2}, new double[] {4, 4, 4, 4}, Map.of(Resource.MEMORY, 8.0));
    EvaluationResult r = new Replay(List.of(silent)).run("hand", List.of(s));
    ResourceMetrics cpu = r.metrics("silent", Resource.CPU);
    // step 0: nothing provisioned or observed -> unscored; step 1: last observed 1 vs 3 (under);
    // step 2: NaN usage, skipped; step 3: last observed 3 vs 2
    assertThat(cpu.unallocatedSteps()).isEqualTo(1);
    assertThat(cpu.steps()).isEqualTo(2);
    assertThat(cpu.fallbackSteps()).isEqualTo(2);
    assertThat(cpu.underProvisioned()).isCloseTo(0.5, within(1e-12));
    assertThat(cpu.meanAllocation()).isCloseTo(2.0, within(1e-12));
    ResourceMetrics mem = r.metrics("silent", Resource.MEMORY);
    assertThat(mem.steps()).isEqualTo(4);
    assertThat(mem.slack()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  @DisplayName("reactive on a ramp: the allocation lags one step; the first step uses the provisioned fallback")
  void reactiveLagsOneStep() {
    Series s = cpuMem(new double[] {1, 2, 3, 4}, new double[] {1, 1, 1, 1}, Map.of(Resource.CPU, 10.0));
    ResourceMetrics cpu = new Replay(List.of(ReactiveRecommender.factory(0.0))).run("hand", List.of(s))
        .metrics("reactive", Resource.CPU);
    // allocations 10 (fallback), 1, 2, 3 against 1, 2, 3, 4: three under-provisioned steps
    assertThat(cpu.fallbackSteps()).isEqualTo(1);
    assertThat(cpu.underProvisioned()).isCloseTo(0.75, within(1e-12));
    assertThat(cpu.meanAllocation()).isCloseTo(4.0, within(1e-12));
    assertThat(cpu.resizes()).isEqualTo(3);
  }

  @Test
  @DisplayName("NETWORK is reported only for methods that size it; CPU and MEMORY always")
  void reportedResources() {
    Series s = series("s", Map.of(Resource.CPU, new double[] {1, 1}, Resource.MEMORY, new double[] {1, 1},
        Resource.NETWORK, new double[] {5, 5}), Map.of());
    EvaluationResult r = new Replay(List.of(scripted("silent", n -> Double.NaN), ReactiveRecommender.factory()))
        .run("hand", List.of(s));
    assertThat(r.methods().get("silent")).containsOnlyKeys(Resource.CPU, Resource.MEMORY);
    assertThat(r.methods().get("reactive")).containsOnlyKeys(Resource.CPU, Resource.MEMORY, Resource.NETWORK);
  }

  @Test
  @DisplayName("a zero allocation wastes nothing (slack 0) and under-provisions any use")
  void zeroAllocation() {
    Series s = cpuMem(new double[] {0, 1}, new double[] {1, 1}, Map.of());
    ResourceMetrics cpu = new Replay(List.of(scripted("zero", n -> 0.0))).run("hand", List.of(s))
        .metrics("zero", Resource.CPU);
    assertThat(cpu.slack()).isZero();
    assertThat(cpu.underProvisioned()).isCloseTo(0.5, within(1e-12));
    assertThat(cpu.aggregateSlack()).isNaN();
  }

  @Test
  @DisplayName("method names must be distinct")
  void distinctNames() {
    assertThatThrownBy(() -> new Replay(List.of(ReactiveRecommender.factory(), ReactiveRecommender.factory())))
        .hasMessageContaining("reactive");
  }

  @Test
  @DisplayName("the JSON has the issue's shape: methods -> NAME -> memory/cpu -> slack, underProvisioned, ...")
  void json() throws Exception {
    double[] ones = {1, 1};
    EvaluationResult r = new Replay(List.of(StaticRecommender.fixed(Map.of(Resource.CPU, 2.0, Resource.MEMORY, 4.0))))
        .run("hand \"quoted\"", List.of(cpuMem(ones, ones.clone(), Map.of())));
    com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(r.toJson());
    assertThat(root.get("dataset").asText()).isEqualTo("hand \"quoted\"");
    com.fasterxml.jackson.databind.JsonNode mem = root.get("methods").get("static").get("memory");
    assertThat(mem.get("slack").asDouble()).isCloseTo(0.75, within(1e-12));
    assertThat(mem.get("underProvisioned").asDouble()).isZero();
    assertThat(mem.get("coverageP90").asDouble()).isEqualTo(1.0);
    assertThat(mem.get("pinballP90").asDouble()).isCloseTo(0.3, within(1e-12));
    assertThat(mem.get("resizes").asLong()).isZero();
    assertThat(root.get("methods").get("static").get("cpu").get("slack").asDouble()).isCloseTo(0.5, within(1e-12));
    assertThat(r.toMarkdown()).contains("| static | memory | 0.750 |");
  }
}
