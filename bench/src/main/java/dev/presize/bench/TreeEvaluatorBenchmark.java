package dev.presize.bench;

import dev.presize.core.model.TreeEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The in-process {@link TreeEnsemble} against XGBoost4J's own prediction on the same model and the same rows: a
 * realistic forecast model (74 features, 3 quantiles, 200 rounds of depth 6 = 600 trees, trained in
 * {@code @Setup} on synthetic data with 10 % missing values, saved as JSON and loaded by both), for one row and
 * for a batch of 64 rows. XGBoost4J is measured as a caller must use it: {@code predict(DMatrix)} including
 * building the {@code DMatrix}, and {@code inplace_predict} on a float array. Target: ≥ 20× faster than
 * XGBoost4J for one row, 0 B/op.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar TreeEvaluator -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class TreeEvaluatorBenchmark {

  static final int FEATURES = 74;
  static final int QUANTILES = 3;
  static final int ROUNDS = 200;
  static final int BATCH = 64;
  static final int ROW_POOL = 1024;

  private TreeEnsemble ensemble;
  private Booster booster;
  private Path modelDir;
  /** ROW_POOL rows, row-major; single-row benchmarks cycle through them. */
  private float[] pool;
  private float[][] singleRows;
  private float[] batch;
  private float[] out;
  private float[] batchOut;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    int trainRows = 20_000;
    float[] x = rows(trainRows, 1);
    float[] y = new float[trainRows];
    SplittableRandom random = new SplittableRandom(2);
    for (int r = 0; r < trainRows; r++) {
      double v = 0;
      for (int c = 0; c < 12; c++) {
        float f = x[r * FEATURES + c];
        v += Float.isNaN(f) ? 0.3 : Math.sin(f * (c + 1));
      }
      y[r] = (float) (v + Math.abs(random.nextDouble() * (1 + Math.abs(v))));
    }
    DMatrix train = new DMatrix(x, trainRows, FEATURES, Float.NaN);
    train.setLabel(y);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "reg:quantileerror");
    params.put("quantile_alpha", "[0.5,0.9,0.99]");
    params.put("tree_method", "hist");
    params.put("max_depth", 6);
    params.put("eta", 0.05);
    params.put("seed", 42);
    Booster trained = XGBoost.train(train, params, ROUNDS, new HashMap<>(), null, null);
    train.dispose();
    modelDir = Files.createTempDirectory("presize-bench-model");
    Path file = modelDir.resolve("memory.json");
    trained.saveModel(file.toString());
    trained.dispose();
    // Both sides load the same file (a freshly trained multi-quantile booster cannot take setParam).
    booster = XGBoost.loadModel(file.toString());
    booster.setParam("nthread", 1);
    ensemble = TreeEnsemble.load(file);
    if (ensemble.treeCount() != ROUNDS * QUANTILES) {
      throw new IllegalStateException("expected " + ROUNDS * QUANTILES + " trees, got " + ensemble);
    }

    pool = rows(ROW_POOL, 3);
    singleRows = new float[ROW_POOL][];
    for (int r = 0; r < ROW_POOL; r++) {
      singleRows[r] = new float[FEATURES];
      System.arraycopy(pool, r * FEATURES, singleRows[r], 0, FEATURES);
    }
    batch = new float[BATCH * FEATURES];
    System.arraycopy(pool, 0, batch, 0, batch.length);
    out = new float[QUANTILES];
    batchOut = new float[BATCH * QUANTILES];
    check();
  }

  /** The two sides agree on the benchmark's rows before anything is measured. */
  private void check() throws XGBoostError {
    DMatrix m = new DMatrix(batch, BATCH, FEATURES, Float.NaN);
    float[][] want = booster.predict(m);
    m.dispose();
    ensemble.predict(batch, BATCH, batchOut);
    for (int r = 0; r < BATCH; r++) {
      for (int k = 0; k < QUANTILES; k++) {
        if (Float.floatToIntBits(want[r][k]) != Float.floatToIntBits(batchOut[r * QUANTILES + k])) {
          throw new IllegalStateException("row " + r + " quantile " + k + ": XGBoost " + want[r][k] + ", ours "
              + batchOut[r * QUANTILES + k]);
        }
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    booster.dispose();
    try (var files = Files.list(modelDir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(modelDir);
  }

  private float[] nextRow() {
    next = (next + 1) & (ROW_POOL - 1);
    return singleRows[next];
  }

  /** One row, our evaluator. */
  @Benchmark
  public float[] singleRowPresize() {
    ensemble.predict(nextRow(), out);
    return out;
  }

  /** One row, XGBoost4J: build a 1-row DMatrix, predict, dispose. */
  @Benchmark
  public float[][] singleRowXgboostDMatrix() throws XGBoostError {
    DMatrix m = new DMatrix(nextRow(), 1, FEATURES, Float.NaN);
    try {
      return booster.predict(m);
    } finally {
      m.dispose();
    }
  }

  /** One row, XGBoost4J {@code inplace_predict} (no DMatrix). */
  @Benchmark
  public float[][] singleRowXgboostInplace() throws XGBoostError {
    return booster.inplace_predict(nextRow(), 1, FEATURES, Float.NaN);
  }

  /** 64 rows, our evaluator. */
  @Benchmark
  public float[] batch64Presize() {
    ensemble.predict(batch, BATCH, batchOut);
    return batchOut;
  }

  /** 64 rows, XGBoost4J: build a 64-row DMatrix, predict, dispose. */
  @Benchmark
  public float[][] batch64XgboostDMatrix() throws XGBoostError {
    DMatrix m = new DMatrix(batch, BATCH, FEATURES, Float.NaN);
    try {
      return booster.predict(m);
    } finally {
      m.dispose();
    }
  }

  /** 64 rows, XGBoost4J {@code inplace_predict}. */
  @Benchmark
  public float[][] batch64XgboostInplace() throws XGBoostError {
    return booster.inplace_predict(batch, BATCH, FEATURES, Float.NaN);
  }

  /** Synthetic feature rows: Gaussian, skewed and few-valued columns, 10 % missing. */
  static float[] rows(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[count * FEATURES];
    for (int i = 0; i < x.length; i++) {
      int c = i % FEATURES;
      if (random.nextDouble() < 0.1) {
        x[i] = Float.NaN;
      } else if (c % 3 == 2) {
        x[i] = (float) Math.exp(3 * random.nextDouble());
      } else if (c % 5 == 4) {
        x[i] = random.nextInt(4);
      } else {
        x[i] = (float) (random.nextDouble() * 4 - 2);
      }
    }
    return x;
  }
}
