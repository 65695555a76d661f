package dev.presize.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, truncated and unsupported model files are refused with the file and the problem named. */
class TreeEnsembleRefusalTest {

  @TempDir
  static Path dir;

  private static Path good;
  private static byte[] goodBytes;

  @BeforeAll
  static void train() throws Exception {
    float[] x = Boosters.rows(1000, 6, 0.1, 3);
    Booster b = Boosters.train(Boosters.quantileParams(3), x, 1000, 6, 5);
    try {
      good = Boosters.save(b, dir, "good.json");
      goodBytes = Files.readAllBytes(good);
    } finally {
      b.dispose();
    }
  }

  private static Path trained(String name, Map<String, Object> params) throws Exception {
    float[] x = Boosters.rows(500, 6, 0.1, 3);
    Booster b = Boosters.train(params, x, 500, 6, 3);
    try {
      return Boosters.save(b, dir, name);
    } finally {
      b.dispose();
    }
  }

  @DisplayName("a model truncated anywhere is refused as invalid JSON naming the file, never half-loaded")
  @Test
  void truncated() {
    int refused = 0;
    for (int cut = 0; cut < goodBytes.length; cut += Math.max(1, goodBytes.length / 97)) {
      byte[] part = Arrays.copyOf(goodBytes, cut);
      Throwable t = catchThrowable(() -> TreeEnsemble.parse(good, part));
      assertThat(t).as("cut at %d of %d", cut, goodBytes.length).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(good.toString());
      refused++;
    }
    assertThat(refused).isGreaterThan(90);
    assertThatThrownBy(() -> TreeEnsemble.parse(good, Arrays.copyOf(goodBytes, goodBytes.length - 1)))
        .hasMessageContaining("unexpected end of the file").hasMessageContaining("truncated");
  }

