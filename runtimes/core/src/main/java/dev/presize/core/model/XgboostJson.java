package dev.presize.core.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The reader of XGBoost's JSON model format (as {@code Booster.saveModel("model.json")} writes it, checked against
 * XGBoost 3.4.0): walks the document once and keeps only what prediction needs, each tree as primitive arrays.
 * Anything this code cannot evaluate exactly as XGBoost does is refused here, naming what it is.
 */
final class XgboostJson {

  /**
   * The objectives whose prediction this code reproduces: the identity-link regressions (the raw margin is the
   * prediction), {@code binary:logistic} (the sigmoid of the margin) and {@code binary:logitraw} (the margin).
   */
  static final Set<String> SUPPORTED_OBJECTIVES = Set.of("reg:squarederror", "reg:absoluteerror",
      "reg:quantileerror", "binary:logistic", "binary:logitraw");

  /** One tree as saved: node arrays indexed by node id; a leaf has {@code left == -1}. */
  record Tree(int[] left, int[] right, int[] splitIndex, float[] splitCondition, boolean[] defaultLeft) {}

  /** What a model file holds, validated. */
  record Model(String objective, double[] quantileAlphas, int featureCount, int outputCount, float[] baseScore,
               List<Tree> trees, int[] treeOutput, int[] version) {}

  private final Path file;
  private final JsonReader json;

  // learner
  private int[] version;
  private String booster;
  private String objective;
  private String quantileAlpha;
  private String baseScore;
  private String numFeature;
  private String numTarget;
  private String numClass;
  private final List<String> featureTypes = new ArrayList<>();
  // gbtree
  private final List<Tree> trees = new ArrayList<>();
  private int[] treeInfo;
  private float[] weightDrop;
  private String numTrees;

  private XgboostJson(Path file, byte[] bytes) {
    this.file = file;
    this.json = new JsonReader(file, bytes);
  }

  /** Reads and validates one model; {@code file} is for messages. */
  static Model read(Path file, byte[] bytes) throws ModelFormatException {
    XgboostJson r = new XgboostJson(file, bytes);
    r.document();
    return r.validate();
  }

  private void document() throws ModelFormatException {
    json.beginObject();
    boolean sawLearner = false;
    String name;
    while ((name = json.nextName()) != null) {
      switch (name) {
        case "learner" -> {
          learner();
          sawLearner = true;
        }
        case "version" -> version = json.readIntArray();
        default -> json.skipValue();
      }
    }
    json.endDocument();
    if (!sawLearner) {
      throw refuse("no \"learner\" object: not an XGBoost JSON model");
    }
  }

  private void learner() throws ModelFormatException {
    json.beginObject();
    String name;
    while ((name = json.nextName()) != null) {
      switch (name) {
        case "gradient_booster" -> gradientBooster();
        case "learner_model_param" -> learnerModelParam();
        case "objective" -> objective();
        case "feature_types" -> {
          json.beginArray();
          while (json.hasNext()) {
            featureTypes.add(json.readString());
          }
        }
        default -> json.skipValue();
      }
    }
  }

  private void learnerModelParam() throws ModelFormatException {
    json.beginObject();
    String name;
    while ((name = json.nextName()) != null) {
      switch (name) {
        case "base_score" -> baseScore = json.readString();
        case "num_feature" -> numFeature = json.readString();
        case "num_target" -> numTarget = json.readString();
        case "num_class" -> numClass = json.readString();
        default -> json.skipValue();
      }
    }
  }

  private void objective() throws ModelFormatException {
    json.beginObject();
    String name;
    while ((name = json.nextName()) != null) {
      switch (name) {
        case "name" -> objective = json.readString();
        case "quantile_loss_param" -> {
          json.beginObject();
          String p;
          while ((p = json.nextName()) != null) {
            if (p.equals("quantile_alpha")) {
              quantileAlpha = json.readString();
            } else {
              json.skipValue();
            }
          }
        }
        default -> json.skipValue();
      }
    }
  }

  private void gradientBooster() throws ModelFormatException {
    json.beginObject();
    String name;
    while ((name = json.nextName()) != null) {
      switch (name) {
        case "name" -> booster = json.readString();
        case "model" -> gbtreeModel();
        default -> json.skipValue(); // dart's "gbtree"/"weight_drop": refused below by the booster name
      }
    }
  }

  private void gbtreeModel() throws ModelFormatException {
    json.beginObject();
    String name;
    while ((name = json.nextName()) != null) {
      switch (name) {
        case "trees" -> {
          json.beginArray();
          while (json.hasNext()) {
            trees.add(tree(trees.size()));
          }
        }
        case "tree_info" -> treeInfo = json.readIntArray();
        case "weight_drop" -> weightDrop = json.readFloatArray();
        case "gbtree_model_param" -> {
          json.beginObject();
          String p;
          while ((p = json.nextName()) != null) {
            if (p.equals("num_trees")) {
              numTrees = json.readString();
            } else {
              json.skipValue();
            }
          }
        }
        default -> json.skipValue();
      }
    }
  }

