package dev.presize.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Trains real XGBoost4J models on synthetic data with fixed seeds, for the evaluator's tests. */
final class Boosters {

  private Boosters() {}

  /** Random rows, row-major: mostly Gaussian, some heavy-tailed columns, {@code nanFraction} missing. */
  static float[] rows(int rowCount, int featureCount, double nanFraction, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[rowCount * featureCount];
    for (int i = 0; i < x.length; i++) {
      int column = i % featureCount;
      if (random.nextDouble() < nanFraction) {
        x[i] = Float.NaN;
      } else if (column % 3 == 2) {
        x[i] = (float) Math.exp(3 * random.nextDouble()); // skewed, positive
      } else if (column % 5 == 4) {
        x[i] = random.nextInt(4); // few distinct values: many ties with split conditions
      } else {
        x[i] = (float) gaussian(random);
      }
    }
    return x;
  }

  /** A label that depends on a few columns, NaN-aware, with noise. */
  static float[] labels(float[] x, int rowCount, int featureCount, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] y = new float[rowCount];
    for (int r = 0; r < rowCount; r++) {
      double v = 1.0;
      for (int c = 0; c < Math.min(featureCount, 6); c++) {
        float f = x[r * featureCount + c];
        v += Float.isNaN(f) ? (c % 2 == 0 ? 0.7 : -0.4) : (c + 1) * 0.3 * Math.tanh(f);
      }
      y[r] = (float) (v + 0.5 * Math.abs(gaussian(random)) * (1 + Math.abs(v)));
    }
    return y;
  }

  static Booster train(Map<String, Object> params, float[] x, int rowCount, int featureCount, int rounds)
      throws XGBoostError {
    DMatrix train = new DMatrix(x, rowCount, featureCount, Float.NaN);
    try {
      train.setLabel(labels(x, rowCount, featureCount, 7));
      return XGBoost.train(train, new HashMap<>(params), rounds, new HashMap<>(), null, null);
    } finally {
      train.dispose();
    }
  }

  static Map<String, Object> quantileParams(int depth) {
    Map<String, Object> p = new HashMap<>();
    p.put("objective", "reg:quantileerror");
    p.put("quantile_alpha", "[0.5,0.9,0.99]");
    p.put("tree_method", "hist");
    p.put("max_depth", depth);
    p.put("eta", 0.1);
    p.put("seed", 42);
    p.put("nthread", 1);
    return p;
  }

  static Map<String, Object> params(String objective, int depth) {
    Map<String, Object> p = quantileParams(depth);
    p.put("objective", objective);
    p.remove("quantile_alpha");
    return p;
  }

  /** Saves the booster as XGBoost JSON under {@code dir} and returns the file. */
  static Path save(Booster booster, Path dir, String name) throws Exception {
    Path file = dir.resolve(name);
    booster.saveModel(file.toString());
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("XGBoost did not write " + file);
    }
    return file;
  }

  /** XGBoost4J's own prediction, {@code float[rows][outputs]}. */
  static float[][] predict(Booster booster, float[] x, int rowCount, int featureCount) throws XGBoostError {
    DMatrix m = new DMatrix(x, rowCount, featureCount, Float.NaN);
    try {
      return booster.predict(m);
    } finally {
      m.dispose();
    }
  }

  /** XGBoost4J's raw margins ({@code outputMargin = true}), {@code float[rows][outputs]}. */
  static float[][] predictMargin(Booster booster, float[] x, int rowCount, int featureCount)
      throws XGBoostError {
    DMatrix m = new DMatrix(x, rowCount, featureCount, Float.NaN);
    try {
      return booster.predict(m, true);
    } finally {
      m.dispose();
    }
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
