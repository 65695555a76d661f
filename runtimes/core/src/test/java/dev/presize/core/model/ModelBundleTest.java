package dev.presize.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a {@code presize-model/1} directory: verification, refusals, and quantiles from a real model. */
class ModelBundleTest {

  static final String SCHEMA = "presize-features/1-test0001";
  static final int FEATURES = 6;
  static final List<String> NAMES = List.of("memory.level", "cpu.level", "a", "b", "c", "d");

  @TempDir
  static Path shared;
  static Booster booster;
  static byte[] memoryJson;
  static byte[] squaredJson;

  @TempDir
  Path dir;

  @BeforeAll
  static void train() throws Exception {
    float[] x = Boosters.rows(3000, FEATURES, 0.1, 11);
    booster = Boosters.train(Boosters.quantileParams(4), x, 3000, FEATURES, 30);
    memoryJson = Files.readAllBytes(Boosters.save(booster, shared, "memory.json"));
    Booster sq = Boosters.train(Boosters.params("reg:squarederror", 3), x, 3000, FEATURES, 5);
    try {
      squaredJson = Files.readAllBytes(Boosters.save(sq, shared, "sq.json"));
    } finally {
      sq.dispose();
    }
  }

  @AfterAll
  static void dispose() {
    booster.dispose();
  }

  static String metadata(String schemaId, String transform) {
    return """
        {
          "format": "presize-model/1",
          "name": "test",
          "createdAt": "2026-11-24T04:00:00Z",
          "featureSchema": { "id": "%s", "names": ["memory.level", "cpu.level", "a", "b", "c", "d"] },
          "quantiles": [0.5, 0.9, 0.99],
          "stepMillis": 300000,
          "horizonSteps": 1,
          "targets": {
            "memory": {
              "target": "MEMORY_PEAK", "resource": "MEMORY", "unit": "bytes", "model": "memory.json",
              "transform": %s,
              "calibration": { "allocationQuantile": 0.99, "factor": 1.08, "targetUnderProvisioned": 0.001 },
              "rounds": 30,
              "validation": { "rows": 10, "pinball": {"0.5": 0.01}, "coverage": {"0.5": 0.51} },
              "featureImportance": { "memory.level": 1.5 }
            }
          },
          "training": { "format": "test", "params": { "max_depth": "4" }, "seconds": 1.0 }
        }
        """.formatted(schemaId, transform);
  }

  static final String LOG_RATIO = "{ \"kind\": \"log-ratio\", \"reference\": \"memory.level\", \"offset\": 1048576.0 }";

  /** Writes the files and a SHA256SUMS over all of them. */
  static void write(Path dir, String metadata, byte[] model) throws Exception {
    Files.writeString(dir.resolve("metadata.json"), metadata);
    Files.write(dir.resolve("memory.json"), model);
    writeSums(dir);
  }

  static void writeSums(Path dir) throws Exception {
    TreeMap<String, String> sums = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("SHA256SUMS")) {
          byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
          sums.put(f.getFileName().toString(), HexFormat.of().formatHex(d));
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sums.forEach((name, hex) -> sb.append(hex).append("  ").append(name).append('\n'));
    Files.writeString(dir.resolve("SHA256SUMS"), sb);
  }

  @DisplayName("quantiles are (r + c)·exp(z) − c over XGBoost's predictions, clamped at 0, NaN without reference")
  @Test
  void logRatioQuantiles() throws Exception {
    write(dir, metadata(SCHEMA, LOG_RATIO), memoryJson);
    ModelBundle bundle = ModelBundle.load(dir, SCHEMA);
    assertThat(bundle.name()).isEqualTo("test");
    assertThat(bundle.featureNames()).isEqualTo(NAMES);
    assertThat(bundle.quantiles()).containsExactly(0.5, 0.9, 0.99);
    assertThat(bundle.step()).hasMinutes(5);
    QuantileModel memory = bundle.target("memory");
    assertThat(memory.transform()).isEqualTo(new QuantileModel.LogRatio("memory.level", 0, 1048576.0));
    assertThat(memory.calibration()).isEqualTo(new QuantileModel.Calibration(0.99, 1.08, 0.001));
    assertThat(memory.unit()).isEqualTo("bytes");

    int rows = 2000;
    float[] x = Boosters.rows(rows, FEATURES, 0.1, 12);
    for (int r = 0; r < rows; r++) {
      x[r * FEATURES] = r % 7 == 0 ? Float.NaN : (float) (r * 1.0e6); // memory.level in bytes
    }
    float[][] z = Boosters.predict(booster, x, rows, FEATURES);
    float[] row = new float[FEATURES];
    double[] q = new double[3];
    int nan = 0;
    for (int r = 0; r < rows; r++) {
      System.arraycopy(x, r * FEATURES, row, 0, FEATURES);
      memory.predict(row, q);
      if (Float.isNaN(row[0])) {
        assertThat(Double.isNaN(q[0]) && Double.isNaN(q[1]) && Double.isNaN(q[2])).as("row %d: NaN quantiles", r).isTrue();
        nan++;
        continue;
      }
      double prev = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < 3; k++) {
        double want = Math.max(prev, Math.max(0, (row[0] + 1048576.0) * Math.exp(z[r][k]) - 1048576.0));
        assertThat(q[k]).as("row %d quantile %d", r, k).isEqualTo(want);
        prev = want;
      }
    }
    assertThat(nan).isGreaterThan(100);
    assertThatThrownBy(() -> bundle.target("disk")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no target 'disk'").hasMessageContaining("[memory]");
  }