  private Tree tree(int index) throws ModelFormatException {
    int[] left = null;
    int[] right = null;
    int[] splitIndex = null;
    float[] splitCondition = null;
    boolean[] defaultLeft = null;
    int[] splitType = null;
    int[] categoryNodes = null;
    String numNodes = null;
    String leafVector = null;
    json.beginObject();
    String name;
    while ((name = json.nextName()) != null) {
      switch (name) {
        case "left_children" -> left = json.readIntArray();
        case "right_children" -> right = json.readIntArray();
        case "split_indices" -> splitIndex = json.readIntArray();
        case "split_conditions" -> splitCondition = json.readFloatArray();
        case "default_left" -> defaultLeft = json.readFlagArray();
        case "split_type" -> splitType = json.readIntArray();
        case "categories_nodes" -> categoryNodes = json.readIntArray();
        case "tree_param" -> {
          json.beginObject();
          String p;
          while ((p = json.nextName()) != null) {
            switch (p) {
              case "num_nodes" -> numNodes = json.readString();
              case "size_leaf_vector" -> leafVector = json.readString();
              default -> json.skipValue();
            }
          }
        }
        default -> json.skipValue();
      }
    }
    String where = "tree " + index + ": ";
    if (leafVector != null && !leafVector.equals("0") && !leafVector.equals("1")) {
      throw refuse(where + "vector leaves (size_leaf_vector=" + leafVector
          + ", multi_strategy=multi_output_tree) are not supported; train with one_output_per_tree");
    }
    if (left == null || right == null || splitIndex == null || splitCondition == null || defaultLeft == null) {
      throw refuse(where + "missing one of left_children, right_children, split_indices, split_conditions,"
          + " default_left");
    }
    int n = left.length;
    if (numNodes != null && parseInt(numNodes, where + "tree_param.num_nodes") != n) {
      throw refuse(where + "tree_param.num_nodes=" + numNodes + " but left_children has " + n + " entries");
    }
    if (n == 0 || right.length != n || splitIndex.length != n || splitCondition.length != n
        || defaultLeft.length != n) {
      throw refuse(where + "node arrays of different lengths (left_children " + n + ", right_children "
          + right.length + ", split_indices " + splitIndex.length + ", split_conditions " + splitCondition.length
          + ", default_left " + defaultLeft.length + ")");
    }
    if (categoryNodes != null && categoryNodes.length > 0) {
      throw refuse(where + "categorical splits are not supported (categories_nodes is not empty)");
    }
    if (splitType != null) {
      for (int i = 0; i < splitType.length; i++) {
        if (splitType[i] != 0) {
          throw refuse(where + "node " + i + " has split_type " + splitType[i]
              + " (categorical); only numerical splits are supported");
        }
      }
    }
    return new Tree(left, right, splitIndex, splitCondition, defaultLeft);
  }

