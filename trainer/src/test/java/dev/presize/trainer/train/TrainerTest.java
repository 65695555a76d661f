package dev.presize.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.Splits;
import dev.presize.trainer.features.Target;
import dev.presize.trainer.model.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  private static final Trainer.Source SOURCE = new Trainer.Source("synthetic", List.of("mem"), "sha256:0");
  private static List<Series> series;
  private static TrainedModel model;

  @BeforeAll
  static void train() {
    series = Synthetic.series(20, 600, 7);
    model = new Trainer().train(series, options(), SOURCE, TrainingListener.NONE);
  }

  static TrainingOptions options() {
    TrainingOptions d = TrainingOptions.defaults("synthetic", 1);
    return new TrainingOptions(d.name(), d.quantiles(), 1, 1, 150, 10, 4, 0.2, 1, 0.8, 0.8, 64, 2, 42,
        new Splits(0.2, 0.25, 42), 0.99, d.targetUnderProvisioned(), d.targets(), 0);
  }

  @Test
  @DisplayName("trains a memory and a CPU model, nothing of a held-out series in training, and stops early")
  void trainsPerTarget() {
    assertThat(model.targets()).containsOnlyKeys(Target.MEMORY_PEAK, Target.CPU_MEAN);
    assertThat(model.provenance().testSeries()).hasSize(4);
    assertThat(model.provenance().trainRows() + model.provenance().validationRows() + model.provenance().testRows())
        .isLessThanOrEqualTo(20 * 599);
    TargetModel memory = model.targets().get(Target.MEMORY_PEAK);
    assertThat(memory.rounds()).isEqualTo(memory.bestRound() + 1).isLessThan(150);
    assertThat(memory.featureImportance()).isNotEmpty();
  }

  @Test
  @DisplayName("on a known log-normal noise law the validation quantiles cover close to their level")
  void quantilesAreCalibrated() {
    TargetModel memory = model.targets().get(Target.MEMORY_PEAK);
    assertThat(memory.coverage().get(0.5)).as("%s", memory.coverage()).isCloseTo(0.5, within(0.06));
    assertThat(memory.coverage().get(0.9)).as("%s", memory.coverage()).isCloseTo(0.9, within(0.05));
    assertThat(memory.coverage().get(0.99)).isGreaterThan(0.95);
    // the calibration reaches its target share on validation
    assertThat(memory.calibration().underProvisioned()).isLessThanOrEqualTo(0.001 + 1e-12);
    assertThat(memory.calibration().rule()).isIn("scale", "spread");
    assertThat(memory.calibration().slack()).isBetween(0.0, 0.5);
  }

  @Test
  @DisplayName("training is deterministic: the same data and options give byte-identical models")
  void deterministic() {
    TrainedModel again = new Trainer().train(series, options(), SOURCE, TrainingListener.NONE);
    for (Target t : model.targets().keySet()) {
      assertThat(again.targets().get(t).modelJson()).isEqualTo(model.targets().get(t).modelJson());
    }
  }

  @Test
  @DisplayName("the written directory verifies, reloads and forecasts what the trained boosters forecast")
  void writesAndReloads(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("m");
    ModelFiles.write(model, dir);
    JsonNode meta = ModelFiles.verify(dir);
    assertThat(meta.path("featureSchema").path("id").asText()).isEqualTo(FeatureExtractor.standard().schema().id());
    assertThat(meta.path("targets").path("memory").path("calibration").path("parameter").asDouble())
        .isEqualTo(model.targets().get(Target.MEMORY_PEAK).calibration().parameter());
    assertThat(meta.path("training").path("params").path("objective").asText()).isEqualTo("reg:quantileerror");
    assertThat(Files.readString(dir.resolve("SHA256SUMS"))).contains("  memory.json\n", "  metadata.json\n");
    try (PresizeModel loaded = PresizeModel.load(dir, FeatureExtractor.standard().schema())) {
      assertThat(loaded.targets()).containsExactlyInAnyOrder(Target.MEMORY_PEAK, Target.CPU_MEAN);
      float[] row = FeatureExtractor.standard().extract(series.get(0), 300);
      double[][] q = loaded.forecast(Target.MEMORY_PEAK, row, 1, row.length);
      double level = series.get(0).values(dev.presize.spi.resources.Resource.MEMORY)[300];
      assertThat(q[0][0]).isLessThanOrEqualTo(q[0][1]).isBetween(0.8 * level, 1.2 * level);
      assertThat(q[0][1]).isLessThanOrEqualTo(q[0][2]);
      double k = model.targets().get(Target.MEMORY_PEAK).quantileSpread().get(0.9);
      assertThat(meta.path("targets").path("memory").path("quantileSpread").path("0.9").asDouble()).isEqualTo(k);
      double[] reported = loaded.reported(Target.MEMORY_PEAK, q[0]);
      assertThat(reported[0]).as("the median as forecast").isEqualTo(q[0][0]);
      assertThat(reported[1]).isCloseTo(q[0][0] + k * (q[0][1] - q[0][0]),
          org.assertj.core.api.Assertions.within(1e-6));
      assertThat(reported[2]).isGreaterThanOrEqualTo(reported[1]);
    }
    assertThatThrownBy(() -> ModelFiles.write(model, dir)).hasMessageContaining("not empty");
  }

  @Test
  @DisplayName("cutting the JSON to the best round predicts exactly what XGBoost predicts with that iteration range")
  void sliceRounds() throws Exception {
    Random r = new Random(3);
    int rows = 500;
    int cols = 5;
    float[] x = new float[rows * cols];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < cols; c++) {
        x[i * cols + c] = r.nextFloat();
      }
      y[i] = x[i * cols] * 3 + (float) r.nextGaussian();
    }
    DMatrix d = new DMatrix(x, rows, cols, Float.NaN);
    d.setLabel(y);
    java.util.Map<String, Object> p = new java.util.HashMap<>(options().xgboostParams());
    p.put("nthread", 1);
    Booster full = XGBoost.train(d, p, 30, java.util.Map.of(), null, null);
    byte[] cut = Trainer.sliceRounds(full.toByteArray("json"), 12);
    Booster sliced = XGBoost.loadModel(cut);
    float[][] expected = full.predict(d, false, 12);
    float[][] actual = sliced.predict(d);
    assertThat(actual).isDeepEqualTo(expected);
    assertThat(sliced.getNumBoostedRound()).isEqualTo(12);
    assertThat(java.util.Arrays.deepEquals(full.predict(d), expected)).isFalse();
    full.dispose();
    sliced.dispose();
    d.dispose();
  }

  @Test
  @DisplayName("too little data is refused with the counts, not a useless model")
  void tooLittleData() {
    List<Series> tiny = Synthetic.series(3, 30, 1);
    assertThatThrownBy(() -> new Trainer().train(tiny, options(), SOURCE, TrainingListener.NONE))
        .isInstanceOf(TrainingException.class).hasMessageContaining("no target had enough data");
  }
}
