package dev.presize.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.FeatureSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

  private static TrainedModel model;

  @BeforeAll
  static void train() {
    TrainingOptions o = TrainerTest.options().withMaxRounds(5);
    model = new Trainer().train(Synthetic.series(8, 300, 5), o,
        new Trainer.Source("synthetic", List.of("x"), "sha256:0"), TrainingListener.NONE);
  }

  private static Path written(Path tmp) throws Exception {
    Path dir = tmp.resolve("model");
    ModelFiles.write(model, dir);
    return dir;
  }

  @Test
  @DisplayName("a flipped byte in a model file is refused, naming the file")
  void corruptFile(@TempDir Path tmp) throws Exception {
    Path dir = written(tmp);
    Path f = dir.resolve("memory.json");
    byte[] b = Files.readAllBytes(f);
    b[b.length / 2] ^= 1;
    Files.write(f, b);
    assertThatThrownBy(() -> ModelFiles.verify(dir)).isInstanceOf(ModelFiles.ModelFormatException.class)
        .hasMessageContaining("memory.json has sha256").hasMessageContaining("but SHA256SUMS says");
    assertThatThrownBy(() -> PresizeModel.load(dir, FeatureExtractor.standard().schema()))
        .hasMessageContaining("memory.json");
  }

  @Test
  @DisplayName("a directory without SHA256SUMS (an interrupted write) is refused")
  void noSums(@TempDir Path tmp) throws Exception {
    Path dir = written(tmp);
    Files.delete(dir.resolve("SHA256SUMS"));
    assertThatThrownBy(() -> ModelFiles.verify(dir)).hasMessageContaining("no SHA256SUMS");
  }

  @Test
  @DisplayName("a missing or an unlisted file is refused")
  void missingAndExtra(@TempDir Path tmp) throws Exception {
    Path dir = written(tmp);
    Files.writeString(dir.resolve("extra.json"), "{}");
    assertThatThrownBy(() -> ModelFiles.verify(dir)).hasMessageContaining("'extra.json' is not listed");
    Files.delete(dir.resolve("extra.json"));
    Files.delete(dir.resolve("cpu.json"));
    assertThatThrownBy(() -> ModelFiles.verify(dir)).hasMessageContaining("cpu.json is listed")
        .hasMessageContaining("missing");
  }

  @Test
  @DisplayName("a model of another feature schema is refused, naming both schema ids")
  void otherSchema(@TempDir Path tmp) throws Exception {
    Path dir = written(tmp);
    FeatureSchema other = new FeatureSchema(1, List.of("a", "b"));
    assertThatThrownBy(() -> PresizeModel.load(dir, other)).isInstanceOf(ModelFiles.ModelFormatException.class)
        .hasMessageContaining(FeatureExtractor.standard().schema().id()).hasMessageContaining(other.id());
  }

  @Test
  @DisplayName("a missing model directory is a clear error")
  void missingDirectory(@TempDir Path tmp) {
    assertThatThrownBy(() -> PresizeModel.load(tmp.resolve("nope"), FeatureExtractor.standard().schema()))
        .hasMessageContaining("does not exist");
  }

  @Test
  @DisplayName("writing leaves no temporary directory behind")
  void noLeftovers(@TempDir Path tmp) throws Exception {
    written(tmp);
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("model");
    }
  }
}
