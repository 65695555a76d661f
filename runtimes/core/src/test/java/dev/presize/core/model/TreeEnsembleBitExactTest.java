package dev.presize.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evaluator against XGBoost4J itself: models trained here with fixed seeds, saved as JSON, loaded by
 * {@link TreeEnsemble}, and every output of 10,000 random rows (with missing values) compared bit for bit with
 * {@code Booster.predict(DMatrix)}; binary classifiers ({@code binary:logistic}, {@code binary:logitraw}) the
 * same way, on their training rows too.
 */
class TreeEnsembleBitExactTest {

  private static final int TEST_ROWS = 10_000;

  @TempDir
  Path dir;

  record Case(String name, Map<String, Object> params, int features, int rounds, double trainNan) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    Map<String, Object> lossguide = Boosters.quantileParams(0);
    lossguide.put("grow_policy", "lossguide");
    lossguide.put("max_leaves", 200);
    lossguide.put("min_child_weight", 0.1);
    Map<String, Object> deep = Boosters.params("reg:squarederror", 16);
    deep.put("min_child_weight", 0);
    return Stream.of(
        new Case("quantile depth 3, 20 rounds, 10% NaN", Boosters.quantileParams(3), 12, 20, 0.10),
        new Case("quantile depth 6, 120 rounds, 20% NaN, 74 features", Boosters.quantileParams(6), 74, 120,
            0.20),
        new Case("quantile depth 8, 30 rounds, no NaN in training", Boosters.quantileParams(8), 12, 30, 0.0),
        new Case("quantile lossguide 200 leaves (deep trees), 15 rounds", lossguide, 12, 15, 0.05),
        new Case("squarederror depth 6, 60 rounds, 10% NaN", Boosters.params("reg:squarederror", 6), 12, 60,
            0.10),
        new Case("squarederror depth 16 (node layout), 10 rounds", deep, 12, 10, 0.10),
        new Case("absoluteerror depth 4, 40 rounds, 30% NaN", Boosters.params("reg:absoluteerror", 4), 12, 40,
            0.30),
        new Case("squarederror one round of stumps", Boosters.params("reg:squarederror", 1), 5, 1, 0.0))
        .map(Arguments::of);
  }

  @DisplayName("every output of 10,000 rows with NaNs equals XGBoost4J's predict (and margin) bit for bit, in both layouts")
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bitExact(Case c) throws Exception {
    int trainRows = 4000;
    float[] train = Boosters.rows(trainRows, c.features(), c.trainNan(), 1);
    Booster booster = Boosters.train(c.params(), train, trainRows, c.features(), c.rounds());
    try {
      Path file = Boosters.save(booster, dir, "model.json");
      float[] rows = Boosters.rows(TEST_ROWS, c.features(), 0.15, 2);
      float[][] expected = Boosters.predict(booster, rows, TEST_ROWS, c.features());
      float[][] expectedMargin = Boosters.predictMargin(booster, rows, TEST_ROWS, c.features());

      byte[] json = Files.readAllBytes(file);
      TreeEnsemble complete = TreeEnsemble.parse(file, json);
      TreeEnsemble nodes = TreeEnsemble.parseWithNodeLayout(file, json);
      assertThat(nodes.completeLayout()).isFalse();
      int outputs = expected[0].length;
      assertThat(complete.outputCount()).isEqualTo(outputs);
      assertThat(complete.featureCount()).isEqualTo(c.features());
      System.out.printf("%s: %s, %d outputs, base_score %s%n", c, complete, outputs,
          java.util.Arrays.toString(complete.baseScores()));

      float[] batch = new float[TEST_ROWS * outputs];
      complete.predict(rows, TEST_ROWS, batch);
      float[] batchNodes = new float[TEST_ROWS * outputs];
      nodes.predict(rows, TEST_ROWS, batchNodes);
      float[] row = new float[c.features()];
      float[] out = new float[outputs];
      double[] outDouble = new double[outputs];
      float[] margin = new float[outputs];
      int compared = 0;
      int differentFromBase = 0;
      for (int r = 0; r < TEST_ROWS; r++) {
        System.arraycopy(rows, r * c.features(), row, 0, c.features());
        complete.predict(row, out);
        complete.predict(row, outDouble);
        nodes.predictMargin(row, margin);
        for (int k = 0; k < outputs; k++) {
          int want = Float.floatToIntBits(expected[r][k]);
          if (Float.floatToIntBits(batch[r * outputs + k]) != want
              || Float.floatToIntBits(batchNodes[r * outputs + k]) != want
              || Float.floatToIntBits(out[k]) != want
              || Float.floatToIntBits((float) outDouble[k]) != want || (float) outDouble[k] != outDouble[k]) {
            fail("%s: row %d output %d: XGBoost %s, batch %s, node layout %s, single %s, double %s", c, r, k,
                expected[r][k], batch[r * outputs + k], batchNodes[r * outputs + k], out[k], outDouble[k]);
          }
          if (Float.floatToIntBits(margin[k]) != Float.floatToIntBits(expectedMargin[r][k])) {
            fail("%s: row %d margin %d: XGBoost %s, ours %s", c, r, k, expectedMargin[r][k], margin[k]);
          }
          if (expected[r][k] != complete.baseScores()[k]) {
            differentFromBase++;
          }
          compared++;
        }
      }
      assertThat(compared).isEqualTo(TEST_ROWS * outputs);
      assertThat(differentFromBase).as("the trees change the outputs").isGreaterThan(compared / 2);
    } finally {
      booster.dispose();
    }
  }

  record LogisticCase(String name, Map<String, Object> params, int features, int trainRows, int rounds,
                      double trainNan) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Map<String, Object> binaryParams(String objective, int depth, double eta) {
    Map<String, Object> p = new HashMap<>();
    p.put("objective", objective);
    p.put("tree_method", "hist");
    p.put("max_depth", depth);
    p.put("eta", eta);
    p.put("seed", 42);
    p.put("nthread", 1);
    return p;
  }

  static Stream<Arguments> logisticCases() {
    Map<String, Object> base03 = binaryParams("binary:logistic", 4, 0.3);
    base03.put("base_score", 0.3);
    Map<String, Object> base09 = binaryParams("binary:logistic", 5, 0.2);
    base09.put("base_score", 0.9);
    Map<String, Object> steep = binaryParams("binary:logistic", 6, 6.0);
    steep.put("min_child_weight", 0);
    Map<String, Object> rawBase = binaryParams("binary:logitraw", 4, 0.3);
    rawBase.put("base_score", 0.25);
    return Stream.of(
        new LogisticCase("logistic depth 5, 40 rounds, 4 features, 10% NaN, base_score fitted",
            binaryParams("binary:logistic", 5, 0.3), 4, 400, 40, 0.10),
        new LogisticCase("logistic depth 4, 30 rounds, 3 features, 20% NaN, base_score 0.3", base03, 3, 300, 30,
            0.20),
        new LogisticCase("logistic depth 5, 50 rounds, 2 features, 5% NaN, base_score 0.9", base09, 2, 500, 50,
            0.05),
        new LogisticCase("logistic depth 6, 30 rounds, eta 6 (margins past both ends of the sigmoid), 5 features",
            steep, 5, 300, 30, 0.15),
        new LogisticCase("logitraw depth 4, 30 rounds, 4 features, base_score 0.25 (a margin)", rawBase, 4, 300,
            30, 0.10))
        .map(Arguments::of);
  }

  @DisplayName("binary:logistic probabilities and margins (and binary:logitraw margins) equal XGBoost4J's bit for bit,"
      + " on training and random rows with NaNs, in both layouts")
  @ParameterizedTest(name = "{0}")
  @MethodSource("logisticCases")
  void binaryBitExact(LogisticCase c) throws Exception {
    float[] train = Boosters.rows(c.trainRows(), c.features(), c.trainNan(), 11);
    Booster booster = trainBinary(c.params(), train, c.trainRows(), c.features(), c.rounds());
    try {
      Path file = Boosters.save(booster, dir, "binary.json");
      byte[] json = Files.readAllBytes(file);
      TreeEnsemble complete = TreeEnsemble.parse(file, json);
      TreeEnsemble nodes = TreeEnsemble.parseWithNodeLayout(file, json);
      String objective = (String) c.params().get("objective");
      assertThat(complete.objective()).isEqualTo(objective);
      assertThat(complete.outputCount()).isEqualTo(1);
      assertThat(complete.completeLayout()).isTrue();
      assertThat(nodes.completeLayout()).isFalse();
      Object given = c.params().get("base_score");
      if (given != null) {
        // XGBoost saves base_score as given: for binary:logistic a probability, not its logit.
        assertThat(complete.baseScores()[0]).isEqualTo(((Number) given).floatValue());
      } else {
        assertThat(complete.baseScores()[0]).isStrictlyBetween(0f, 1f);
      }
      System.out.printf("%s: %s, base_score %s%n", c, complete, complete.baseScores()[0]);

      float[] rows = Boosters.rows(TEST_ROWS, c.features(), 0.15, 12);
      float[] tails = compareBinary(c.toString() + " (random rows)", booster, complete, nodes, rows, TEST_ROWS,
          c.features());
      compareBinary(c.toString() + " (training rows)", booster, complete, nodes, train, c.trainRows(),
          c.features());
      if (c.params().get("eta").equals(6.0)) {
        // Below -88.7 XGBoost clamps expf's argument; above about 17 the probability rounds to 1.
        assertThat(tails[0]).as("lowest margin").isLessThan(-88.7f);
        assertThat(tails[1]).as("highest margin").isGreaterThan(20f);
      }
    } finally {
      booster.dispose();
    }
  }

  @DisplayName("binary:logistic base_score at and beyond XGBoost's clamp to [1e-6, 1 - 1e-6] (0, 1e-7, 1 and"
      + " near-1 values) starts the margin where XGBoost does")
  @Test
  void logisticBaseScoreClamp() throws Exception {
    int features = 3;
    int trainRows = 300;
    float[] train = Boosters.rows(trainRows, features, 0.1, 13);
    Booster trained = trainBinary(binaryParams("binary:logistic", 3, 0.3), train, trainRows, features, 10);
    String json;
    try {
      json = Files.readString(Boosters.save(trained, dir, "clamp.json"));
    } finally {
      trained.dispose();
    }
    assertThat(json).containsPattern("\"base_score\":\"[^\"]*\"");
    float[] rows = Boosters.rows(2000, features, 0.15, 14);
    for (String base : new String[] {"0E0", "1E-7", "1E-6", "1.0000001E-6", "5E-1", "9.99999E-1", "9.999995E-1",
        "1E0"}) {
      String edited = json.replaceFirst("\"base_score\":\"[^\"]*\"", "\"base_score\":\"[" + base + "]\"");
      byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
      Booster booster = XGBoost.loadModel(bytes);
      try {
        Path file = dir.resolve("clamp-" + base + ".json");
        TreeEnsemble complete = TreeEnsemble.parse(file, bytes);
        TreeEnsemble nodes = TreeEnsemble.parseWithNodeLayout(file, bytes);
        assertThat(complete.baseScores()[0]).isEqualTo(Float.parseFloat(base));
        compareBinary("base_score " + base, booster, complete, nodes, rows, 2000, features);
      } finally {
        booster.dispose();
      }
    }
  }

  @DisplayName("the sigmoid equals XGBoost's binary:logistic transform at 1.5 million margins, among them hundreds"
      + " where a correctly rounded exp would round differently")
  @Test
  void sigmoidAgainstXgboost() throws Exception {
    float[] train = Boosters.rows(300, 2, 0.1, 18);
    Booster booster = trainBinary(binaryParams("binary:logistic", 2, 0.3), train, 300, 2, 3);
    try {
      // Each row's margin is its base_margin plus the leaves of an all-missing row: margins chosen here.
      int n = 1_500_000;
      float[] baseMargin = new float[n];
      SplittableRandom random = new SplittableRandom(19);
      float consecutive = 2.0f;
      for (int i = 0; i < n; i++) {
        if (i < 1_000_000) {
          baseMargin[i] = (float) (random.nextDouble() * 40 - 20);
        } else if (i < 1_200_000) {
          baseMargin[i] = (float) (random.nextDouble() * 220 - 110);
        } else {
          baseMargin[i] = consecutive;
          consecutive = Math.nextUp(consecutive);
        }
      }
      float[] missing = new float[n * 2];
      java.util.Arrays.fill(missing, Float.NaN);
      DMatrix m = new DMatrix(missing, n, 2, Float.NaN);
      float[][] probability;
      float[][] margin;
      try {
        m.setBaseMargin(baseMargin);
        probability = booster.predict(m);
        margin = booster.predict(m, true);
      } finally {
        m.dispose();
      }
      int correctlyRoundedWouldDiffer = 0;
      for (int i = 0; i < n; i++) {
        float x = margin[i][0];
        float ours = TreeEnsemble.sigmoid(x);
        if (Float.floatToIntBits(ours) != Float.floatToIntBits(probability[i][0])) {
          fail("margin %s (bits %08x): XGBoost %s, ours %s", x, Float.floatToIntBits(x), probability[i][0], ours);
        }
        float e = (float) StrictMath.exp(Math.min(-x, 88.7f));
        if (Float.floatToIntBits(1.0f / (e + 1.0f + 1e-16f)) != Float.floatToIntBits(ours)) {
          correctlyRoundedWouldDiffer++;
        }
      }
      System.out.printf("sigmoid: %d margins equal XGBoost's; a correctly rounded exp would differ at %d%n", n,
          correctlyRoundedWouldDiffer);
      assertThat(correctlyRoundedWouldDiffer).as("margins where glibc's expf is not correctly rounded")
          .isGreaterThan(0);
    } finally {
      booster.dispose();
    }
  }

  @DisplayName("binary:logistic starts the margin at XGBoost's logit of base_score, also where a correctly rounded"
      + " log would round differently")
  @Test
  void logitOfBaseScoreAgainstXgboost() throws Exception {
    float[] train = Boosters.rows(300, 2, 0.1, 20);
    Booster trained = trainBinary(binaryParams("binary:logistic", 2, 0.3), train, 300, 2, 1);
    String json;
    try {
      json = Files.readString(Boosters.save(trained, dir, "logit.json"));
    } finally {
      trained.dispose();
    }
    SplittableRandom random = new SplittableRandom(21);
    java.util.List<Float> bases = new java.util.ArrayList<>();
    int hard = 0;
    while (bases.size() < 120) {
      float p = (float) random.nextDouble();
      boolean differs = TreeEnsemble.probToMargin(p) != (float) -StrictMath.log(1.0f / p - 1.0f);
      if (differs && hard < 60) {
        hard++;
        bases.add(p);
      } else if (!differs && bases.size() - hard < 60) {
        bases.add(p);
      }
    }
    float[] row = {Float.NaN, Float.NaN};
    float[] ours = new float[1];
    for (float p : bases) {
      String edited = json.replaceFirst("\"base_score\":\"[^\"]*\"",
          "\"base_score\":\"[" + Float.toString(p).replace("E", "e") + "]\"");
      byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
      TreeEnsemble ensemble = TreeEnsemble.parse(dir.resolve("logit.json"), bytes);
      assertThat(ensemble.baseScores()[0]).isEqualTo(p);
      Booster booster = XGBoost.loadModel(bytes);
      try {
        float want = Boosters.predictMargin(booster, row, 1, 2)[0][0];
        ensemble.predictMargin(row, ours);
        assertThat(Float.floatToIntBits(ours[0])).as("margin for base_score %s: XGBoost %s, ours %s", p, want,
            ours[0]).isEqualTo(Float.floatToIntBits(want));
      } finally {
        booster.dispose();
      }
    }
    assertThat(hard).isEqualTo(60);
  }

  @DisplayName("binary:logistic predict, batch predict and predictMargin allocate nothing per call")
  @Test
  void logisticNoAllocation() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes");
    threads.setThreadAllocatedMemoryEnabled(true);
    int features = 4;
    float[] train = Boosters.rows(400, features, 0.1, 15);
    Booster booster = trainBinary(binaryParams("binary:logistic", 5, 0.3), train, 400, features, 40);
    TreeEnsemble ensemble;
    try {
      ensemble = TreeEnsemble.load(Boosters.save(booster, dir, "alloc.json"));
    } finally {
      booster.dispose();
    }
    float[] rows = Boosters.rows(64, features, 0.15, 16);
    float[] row = new float[features];
    float[] out = new float[1];
    float[] margin = new float[1];
    float[] batch = new float[64];
    long[] allocated = new long[5];
    float sink = 0;
    for (int run = 0; run < allocated.length; run++) { // the first runs warm up the JIT
      long before = threads.getCurrentThreadAllocatedBytes();
      sink += predictMany(ensemble, rows, row, out, margin, batch, 100_000);
      allocated[run] = threads.getCurrentThreadAllocatedBytes() - before;
    }
    System.out.printf("binary:logistic allocation: %s bytes per run of 100000 calls (sink %s)%n",
        java.util.Arrays.toString(allocated), sink);
    assertThat(allocated[allocated.length - 1]).as("bytes allocated by 100,000 calls of each").isLessThan(1024);
  }

  private static float predictMany(TreeEnsemble ensemble, float[] rows, float[] row, float[] out, float[] margin,
                                   float[] batch, int calls) {
    float sink = 0;
    for (int i = 0; i < calls; i++) {
      System.arraycopy(rows, (i % 64) * row.length, row, 0, row.length);
      ensemble.predict(row, out);
      ensemble.predictMargin(row, margin);
      sink += out[0] + margin[0];
      if (i % 64 == 0) {
        ensemble.predict(rows, 64, batch);
      }
    }
    return sink;
  }

  /**
   * Compares every row's prediction and margin with XGBoost4J's, bit for bit, through the batch, single-row and
   * double paths of both layouts; returns the lowest and highest margin seen.
   */
  private static float[] compareBinary(String what, Booster booster, TreeEnsemble complete, TreeEnsemble nodes,
                                       float[] rows, int rowCount, int features) throws XGBoostError {
    float[][] expected = Boosters.predict(booster, rows, rowCount, features);
    float[][] expectedMargin = Boosters.predictMargin(booster, rows, rowCount, features);
    boolean logistic = complete.objective().equals("binary:logistic");
    float[] batch = new float[rowCount];
    complete.predict(rows, rowCount, batch);
    float[] batchNodes = new float[rowCount];
    nodes.predict(rows, rowCount, batchNodes);
    float[] row = new float[features];
    float[] out = new float[1];
    float[] outNodes = new float[1];
    double[] outDouble = new double[1];
    float[] margin = new float[1];
    float[] marginNodes = new float[1];
    float lowest = Float.POSITIVE_INFINITY;
    float highest = Float.NEGATIVE_INFINITY;
    int withNan = 0;
    java.util.Set<Integer> distinct = new java.util.HashSet<>();
    for (int r = 0; r < rowCount; r++) {
      System.arraycopy(rows, r * features, row, 0, features);
      for (float v : row) {
        if (Float.isNaN(v)) {
          withNan++;
          break;
        }
      }
      complete.predict(row, out);
      nodes.predict(row, outNodes);
      complete.predict(row, outDouble);
      complete.predictMargin(row, margin);
      nodes.predictMargin(row, marginNodes);
      int want = Float.floatToIntBits(expected[r][0]);
      if (Float.floatToIntBits(batch[r]) != want || Float.floatToIntBits(batchNodes[r]) != want
          || Float.floatToIntBits(out[0]) != want || Float.floatToIntBits(outNodes[0]) != want
          || Float.floatToIntBits((float) outDouble[0]) != want || (float) outDouble[0] != outDouble[0]) {
        fail("%s: row %d: XGBoost %s (margin %s), batch %s, node-layout batch %s, single %s, node layout %s,"
            + " double %s", what, r, expected[r][0], expectedMargin[r][0], batch[r], batchNodes[r], out[0],
            outNodes[0], outDouble[0]);
      }
      int wantMargin = Float.floatToIntBits(expectedMargin[r][0]);
      if (Float.floatToIntBits(margin[0]) != wantMargin || Float.floatToIntBits(marginNodes[0]) != wantMargin) {
        fail("%s: row %d margin: XGBoost %s, ours %s, node layout %s", what, r, expectedMargin[r][0], margin[0],
            marginNodes[0]);
      }
      if (logistic) {
        assertThat(expected[r][0]).isBetween(0f, 1f);
      } else {
        assertThat(Float.floatToIntBits(out[0])).as("binary:logitraw predicts the margin").isEqualTo(wantMargin);
      }
      lowest = Math.min(lowest, margin[0]);
      highest = Math.max(highest, margin[0]);
      distinct.add(want);
    }
    System.out.printf("%s: %d rows (%d with NaN), margins %s..%s, %d distinct outputs%n", what, rowCount, withNan,
        lowest, highest, distinct.size());
    assertThat(withNan).as("rows with a missing value").isGreaterThan(0);
    assertThat(distinct.size()).as("the trees tell rows apart").isGreaterThan(10);
    return new float[] {lowest, highest};
  }

  /** Trains a binary classifier on labels that depend on the first columns (NaN-aware), with label noise. */
  private static Booster trainBinary(Map<String, Object> params, float[] x, int rowCount, int featureCount,
                                     int rounds) throws XGBoostError {
    SplittableRandom random = new SplittableRandom(17);
    float[] y = new float[rowCount];
    for (int r = 0; r < rowCount; r++) {
      double v = -0.4;
      for (int c = 0; c < Math.min(featureCount, 4); c++) {
        float f = x[r * featureCount + c];
        v += Float.isNaN(f) ? (c % 2 == 0 ? 0.9 : -0.6) : (c + 1) * 0.7 * Math.tanh(f - 0.2 * c);
      }
      y[r] = random.nextDouble() < 1 / (1 + Math.exp(-2 * v)) ? 1f : 0f;
    }
    DMatrix m = new DMatrix(x, rowCount, featureCount, Float.NaN);
    try {
      m.setLabel(y);
      return XGBoost.train(m, new HashMap<>(params), rounds, new HashMap<>(), null, null);
    } finally {
      m.dispose();
    }
  }
}
