package dev.presize.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.core.checkpoint.CrossingFeatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossingModelTest {

  private static final int N = 600;
  private static final int W = CrossingFeatures.WIDTH;

  @TempDir
  Path dir;

  private static float[] rows() {
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[N * W];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(10) == 0 ? Float.NaN : (float) r.nextGaussian();
    }
    return x;
  }

  private static byte[] train(String objective, float[] x) throws Exception {
    float[] y = new float[N];
    for (int i = 0; i < N; i++) {
      float a = x[i * W];
      y[i] = !Float.isNaN(a) && a > 0.8f ? 1 : 0;
    }
    DMatrix d = new DMatrix(x, N, W, Float.NaN);
    d.setLabel(y);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("objective", objective);
    p.put("max_depth", 3);
    p.put("eta", 0.3);
    p.put("nthread", 1);
    p.put("seed", 1);
    Booster b = XGBoost.train(d, p, 20, Map.of(), null, null);
    byte[] json = b.toByteArray("json");
    b.dispose();
    d.dispose();
    return json;
  }

  private static CrossingModel.Info info() {
    return new CrossingModel.Info(Duration.ofMinutes(5), 0.95, 2016, Map.of("validationLogLoss", 0.12),
        Set.of("vm-1", "vm-2"));
  }

  @Test
  @DisplayName("written, loaded and verified: the probability is XGBoost's own, and what it records comes back")
  void roundTrip() throws Exception {
    float[] x = rows();
    byte[] json = train("binary:logistic", x);
    Path target = dir.resolve("crossing");
    CrossingModel.write(target, json, info());
    assertThat(target.resolve("SHA256SUMS")).exists();
    CrossingModel m = CrossingModel.load(target);
    assertThat(m.step()).isEqualTo(Duration.ofMinutes(5));
    assertThat(m.capacityQuantile()).isEqualTo(0.95);
    assertThat(m.sizingSteps()).isEqualTo(2016);
    assertThat(m.testSeries()).containsExactlyInAnyOrder("vm-1", "vm-2");
    assertThat(m.scores()).containsEntry("validationLogLoss", 0.12);
    Booster b = XGBoost.loadModel(json);
    DMatrix d = new DMatrix(x, N, W, Float.NaN);
    float[][] expected = b.predict(d);
    float[] row = new float[W];
    boolean bothClasses = false;
    for (int i = 0; i < N; i++) {
      System.arraycopy(x, i * W, row, 0, W);
      double p = m.probability(row);
      assertThat(p).as("row %d", i).isEqualTo((double) expected[i][0]);
      bothClasses |= p > 0.5;
    }
    assertThat(bothClasses).as("the model separates the rows").isTrue();
    b.dispose();
    d.dispose();
  }

  @Test
  @DisplayName("a tampered file, another objective, another format, an existing directory or a step below 1 ms is"
      + " refused, naming it; an empty target directory is kept until the model is complete")
  void refusals() throws Exception {
    float[] x = rows();
    byte[] json = train("binary:logistic", x);
    Path target = dir.resolve("crossing");
    CrossingModel.write(target, json, info());
    assertThatThrownBy(() -> CrossingModel.write(target, json, info())).hasMessageContaining("already exists");
    Path meta = target.resolve("metadata.json");
    Files.writeString(meta, Files.readString(meta).replace("0.95", "0.5"));
    assertThatThrownBy(() -> CrossingModel.load(target)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("checksum");
    assertThatThrownBy(() -> CrossingModel.write(dir.resolve("regression"), train("reg:squarederror", x), info()))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("is not binary:logistic");
    assertThat(dir.resolve("regression")).doesNotExist();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> CrossingModel.write(empty, train("reg:squarederror", x), info()))
        .isInstanceOf(ModelFormatException.class);
    assertThat(empty).as("an empty target survives a failed write").isDirectory();
    CrossingModel.write(empty, json, info());
    assertThat(CrossingModel.load(empty).testSeries()).hasSize(2);
    assertThatThrownBy(() -> new CrossingModel.Info(Duration.ofNanos(500_000), 0.95, 0, Map.of(), Set.of()))
        .hasMessageContaining("whole number of milliseconds");
    assertThatThrownBy(() -> CrossingModel.load(dir.resolve("absent"))).hasMessageContaining("not a directory");
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("metadata.json"), "{\"format\": \"presize-model/1\"}");
    Files.writeString(other.resolve("SHA256SUMS"), ModelChecksumsLine.of(other.resolve("metadata.json")));
    assertThatThrownBy(() -> CrossingModel.load(other)).hasMessageContaining("pass it as --model");
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }
  }

  /** One {@code SHA256SUMS} line for a file. */
  private static final class ModelChecksumsLine {
    static String of(Path f) throws Exception {
      return dev.presize.core.registry.ModelChecksums.sha256(Files.readAllBytes(f)) + "  " + f.getFileName() + "\n";
    }
  }

  @Test
  @DisplayName("the written metadata names the feature schema and every feature in order")
  void metadata() throws Exception {
    Path target = dir.resolve("crossing");
    CrossingModel.write(target, train("binary:logistic", rows()), info());
    String text = Files.readString(target.resolve("metadata.json"), StandardCharsets.UTF_8);
    assertThat(text).contains(CrossingModel.FORMAT, CrossingFeatures.SCHEMA, "\"mem_to_limit\"", "\"day_of_week\"");
  }

  @Test
  @DisplayName("the fold of a cross-validation is recorded and read back; a model without one loads with none; a"
      + " fold that is not K/N with 1 <= K <= N is refused, naming the file")
  void fold() throws Exception {
    byte[] json = train("binary:logistic", rows());
    CrossingModel.Info base = info();
    Path folded = dir.resolve("fold-2");
    CrossingModel.write(folded, json, new CrossingModel.Info(base.step(), base.capacityQuantile(), base.sizingSteps(),
        base.scores(), base.testSeries(), Optional.of(new CrossingModel.Fold(2, 5, 42))));
    assertThat(CrossingModel.load(folded).fold()).contains(new CrossingModel.Fold(2, 5, 42));
    assertThat(Files.readString(folded.resolve("metadata.json")).replaceAll("\\s", ""))
        .contains("\"fold\":{\"k\":2,\"n\":5,\"seed\":42}");
    Path plain = dir.resolve("plain");
    CrossingModel.write(plain, json, base);
    assertThat(CrossingModel.load(plain).fold()).isEmpty();
    assertThatThrownBy(() -> new CrossingModel.Fold(0, 5, 42)).hasMessageContaining("1 <= K <= N");
    assertThatThrownBy(() -> new CrossingModel.Fold(2, 1, 42)).hasMessageContaining("1 <= K <= N");
    // a fold of 6 of 5 written by hand, with its checksum, so only the fold is wrong
    Path meta = folded.resolve("metadata.json");
    Files.writeString(meta, Files.readString(meta).replace("\"k\": 2", "\"k\": 6"));
    Path sums = folded.resolve("SHA256SUMS");
    String metaLine = ModelChecksumsLine.of(meta).strip();
    Files.writeString(sums, Files.readAllLines(sums).stream().map(l -> l.endsWith("metadata.json") ? metaLine : l)
        .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
    assertThatThrownBy(() -> CrossingModel.load(folded)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("metadata.json").hasMessageContaining("fold: a fold is K/N");
  }
}