  @DisplayName("identity transform: the quantiles are XGBoost's predictions")
  @Test
  void identity() throws Exception {
    write(dir, metadata(SCHEMA, "{ \"kind\": \"identity\" }"), memoryJson);
    QuantileModel memory = ModelBundle.load(dir, SCHEMA).target("memory");
    float[] x = Boosters.rows(100, FEATURES, 0.1, 13);
    float[][] z = Boosters.predict(booster, x, 100, FEATURES);
    float[] row = new float[FEATURES];
    double[] q = new double[3];
    for (int r = 0; r < 100; r++) {
      System.arraycopy(x, r * FEATURES, row, 0, FEATURES);
      memory.predict(row, q);
      assertThat(q).containsExactly(z[r][0], z[r][1], z[r][2]);
    }
  }

  @DisplayName("a feature schema mismatch is refused naming both ids")
  @Test
  void schemaMismatch() throws Exception {
    write(dir, metadata("presize-features/1-other999", LOG_RATIO), memoryJson);
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(FeatureSchemaMismatchException.class)
        .hasMessageContaining(SCHEMA).hasMessageContaining("presize-features/1-other999")
        .hasMessageContaining("metadata.json");
  }

  @DisplayName("no SHA256SUMS: refused")
  @Test
  void noSums() throws Exception {
    write(dir, metadata(SCHEMA, LOG_RATIO), memoryJson);
    Files.delete(dir.resolve("SHA256SUMS"));
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("SHA256SUMS").hasMessageContaining("missing");
  }

  @DisplayName("a file changed after SHA256SUMS was written: refused naming the file and both digests")
  @Test
  void checksumMismatch() throws Exception {
    write(dir, metadata(SCHEMA, LOG_RATIO), memoryJson);
    byte[] changed = memoryJson.clone();
    int at = new String(changed, StandardCharsets.ISO_8859_1).indexOf("\"split_conditions\":[") + 20;
    changed[at] = (byte) (changed[at] == '1' ? '2' : '1');
    Files.write(dir.resolve("memory.json"), changed);
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("memory.json").hasMessageContaining("checksum mismatch");
  }

  @DisplayName("a file not listed in SHA256SUMS, or listed but missing: refused naming it")
  @Test
  void extraAndMissingFiles() throws Exception {
    write(dir, metadata(SCHEMA, LOG_RATIO), memoryJson);
    Files.writeString(dir.resolve("notes.txt"), "hello");
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("notes.txt").hasMessageContaining("not listed in SHA256SUMS");
    writeSums(dir);
    Files.delete(dir.resolve("notes.txt"));
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("notes.txt").hasMessageContaining("missing");
  }

  @DisplayName("a truncated model with a matching checksum: refused as invalid JSON naming the model file")
  @Test
  void truncatedModel() throws Exception {
    write(dir, metadata(SCHEMA, LOG_RATIO), java.util.Arrays.copyOf(memoryJson, memoryJson.length / 2));
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("memory.json").hasMessageContaining("unexpected end of the file");
  }

  @DisplayName("bad metadata: the field is named (wrong type, unknown reference column, unknown transform)")
  @Test
  void badMetadata() throws Exception {
    write(dir, metadata(SCHEMA, LOG_RATIO).replace("\"stepMillis\": 300000", "\"stepMillis\": \"5m\""),
        memoryJson);
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("stepMillis must be a number");
    write(dir, metadata(SCHEMA, LOG_RATIO.replace("memory.level", "mem.nope")), memoryJson);
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("reference 'mem.nope' is not a column");
    write(dir, metadata(SCHEMA, "{ \"kind\": \"sqrt\" }"), memoryJson);
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("kind 'sqrt'");
    write(dir, metadata(SCHEMA, LOG_RATIO).replace("\"quantiles\": [0.5, 0.9, 0.99]",
        "\"quantiles\": [0.5, 0.95, 0.99]"), memoryJson);
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("quantile_alpha");
  }

  @DisplayName("a target model that is not multi-quantile (reg:squarederror) is refused, naming the objective")
  @Test
  void notQuantile() throws Exception {
    write(dir, metadata(SCHEMA, LOG_RATIO), squaredJson);
    assertThatThrownBy(() -> ModelBundle.load(dir, SCHEMA)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("memory.json").hasMessageContaining("reg:squarederror");
  }
}
