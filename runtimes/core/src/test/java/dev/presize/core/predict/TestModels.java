package dev.presize.core.predict;

import dev.presize.core.registry.ModelChecksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains tiny real XGBoost4J multi-quantile models and writes them as {@code presize-model/1} directories
 * (metadata.json, memory.json, cpu.json, SHA256SUMS) for predictor and service tests. Public (in the test-jar)
 * so the service's tests use the same fixture.
 */
public final class TestModels {

  /** The feature schema id of every fixture model. */
  public static final String SCHEMA = "presize-features/test-8";
  /** Columns of a row: {@code memory.level} (bytes), {@code cpu.level} (cores), then six others. */
  public static final int FEATURES = 8;

  private TestModels() {}

  /** The schema id of a fixture with {@code features} columns ({@link #SCHEMA} for the default 8). */
  public static String schema(int features) {
    return "presize-features/test-" + features;
  }

  /** The feature names, in row order. */
  public static List<String> names(int features) {
    List<String> n = new ArrayList<>(List.of("memory.level", "cpu.level"));
    for (int i = 2; i < features; i++) {
      n.add("f" + i);
    }
    return n;
  }

  /**
   * Writes a trained model directory. {@code growth} shifts what the model forecasts (memory grows by about that
   * factor, CPU is about {@code growth} × the current level), so two versions give visibly different forecasts.
   */
  public static Path write(Path dir, String name, double growth) throws IOException {
    return write(dir, name, growth, FEATURES, 20, 4);
  }

  /** As {@link #write(Path, String, double)} with {@code features} columns, {@code rounds} trees of {@code depth}. */
  public static Path write(Path dir, String name, double growth, int features, int rounds, int depth)
      throws IOException {
    if (features < 3) {
      throw new IllegalArgumentException("features must be >= 3, was " + features);
    }
    Files.createDirectories(dir);
    int rows = Math.max(600, features * 20);
    SplittableRandom random = new SplittableRandom(Double.hashCode(growth));
    float[] x = new float[rows * features];
    float[] memoryLabel = new float[rows];
    float[] cpuLabel = new float[rows];
    for (int r = 0; r < rows; r++) {
      float[] row = row(random.nextLong(), features);
      System.arraycopy(row, 0, x, r * features, features);
      double noise = Math.abs(random.nextGaussian()) * 0.1;
      memoryLabel[r] = (float) (Math.log(growth) + noise + 0.02 * row[2]);
      cpuLabel[r] = (float) (growth * row[1] * (1 + noise));
    }
    try {
      train(x, rows, features, memoryLabel, dir.resolve("memory.json"), rounds, depth);
      train(x, rows, features, cpuLabel, dir.resolve("cpu.json"), rounds, depth);
    } catch (XGBoostError e) {
      throw new IOException("XGBoost training failed: " + e.getMessage(), e);
    }
    StringBuilder names = new StringBuilder();
    for (String n : names(features)) {
      names.append(names.length() == 0 ? "" : ", ").append('"').append(n).append('"');
    }
    Files.writeString(dir.resolve("metadata.json"), """
        {
          "format": "presize-model/1",
          "name": "%s",
          "createdAt": "2026-11-24T04:00:00Z",
          "featureSchema": { "id": "%s", "names": [%s] },
          "quantiles": [0.5, 0.9, 0.99],
          "stepMillis": 1000,
          "horizonSteps": 1,
          "targets": {
            "memory": { "target": "MEMORY_PEAK", "resource": "MEMORY", "unit": "bytes", "model": "memory.json",
                        "transform": { "kind": "log-ratio", "reference": "memory.level", "offset": 1048576.0 } },
            "cpu": { "target": "CPU_MEAN", "resource": "CPU", "unit": "cores", "model": "cpu.json",
                     "transform": { "kind": "identity" } }
          },
          "training": { "format": "test", "growth": %s }
        }
        """.formatted(name, schema(features), names, growth));
    ModelChecksums.write(dir);
    return dir;
  }

  /** A plausible feature row: 64–320 MiB of memory, 0.1–2 cores, six other columns. */
  public static float[] row(long seed) {
    return row(seed, FEATURES);
  }

  /** A plausible row of {@code features} columns. */
  public static float[] row(long seed, int features) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] row = new float[features];
    row[0] = (float) (64 + random.nextDouble() * 256) * 1048576f;
    row[1] = (float) (0.1 + random.nextDouble() * 1.9);
    for (int i = 2; i < features; i++) {
      row[i] = (float) random.nextGaussian();
    }
    return row;
  }

  private static void train(float[] x, int rows, int features, float[] labels, Path out, int rounds, int depth)
      throws XGBoostError {
    DMatrix m = new DMatrix(x, rows, features, Float.NaN);
    try {
      m.setLabel(labels);
      Map<String, Object> p = new HashMap<>();
      p.put("objective", "reg:quantileerror");
      p.put("quantile_alpha", "[0.5,0.9,0.99]");
      p.put("tree_method", "hist");
      p.put("max_depth", depth);
      p.put("eta", 0.3);
      p.put("seed", 42);
      p.put("nthread", 1);
      Booster b = XGBoost.train(m, p, rounds, new HashMap<>(), null, null);
      try {
        b.saveModel(out.toString());
      } finally {
        b.dispose();
      }
    } finally {
      m.dispose();
    }
  }
}
