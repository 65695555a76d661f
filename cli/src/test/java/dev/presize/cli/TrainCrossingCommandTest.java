package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.core.model.CrossingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code presize train-crossing} and {@code presize checkpoint-sim --crossing-model} on the first 100 Bitbrains VMs
 * (capacity from each VM's first week): the model is written, loads, and on the VMs it held out the schedule it
 * feeds wastes clearly less than the schedule fed by the forecast; and what is refused.
 */
class TrainCrossingCommandTest {

  private static final Path BITBRAINS = Path.of("../../shared/data/bitbrains-rnd-2013-7").toAbsolutePath()
      .normalize();
  private static final Path CORPUS = Path.of("../data/corpus").toAbsolutePath().normalize();

  @TempDir
  static Path dir;
  private static Path traces;
  private static Path model;
  private static CliRun trained;

  @BeforeAll
  static void train() throws Exception {
    if (!Files.isDirectory(BITBRAINS)) {
      return;
    }
    traces = dir.resolve("bitbrains-100");
    Files.createDirectories(traces);
    List<Path> files;
    try (Stream<Path> s = Files.list(BITBRAINS)) {
      files = s.sorted().limit(100).toList();
    }
    for (Path f : files) {
      Files.createSymbolicLink(traces.resolve(f.getFileName()), f);
    }
    model = dir.resolve("crossing");
    trained = CliRun.of("train-crossing", "--format", "bitbrains", "--traces", traces.toString(), "--sizing-steps",
        "2016", "--max-rounds", "100", "--out", model.toString());
  }

  @Test
  @DisplayName("trained on 82 VMs: on the 18 it held out it beats the constant rate, each VM's own rate and the"
      + " forecast-fed schedule, is written with those VMs and its held-out scores, and loads")
  void written() throws Exception {
    assumeTrue(traces != null, "Bitbrains traces not found at " + BITBRAINS);
    assertThat(trained.exit()).as(trained.err()).isZero();
    assertThat(trained.out()).contains("crossing model -> " + model);
    CrossingModel m = CrossingModel.load(model);
    assertThat(m.testSeries()).hasSize(18);
    assertThat(m.sizingSteps()).isEqualTo(2016);
    assertThat(m.capacityQuantile()).isEqualTo(0.95);
    assertThat((Double) m.scores().get("validationAuc")).isGreaterThan(0.8);
    assertThat((Double) m.scores().get("heldOutAuc")).isGreaterThan(0.75);
    assertThat((Double) m.scores().get("heldOutLogLoss"))
        .isLessThan((Double) m.scores().get("heldOutConstantRateLogLoss"))
        .isLessThan((Double) m.scores().get("heldOutRateSoFarLogLoss"));
    assertThat((Double) m.scores().get("heldOutWasteWithModel"))
        .isLessThan((Double) m.scores().get("heldOutWasteWithoutModel"));
    assertThat(m.scores().get("heldOutCost")).isEqualTo(0.1);
    assertThat(trained.out()).containsPattern("held out, 18 series \\(\\d+ rows, \\d+ crossings\\)")
        .contains("checkpoint waste on them at C = 0.1 step")
        .containsPattern("after the training rows' time \\(the last 20% of each held-out series, \\d+ steps");
    assertThat((Double) m.scores().get("heldOutLateReductionWithModel")).isGreaterThan(
        (Double) m.scores().get("heldOutLateReductionWithoutModel"));
  }

  @Test
  @DisplayName("checkpoint-sim --crossing-model plays only the held-out VMs, with the model's capacity rule; the"
      + " schedule fed by the model wastes at least 5 points less (vs the best fixed interval) at every cost, and"
      + " less than the forecast-fed one after the training rows' time too (--score-from 0.8)")
  void simulated() throws Exception {
    assumeTrue(traces != null, "Bitbrains traces not found at " + BITBRAINS);
    assertThat(trained.exit()).as(trained.err()).isZero();
    CliRun r = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out().strip());
    assertThat(j.path("series").asInt()).isEqualTo(18);
    assertThat(j.path("sizingSteps").asInt()).isEqualTo(2016);
    for (JsonNode c : j.path("costs")) {
      double withModel = c.path("crossingReductionVsBestFixed").asDouble();
      double without = c.path("reductionVsBestFixed").asDouble();
      assertThat(withModel).as("cost %s", c.path("cost")).isGreaterThan(without + 0.05);
      assertThat(c.path("crossing").path("totalSteps").asDouble())
          .isLessThan(c.path("adaptive").path("totalSteps").asDouble());
    }
    CliRun late = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--score-from", "0.8", "--cost", "0.1", "--json");
    assertThat(late.exit()).as(late.err()).isZero();
    JsonNode l = new ObjectMapper().readTree(late.out().strip());
    assertThat(l.path("scoreFrom").asDouble()).isEqualTo(0.8);
    assertThat(l.path("steps").asLong()).isBetween(j.path("steps").asLong() / 6, j.path("steps").asLong() / 4);
    assertThat(l.path("costs").get(0).path("crossing").path("totalSteps").asDouble())
        .isLessThan(l.path("costs").get(0).path("adaptive").path("totalSteps").asDouble());
    CliRun text = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--cost", "0.1");
    assertThat(text.out()).contains("18 series (each held out of the training of the crossing model that plays it)",
        "in its first 2016 steps", "adaptive, fed by the crossing model");
  }

  @Test
  @DisplayName("cross-validation: a second model holding out fold 2/5 plays other VMs; both models together play"
      + " each VM by the model that did not train on it, in one pass over all; a model twice, or a bad --fold, is"
      + " refused")
  void crossValidated() throws Exception {
    assumeTrue(traces != null, "Bitbrains traces not found at " + BITBRAINS);
    assertThat(trained.exit()).as(trained.err()).isZero();
    Path second = dir.resolve("crossing-2");
    CliRun fold2 = CliRun.of("train-crossing", "--format", "bitbrains", "--traces", traces.toString(),
        "--sizing-steps", "2016", "--max-rounds", "100", "--fold", "2/5", "--out", second.toString());
    assertThat(fold2.exit()).as(fold2.err() + fold2.out()).isZero();
    CrossingModel m2 = CrossingModel.load(second);
    int first = CrossingModel.load(model).testSeries().size();
    assertThat(m2.testSeries()).hasSizeBetween(first - 1, first + 1)
        .doesNotContainAnyElementsOf(CrossingModel.load(model).testSeries());
    ObjectMapper json = new ObjectMapper();
    JsonNode one = json.readTree(CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--cost", "0.1", "--json").out().strip());
    JsonNode two = json.readTree(CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", second.toString(), "--cost", "0.1", "--json").out().strip());
    CliRun both = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--crossing-model", second.toString(), "--cost", "0.1", "--json");
    assertThat(both.exit()).as(both.err()).isZero();
    JsonNode b = json.readTree(both.out().strip());
    assertThat(b.path("series").asInt()).isEqualTo(first + m2.testSeries().size());
    assertThat(b.path("steps").asLong()).isEqualTo(one.path("steps").asLong() + two.path("steps").asLong());
    JsonNode c = b.path("costs").get(0);
    // the oracle and the fixed intervals play each VM on its own: their totals add up; the schedules are calibrated
    // over all the VMs played (one pooled calibration), so theirs need not
    assertThat(c.path("oracle").path("totalSteps").asDouble()).isCloseTo(one.path("costs").get(0).path("oracle")
        .path("totalSteps").asDouble() + two.path("costs").get(0).path("oracle").path("totalSteps").asDouble(),
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(c.path("crossing").path("totalSteps").asDouble()).isLessThan(c.path("adaptive").path("totalSteps")
        .asDouble());
    assertThat(c.path("crossingReductionVsBestFixed").asDouble()).isGreaterThan(c.path("reductionVsBestFixed")
        .asDouble() + 0.05);
    // the folds are recorded, and checkpoint-sim says which of the cross-validation were given
    assertThat(CrossingModel.load(model).fold()).contains(new CrossingModel.Fold(1, 5, 42));
    assertThat(m2.fold()).contains(new CrossingModel.Fold(2, 5, 42));
    CliRun text = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--crossing-model", second.toString(), "--cost", "0.1");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out()).contains("crossing models: folds 1, 2 of 5 (seed 42), not 3, 4, 5: their series are not"
        + " played; they hold out " + (first + m2.testSeries().size()) + " of the 100 series in the traces");
    Path unrecorded = dir.resolve("crossing-2-unrecorded");
    Files.createDirectories(unrecorded);
    for (String f : List.of("crossing.json", "metadata.json", "SHA256SUMS")) {
      Files.copy(second.resolve(f), unrecorded.resolve(f));
    }
    com.fasterxml.jackson.databind.node.ObjectNode meta = (com.fasterxml.jackson.databind.node.ObjectNode) json
        .readTree(unrecorded.resolve("metadata.json").toFile());
    meta.remove("fold");
    byte[] metaBytes = json.writeValueAsBytes(meta);
    Files.write(unrecorded.resolve("metadata.json"), metaBytes);
    String sum = dev.presize.core.registry.ModelChecksums.sha256(metaBytes) + "  metadata.json";
    Files.write(unrecorded.resolve("SHA256SUMS"), Files.readAllLines(unrecorded.resolve("SHA256SUMS")).stream()
        .map(l -> l.endsWith("metadata.json") ? sum : l).toList());
    CliRun old = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--crossing-model", unrecorded.toString(), "--cost", "0.1");
    assertThat(old.exit()).as(old.err()).isZero();
    assertThat(old.out()).contains("crossing models: 2 given, 1 of them without a recorded fold");
    CliRun twice = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--crossing-model", model.toString());
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("--crossing-model " + model + " is given twice");
    for (String bad : List.of("0/5", "6/5", "1/1", "x")) {
      CliRun r = CliRun.of("train-crossing", "--format", "bitbrains", "--traces", traces.toString(), "--fold", bad,
          "--out", dir.resolve("bad-fold").toString());
      assertThat(r.exit()).as(bad).isEqualTo(2);
      assertThat(r.err()).contains("--fold " + bad + ": must be K/N");
    }
  }

  @Test
  @DisplayName("refused in one line, exit 2: a missing model, another capacity rule, --score-from 1; fewer than 5"
      + " series, an --out that is not empty, a quantile out of range")
  void refusals() throws Exception {
    assumeTrue(traces != null, "Bitbrains traces not found at " + BITBRAINS);
    assertThat(trained.exit()).as(trained.err()).isZero();
    CliRun missing = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", dir.resolve("absent").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--crossing-model").contains("not a directory").doesNotContain("Usage:");
    CliRun quantile = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--capacity-quantile", "0.9");
    assertThat(quantile.exit()).isEqualTo(2);
    assertThat(quantile.err()).contains("was trained with --capacity-quantile 0.95 --sizing-steps 2016");
    CliRun from = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", traces.toString(),
        "--crossing-model", model.toString(), "--score-from", "1");
    assertThat(from.exit()).isEqualTo(2);
    assertThat(from.err()).contains("--score-from 1.0: must be in [0, 1)");
    CliRun few = CliRun.of("train-crossing", "--format", "bitbrains", "--traces", traces.toString(), "--limit", "4",
        "--out", dir.resolve("few").toString());
    assertThat(few.exit()).isEqualTo(2);
    assertThat(few.err()).contains("4 series with memory: a crossing model needs at least 5");
    CliRun out = CliRun.of("train-crossing", "--format", "bitbrains", "--traces", traces.toString(), "--out",
        model.toString());
    assertThat(out.exit()).isEqualTo(2);
    assertThat(out.err()).contains("--out " + model).contains("not empty");
    CliRun q = CliRun.of("train-crossing", "--format", "bitbrains", "--traces", traces.toString(),
        "--capacity-quantile", "1", "--out", dir.resolve("q").toString());
    assertThat(q.exit()).isEqualTo(2);
    assertThat(q.err()).contains("--capacity-quantile 1.0: must be in (0, 1)");
  }

  @Test
  @DisplayName("Google (19 tasks): the round chosen on the later steps of 15 tasks looks good there, but on the 4"
      + " tasks held out the schedule it feeds wastes more than the forecast-fed one: refused, exit 1, nothing"
      + " written")
  void gateJudgesHeldOut() throws Exception {
    Path google = BITBRAINS.resolveSibling("google2019-tasks");
    assumeTrue(Files.isDirectory(google), "Google traces not found at " + google);
    Path out = dir.resolve("google-crossing");
    CliRun r = CliRun.of("train-crossing", "--format", "google", "--traces", google.toString(), "--out",
        out.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("NOT written", "held out, 4 series");
    // its log loss beats both baselines there; the schedule's waste is what refuses it
    List<String> err = r.err().lines().toList();
    assertThat(err.get(err.size() - 1)).contains("on the 4 held-out series the schedule it feeds wastes")
        .contains("not less than the").contains("so the model was not written").doesNotContain("log loss");
    assertThat(r.out()).containsPattern("without \\(\\+\\d+\\.\\d%\\)");
    assertThat(out).doesNotExist();
  }

  @Test
  @DisplayName("our corpus (short invocations at 10 ms) teaches nothing the schedule can use: the gate refuses it,"
      + " exit 1, nothing written")
  void gateRefuses() {
    assumeTrue(Files.isRegularFile(CORPUS.resolve("corpus.json")), "corpus not found at " + CORPUS);
    Path out = dir.resolve("corpus-crossing");
    CliRun r = CliRun.of("train-crossing", "--format", "presize", "--traces", CORPUS.toString(), "--step", "10ms",
        "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("NOT written");
    assertThat(r.err()).contains("held-out series", "so the model was not written");
    assertThat(out).doesNotExist();
  }
}