  @DisplayName("damaged JSON (a flipped byte, trailing garbage, a bad number) is refused with the byte offset")
  @Test
  void corrupt() throws Exception {
    String json = new String(goodBytes, StandardCharsets.UTF_8);
    int at = json.indexOf("\"split_conditions\":[") + 20;
    String badNumber = json.substring(0, at) + "1.2.3" + json.substring(at + 1);
    assertThatThrownBy(() -> TreeEnsemble.parse(good, badNumber.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a number: '1.2.3")
        .hasMessageContaining("byte " + at);
    assertThatThrownBy(() -> TreeEnsemble.parse(good, (json + "}").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("after the end of the JSON document");
    String noColon = json.replaceFirst("\"learner\":", "\"learner\" ");
    assertThatThrownBy(() -> TreeEnsemble.parse(good, noColon.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("expected ':'");
    assertThatThrownBy(() -> TreeEnsemble.parse(good, "{\"version\":[3,4,0]}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("not an XGBoost JSON model");
    String shortArray = json.replaceFirst("\"left_children\":\\[1,", "\"left_children\":[");
    assertThatThrownBy(() -> TreeEnsemble.parse(good, shortArray.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("tree 0:");
    String badChild = json.replaceFirst("\"left_children\":\\[1,", "\"left_children\":[0,");
    assertThatThrownBy(() -> TreeEnsemble.parse(good, badChild.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("tree 0: node 0 has children 0");
  }

  @DisplayName("objectives other than the identity-link regressions, binary:logistic and binary:logitraw are"
      + " refused, naming the objective and the supported ones")
  @Test
  void unsupportedObjective() throws Exception {
    Map<String, Object> p = Boosters.params("reg:squarederror", 3);
    p.put("objective", "reg:gamma");
    Path gamma = trained("gamma.json", p);
    assertThatThrownBy(() -> TreeEnsemble.load(gamma)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(gamma.toString())
        .hasMessageContaining("objective 'reg:gamma' is not supported (supported: binary:logistic,"
            + " binary:logitraw, reg:absoluteerror, reg:quantileerror, reg:squarederror)");

    Map<String, Object> softprob = Boosters.params("multi:softprob", 3);
    softprob.put("num_class", 3);
    Path multi = trainedClassifier("softprob.json", softprob, 3);
    assertThat(Files.readString(multi)).contains("\"num_class\":\"3\"");
    assertThatThrownBy(() -> TreeEnsemble.load(multi)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(multi.toString())
        .hasMessageContaining("objective 'multi:softprob' is not supported");
    // The same file claiming binary:logistic is still refused: it has three classes.
    String relabelled = Files.readString(multi).replace("\"name\":\"multi:softprob\"",
        "\"name\":\"binary:logistic\"");
    assertThatThrownBy(() -> TreeEnsemble.parse(multi, relabelled.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("num_class=3: multi-class models");

    // reg:logistic computes as binary:logistic does but is not among the supported objectives (yet).
    Map<String, Object> regLogistic = Boosters.params("reg:logistic", 3);
    Path regLogisticFile = trainedClassifier("reg-logistic.json", regLogistic, 2);
    assertThatThrownBy(() -> TreeEnsemble.load(regLogisticFile)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("objective 'reg:logistic' is not supported");
  }

  @DisplayName("a binary:logistic model with base_score outside [0, 1] or more than one target is refused")
  @Test
  void binaryLogisticLimits() throws Exception {
    Path file = trainedClassifier("binary.json", Boosters.params("binary:logistic", 3), 2);
    String json = Files.readString(file);
    assertThat(TreeEnsemble.parse(file, json.getBytes(StandardCharsets.UTF_8)).objective())
        .isEqualTo("binary:logistic");
    for (String bad : new String[] {"1.5E0", "-1E-1", "NaN"}) {
      String edited = json.replaceFirst("\"base_score\":\"[^\"]*\"", "\"base_score\":\"[" + bad + "]\"");
      assertThatThrownBy(() -> TreeEnsemble.parse(file, edited.getBytes(StandardCharsets.UTF_8)))
          .as("base_score %s", bad).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("binary:logistic with base_score=").hasMessageContaining("outside [0, 1]");
    }
    String twoTargets = json.replaceFirst("\"num_target\":\"1\"", "\"num_target\":\"2\"");
    assertThat(twoTargets).isNotEqualTo(json);
    assertThatThrownBy(() -> TreeEnsemble.parse(file, twoTargets.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("binary:logistic with num_target=2 (multi-label) is not supported");
  }

  /** A classifier trained on labels {@code 0..classes-1}, saved as JSON. */
  private static Path trainedClassifier(String name, Map<String, Object> params, int classes) throws Exception {
    int rows = 500;
    float[] x = Boosters.rows(rows, 6, 0.1, 3);
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      float f = x[r * 6];
      y[r] = Float.isNaN(f) ? 0 : Math.min(classes - 1, Math.max(0, (int) Math.floor(f + classes / 2.0)));
    }
    DMatrix m = new DMatrix(x, rows, 6, Float.NaN);
    Booster b;
    try {
      m.setLabel(y);
      b = XGBoost.train(m, new HashMap<>(params), 3, new HashMap<>(), null, null);
    } finally {
      m.dispose();
    }
    try {
      return Boosters.save(b, dir, name);
    } finally {
      b.dispose();
    }
  }

  @DisplayName("dart (as older XGBoost versions write it) and gblinear boosters are refused, naming the booster")
  @Test
  void unsupportedBooster() throws Exception {
    // XGBoost 3.4 deprecates booster=dart and saves such a model as gbtree (checked bit-exact elsewhere); a file
    // from an older version says "dart" and carries per-tree weights this evaluator does not apply.
    String json = new String(goodBytes, StandardCharsets.UTF_8).replace("\"name\":\"gbtree\"",
        "\"name\":\"dart\",\"weight_drop\":[1.0]");
    assertThatThrownBy(() -> TreeEnsemble.parse(good, json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("gradient booster 'dart' is not supported");
    Map<String, Object> linear = Boosters.params("reg:squarederror", 3);
    linear.put("booster", "gblinear");
    Path linearFile = trained("linear.json", linear);
    assertThatThrownBy(() -> TreeEnsemble.load(linearFile)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("gradient booster 'gblinear' is not supported");
  }

  @DisplayName("dropout-trained models (XGBoost 3.4 saves booster=dart as gbtree with weight_drop) are refused")
  @Test
  void dropoutWeights() throws Exception {
    Map<String, Object> p = Boosters.quantileParams(3);
    p.put("booster", "dart");
    p.put("rate_drop", 0.2);
    Path file = trained("dropout.json", p);
    assertThat(Files.readString(file)).contains("\"name\":\"gbtree\"").contains("\"weight_drop\"");
    assertThatThrownBy(() -> TreeEnsemble.load(file)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("weight_drop");
  }

  @DisplayName("vector-leaf trees (multi_output_tree) are refused, naming the setting")
  @Test
  void vectorLeaves() throws Exception {
    Map<String, Object> p = Boosters.quantileParams(3);
    p.put("multi_strategy", "multi_output_tree");
    Path file = trained("vector.json", p);
    assertThatThrownBy(() -> TreeEnsemble.load(file)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("multi_output_tree");
  }

  @DisplayName("categorical splits are refused, naming the tree and node")
  @Test
  void categorical() {
    String json = new String(goodBytes, StandardCharsets.UTF_8).replaceFirst("\"split_type\":\\[0,",
        "\"split_type\":[1,");
    assertThatThrownBy(() -> TreeEnsemble.parse(good, json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("tree 0: node 0 has split_type 1 (categorical)");
  }

  @DisplayName("a row or output array that is too short is an IllegalArgumentException stating the sizes")
  @Test
  void shortArrays() throws Exception {
    TreeEnsemble e = TreeEnsemble.parse(good, goodBytes);
    assertThatThrownBy(() -> e.predict(new float[5], new float[3])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row has 5 features (needs 6)");
    assertThatThrownBy(() -> e.predict(new float[6], new float[2])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 3");
    assertThatThrownBy(() -> e.predict(new float[12], 3, new float[9])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowCount 3");
  }
}