  private Model validate() throws ModelFormatException {
    if (booster == null) {
      throw refuse("no learner.gradient_booster.name");
    }
    if (!booster.equals("gbtree")) {
      throw refuse("gradient booster '" + booster + "' is not supported (only gbtree)");
    }
    if (objective == null) {
      throw refuse("no learner.objective.name");
    }
    if (!SUPPORTED_OBJECTIVES.contains(objective)) {
      throw refuse("objective '" + objective + "' is not supported (supported: "
          + String.join(", ", SUPPORTED_OBJECTIVES.stream().sorted().toList()) + ")");
    }
    for (int i = 0; i < featureTypes.size(); i++) {
      if (!featureTypes.get(i).equals("float") && !featureTypes.get(i).equals("int")
          && !featureTypes.get(i).equals("q") && !featureTypes.get(i).equals("i")) {
        throw refuse("feature " + i + " has type '" + featureTypes.get(i)
            + "'; only numerical features are supported");
      }
    }
    if (numFeature == null || baseScore == null) {
      throw refuse("learner_model_param lacks num_feature or base_score");
    }
    int features = parseInt(numFeature, "learner_model_param.num_feature");
    int targets = numTarget == null ? 1 : parseInt(numTarget, "learner_model_param.num_target");
    int classes = numClass == null ? 0 : parseInt(numClass, "learner_model_param.num_class");
    if (classes > 0) {
      throw refuse("num_class=" + classes + ": multi-class models are not supported");
    }
    if (features < 0 || targets < 1) {
      throw refuse("num_feature=" + features + ", num_target=" + targets);
    }
    float[] base = parseFloatList(baseScore, "learner_model_param.base_score");
    if (base.length != 1 && base.length != targets) {
      throw refuse("base_score has " + base.length + " values for " + targets + " targets");
    }
    float[] baseScores = new float[targets];
    for (int k = 0; k < targets; k++) {
      baseScores[k] = base.length == 1 ? base[0] : base[k];
    }
    if (objective.startsWith("binary:")) {
      if (targets != 1) {
        throw refuse(objective + " with num_target=" + targets + " (multi-label) is not supported; only one"
            + " target");
      }
      // XGBoost's LogisticRegression::CheckIntercept: base_score is a probability in [0, 1] (saved as such; the
      // margin starts at its logit). binary:logitraw takes base_score as the margin itself.
      if (objective.equals("binary:logistic") && !(baseScores[0] >= 0f && baseScores[0] <= 1f)) {
        throw refuse("binary:logistic with base_score=" + baseScores[0] + " outside [0, 1]");
      }
    }
    double[] alphas = new double[0];
    if (objective.equals("reg:quantileerror")) {
      if (quantileAlpha == null) {
        throw refuse("reg:quantileerror without quantile_loss_param.quantile_alpha");
      }
      float[] a = parseFloatList(quantileAlpha, "quantile_alpha");
      alphas = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        alphas[i] = Double.parseDouble(Float.toString(a[i]));
      }
      if (a.length != targets) {
        throw refuse("quantile_alpha has " + a.length + " values but num_target=" + targets);
      }
    }
    if (weightDrop != null) {
      for (int t = 0; t < weightDrop.length; t++) {
        if (weightDrop[t] != 1f) {
          throw refuse("per-tree weights (gbtree weight_drop, written when training with dropout: booster=dart"
              + " or rate_drop) are not supported; tree " + t + " has weight " + weightDrop[t]);
        }
      }
    }
    if (treeInfo == null) {
      throw refuse("no gradient_booster.model.tree_info");
    }
    if (treeInfo.length != trees.size()) {
      throw refuse("tree_info has " + treeInfo.length + " entries for " + trees.size() + " trees");
    }
    if (numTrees != null && parseInt(numTrees, "gbtree_model_param.num_trees") != trees.size()) {
      throw refuse("gbtree_model_param.num_trees=" + numTrees + " but there are " + trees.size() + " trees");
    }
    for (int t = 0; t < treeInfo.length; t++) {
      if (treeInfo[t] < 0 || treeInfo[t] >= targets) {
        throw refuse("tree " + t + " has output group " + treeInfo[t] + " outside [0, " + targets + ")");
      }
    }
    for (int t = 0; t < trees.size(); t++) {
      checkTree(t, trees.get(t), features);
    }
    return new Model(objective, alphas, features, targets, baseScores, List.copyOf(trees), treeInfo,
        version == null ? new int[0] : version);
  }

  /**
   * Checks that the nodes reachable from the root form a tree: children in range, no node reached twice, split
   * features in range, and the right child right after the left one. XGBoost's predictor moves to
   * {@code left + 1} for "not less than", not to {@code right_children}; they agree in every model XGBoost
   * writes, and a file where they do not is refused rather than guessed at.
   */
  private void checkTree(int t, Tree tree, int features) throws ModelFormatException {
    int n = tree.left().length;
    boolean[] seen = new boolean[n];
    int[] stack = new int[n + 1];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      int i = stack[--top];
      if (seen[i]) {
        throw refuse("tree " + t + ": node " + i + " is reached twice (not a tree)");
      }
      seen[i] = true;
      int l = tree.left()[i];
      int r = tree.right()[i];
      if (l == -1) {
        if (r != -1) {
          throw refuse("tree " + t + ": node " + i + " has no left child but right child " + r);
        }
        continue;
      }
      if (l <= 0 || l >= n || r != l + 1 || r >= n) {
        throw refuse("tree " + t + ": node " + i + " has children " + l + ", " + r + " (expected a pair"
            + " l, l+1 within 1.." + (n - 1) + ")");
      }
      int f = tree.splitIndex()[i];
      if (f < 0 || f >= features) {
        throw refuse("tree " + t + ": node " + i + " splits on feature " + f + " but num_feature=" + features);
      }
      stack[top++] = l;
      stack[top++] = r;
    }
  }

  private int parseInt(String text, String what) throws ModelFormatException {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw refuse(what + " is not an integer: '" + text + "'");
    }
  }

  /** {@code "5E-1"} or {@code "[5E-1,9E-1]"}, as XGBoost writes scalars and vectors inside strings. */
  private float[] parseFloatList(String text, String what) throws ModelFormatException {
    String s = text.trim();
    if (s.startsWith("[")) {
      if (!s.endsWith("]")) {
        throw refuse(what + " is not a list: '" + text + "'");
      }
      s = s.substring(1, s.length() - 1).trim();
    }
    if (s.isEmpty()) {
      throw refuse(what + " is empty");
    }
    String[] parts = s.split(",");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Float.parseFloat(parts[i].trim());
      } catch (NumberFormatException e) {
        throw refuse(what + " is not a number or a list of numbers: '" + text + "'");
      }
    }
    return out;
  }

  private ModelFormatException refuse(String problem) {
    return new ModelFormatException(file, problem);
  }
}
