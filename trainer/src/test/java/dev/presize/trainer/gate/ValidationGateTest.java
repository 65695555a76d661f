package dev.presize.trainer.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.core.registry.ModelChecksums;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.ResourceMetrics;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.Splits;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.ModelFiles;
import dev.presize.trainer.train.Synthetic;
import dev.presize.trainer.train.Trainer;
import dev.presize.trainer.train.TrainingListener;
import dev.presize.trainer.train.TrainingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationGateTest {

  private static final List<String> BASELINES = List.of("static", "vpa");

  private static ResourceMetrics m(double slack, double under, double coverageP90) {
    return new ResourceMetrics(100, 0, 0, slack, slack, under, 1 - under, 1, 0, 2, 1, 100, coverageP90, 0.99, 1, 1);
  }

  private static EvaluationResult result(ResourceMetrics candidate, ResourceMetrics current) {
    Map<String, Map<Resource, ResourceMetrics>> methods = new LinkedHashMap<>();
    methods.put(ValidationGate.CANDIDATE, Map.of(Resource.MEMORY, candidate));
    if (current != null) {
      methods.put(ValidationGate.CURRENT, Map.of(Resource.MEMORY, current));
    }
    methods.put("static", Map.of(Resource.MEMORY, m(0.9, 0.0, 1)));
    methods.put("vpa", Map.of(Resource.MEMORY, m(0.5, 0.002, 1)));
    return new EvaluationResult("d", 1, 100, methods);
  }

  private final ValidationGate gate = new ValidationGate(GateObjective.defaults());

  @Test
  @DisplayName("accepted: lower slack than the best baseline and the current model, no more under-provisioning")
  void accepts() {
    var d = gate.decide(result(m(0.3, 0.001, 0.9), m(0.4, 0.001, 0.9)), true, BASELINES);
    assertThat(d.accepted()).isTrue();
    assertThat(d.bestBaseline()).isEqualTo("vpa");
    assertThat(d.reason()).contains("0.300", "vpa", "current model");
  }

  @Test
  @DisplayName("rejected: more under-provisioned than the best baseline, even with lower slack")
  void rejectsMoreUnder() {
    var d = gate.decide(result(m(0.3, 0.01, 0.9), null), false, BASELINES);
    assertThat(d.accepted()).isFalse();
    assertThat(d.reason()).contains("under-provisioned share 0.0100 is higher than vpa's 0.0020");
  }

  @Test
  @DisplayName("rejected: not better than the current model")
  void rejectsWorseThanCurrent() {
    var d = gate.decide(result(m(0.45, 0.001, 0.9), m(0.4, 0.001, 0.9)), true, BASELINES);
    assertThat(d.accepted()).isFalse();
    assertThat(d.reason()).contains("not lower than the current model's 0.400");
  }

  @Test
  @DisplayName("rejected: p90 coverage outside the tolerance, whatever the slack")
  void rejectsCoverage() {
    var d = gate.decide(result(m(0.1, 0.0, 0.7), null), false, BASELINES);
    assertThat(d.accepted()).isFalse();
    assertThat(d.reason()).contains("p90 coverage 0.700 is outside [0.85, 0.95]");
  }

  @Test
  @DisplayName("on real replays a trained model passes the gate and a one-round model fails it")
  void judgesTrainedModels(@TempDir Path tmp) throws Exception {
    List<Series> train = Synthetic.series(16, 500, 41);
    List<Series> validation = Synthetic.series(4, 500, 42);
    TrainingOptions d = TrainingOptions.defaults("g", 1);
    TrainingOptions good = new TrainingOptions("g", d.quantiles(), 1, 1, 80, 10, 4, 0.3, 1, 0.8, 0.8, 64, 2, 42,
        new Splits(0.1, 0.25, 42), 0.99, d.targetUnderProvisioned(), d.targets(), d.minImprovement());
    TrainingOptions bad = good.withMaxRounds(1);
    Trainer trainer = new Trainer();
    var source = new Trainer.Source("synthetic", List.of("x"), "sha256:0");
    ModelFiles.write(trainer.train(train, good, source, TrainingListener.NONE), tmp.resolve("good"));
    ModelFiles.write(trainer.train(train, bad, source, TrainingListener.NONE), tmp.resolve("bad"));

    // reactive (last + 15%) misses 0.3% of this noise law's steps: compare with baselines at <= 0.1%
    ValidationGate gate = new ValidationGate(new GateObjective(Resource.MEMORY, 0.85, 0.95, 0.001, 0.001));
    var accepted = gate.judge(tmp.resolve("good"), Optional.empty(), "synthetic", validation);
    assertThat(accepted.accepted()).as(accepted.reason()).isTrue();
    var rejected = gate.judge(tmp.resolve("bad"), Optional.of(tmp.resolve("good")), "synthetic", validation);
    assertThat(rejected.accepted()).as(rejected.reason()).isFalse();

    // A current model of an older feature schema cannot run here: judged against the baselines only, and said so.
    Path old = tmp.resolve("old");
    Files.createDirectories(old);
    List<String> files;
    try (var list = Files.list(tmp.resolve("good"))) {
      files = list.map(f -> f.getFileName().toString()).filter(f -> !f.equals(ModelChecksums.FILE)).sorted()
          .toList();
    }
    for (String f : files) {
      Files.copy(tmp.resolve("good").resolve(f), old.resolve(f));
    }
    Files.writeString(old.resolve("metadata.json"), Files.readString(old.resolve("metadata.json")).replace(
        FeatureExtractor.standard().schema().id(), "presize-features/1-00000000"));
    ModelChecksums.write(old);
    var overOld = gate.judge(tmp.resolve("good"), Optional.of(old), "synthetic", validation);
    assertThat(overOld.accepted()).as(overOld.reason()).isTrue();
    assertThat(overOld.reason()).contains("presize-features/1-00000000", "not compared");
    assertThat(overOld.result().methods()).doesNotContainKey(ValidationGate.CURRENT);
    // A damaged one is still an error.
    Files.writeString(old.resolve(files.get(0)), "{}");
    assertThatThrownBy(() -> gate.judge(tmp.resolve("good"), Optional.of(old), "synthetic", validation))
        .isInstanceOf(IOException.class);
  }
}
