package dev.presize.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evaluator against XGBoost4J itself: models trained here with fixed seeds, saved as JSON, loaded by
 * {@link TreeEnsemble}, and every output of 10,000 random rows (with missing values) compared bit for bit with
 * {@code Booster.predict(DMatrix)}.
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
}
