package dev.presize.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An XGBoost gradient-boosted tree ensemble evaluated in process, in pure Java: the trees of one XGBoost JSON
 * model in flat primitive arrays, predicting the raw output of every target bit for bit as XGBoost's own CPU
 * predictor does, with no allocation per call. Immutable and safe to share between threads.
 *
 * <p>Supported: booster {@code gbtree} with numerical splits and one output per tree, objectives
 * {@code reg:squarederror}, {@code reg:absoluteerror} and {@code reg:quantileerror} (identity link, so the raw
 * output is the prediction; a multi-quantile model has one output per quantile). Everything else is refused
 * with a {@link ModelFormatException} naming it.
 *
 * <p>Semantics, as in XGBoost's {@code cpu_predictor.cc}: a row's margin {@code k} starts at
 * {@code base_score[k]} and every tree whose {@code tree_info} is {@code k} adds its leaf value, in float, in tree
 * order. At a split on feature {@code f} with condition {@code c}, {@code x[f] < c} goes left, a missing value
 * ({@code NaN}) goes to the default child, anything else goes right. Then the objective's prediction transform:
 * none for squared and absolute error; for {@code reg:quantileerror} (XGBoost 3.x, {@code quantile_obj.cc}) the
 * row's outputs are sorted ascending, so output {@code k} is the {@code k}-th smallest margin.
 *
 * <p>When no tree is deeper than {@value #MAX_COMPLETE_DEPTH}, every tree is stored as a complete binary tree of
 * the ensemble's depth (a shallower leaf is copied down), so a row walks a fixed number of levels with the child
 * index computed, not loaded, four trees side by side; a batch goes tree by tree over blocks of 64 rows, as
 * XGBoost does. Deeper ensembles keep XGBoost's own node layout.
 */
public final class TreeEnsemble {

  /** Deepest tree stored in the complete (implicit-children) layout. */
  static final int MAX_COMPLETE_DEPTH = 12;
  private static final long MAX_COMPLETE_SLOTS = 1L << 23;
  /** Rows evaluated together tree by tree in a batch (as XGBoost's block of rows). */
  private static final int BLOCK = 64;

  private final String objective;
  private final double[] quantileAlphas;
  private final int featureCount;
  private final int outputCount;
  private final int treeCount;
  private final float[] baseScore;
  private final int[] treeOutput;
  private final int[] version;
  /** {@code reg:quantileerror}: XGBoost's prediction transform sorts each row's outputs. */
  private final boolean sortOutputs;

  /** Complete layout when true, node-pointer layout otherwise. */
  private final boolean complete;
  /** Per tree: first slot (complete) or root node (pointers). */
  private final int[] treeBase;
  /** Complete layout only: the depth every tree is padded to, and the slots per tree ({@code 2^(depth+1) - 1}). */
  private final int depth;
  private final int stride;
  /** Per slot/node: split feature (pointers: -1 for a leaf); complete layout: bit 31 set = missing goes left. */
  private final int[] feature;
  /** Complete layout only: per slot, the split condition as an ordered-int key ({@link #thresholdKey}). */
  private final int[] thresholdKey;
  /** Per slot/node: split condition, or the leaf value at a leaf. */
  private final float[] value;
  /** Per slot/node: whether a missing value goes left. */
  private final boolean[] defaultLeft;
  /** Pointer layout only: per node, the global index of its left child (the right one is next to it). */
  private final int[] left;

  private TreeEnsemble(XgboostJson.Model m, boolean allowComplete) {
    this.objective = m.objective();
    this.quantileAlphas = m.quantileAlphas();
    this.featureCount = m.featureCount();
    this.outputCount = m.outputCount();
    this.baseScore = m.baseScore();
    this.treeOutput = m.treeOutput();
    this.version = m.version();
    this.sortOutputs = objective.equals("reg:quantileerror");
    List<XgboostJson.Tree> trees = m.trees();
    this.treeCount = trees.size();
    this.treeBase = new int[treeCount];

    int maxDepth = 0;
    long nodes = 0;
    for (int t = 0; t < treeCount; t++) {
      maxDepth = Math.max(maxDepth, depth(trees.get(t), 0));
      nodes += trees.get(t).left().length;
    }
    long stride = (2L << maxDepth) - 1;
    this.complete = allowComplete && maxDepth <= MAX_COMPLETE_DEPTH && stride * treeCount <= MAX_COMPLETE_SLOTS;
    if (complete) {
      this.depth = maxDepth;
      this.stride = (int) stride;
      int slots = (int) (stride * treeCount);
      this.feature = new int[slots];
      this.thresholdKey = new int[slots];
      this.value = new float[slots];
      this.defaultLeft = null;
      this.left = null;
      for (int t = 0; t < treeCount; t++) {
        treeBase[t] = t * this.stride;
        fillComplete(trees.get(t), 0, treeBase[t], 0, 0, maxDepth);
      }
    } else {
      this.depth = -1;
      this.stride = -1;
      this.thresholdKey = null;
      int n = Math.toIntExact(nodes);
      this.feature = new int[n];
      this.value = new float[n];
      this.defaultLeft = new boolean[n];
      this.left = new int[n];
      int base = 0;
      for (int t = 0; t < treeCount; t++) {
        XgboostJson.Tree tree = trees.get(t);
        treeBase[t] = base;
        for (int i = 0; i < tree.left().length; i++) {
          boolean leaf = tree.left()[i] == -1;
          feature[base + i] = leaf ? -1 : tree.splitIndex()[i];
          value[base + i] = tree.splitCondition()[i];
          defaultLeft[base + i] = tree.defaultLeft()[i];
          left[base + i] = leaf ? -1 : base + tree.left()[i];
        }
        base += tree.left().length;
      }
    }
  }

  /**
   * Loads an XGBoost JSON model file ({@code Booster.saveModel("….json")}).
   *
   * @throws ModelFormatException the file is not valid JSON, not an XGBoost model, or a model this evaluator
   *     does not support; the message names the file and what is wrong
   * @throws IOException the file cannot be read
   */
  public static TreeEnsemble load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return parse(file, Files.readAllBytes(file));
  }

  /**
   * Parses an XGBoost JSON model already in memory; {@code source} names it in error messages.
   *
   * @throws ModelFormatException as {@link #load(Path)}
   */
  public static TreeEnsemble parse(Path source, byte[] json) throws ModelFormatException {
    return new TreeEnsemble(XgboostJson.read(source, json), true);
  }

  /** As {@link #parse}, keeping XGBoost's node layout even for shallow trees (to test both layouts). */
  static TreeEnsemble parseWithNodeLayout(Path source, byte[] json) throws ModelFormatException {
    return new TreeEnsemble(XgboostJson.read(source, json), false);
  }

  /**
   * Predicts one row as {@code Booster.predict(DMatrix)} does: {@code row[0..featureCount())} holds the features
   * ({@code NaN} = missing), {@code out[0..outputCount())} receives the outputs. For {@code reg:quantileerror} the
   * outputs are sorted ascending, as XGBoost's prediction transform for that objective does (so quantile
   * crossings never show); the other objectives have no transform. No allocation.
   *
   * @throws IllegalArgumentException {@code row} or {@code out} is too short
   */
  public void predict(float[] row, float[] out) {
    checkRow(row, out.length);
    predictRow(row, 0, out, 0);
    if (sortOutputs) {
      sort(out, 0, outputCount);
    }
  }

  /**
   * Predicts one row's raw margins, as {@code Booster.predict(DMatrix, true)} does: base score plus the leaf
   * values, no prediction transform. No allocation.
   *
   * @throws IllegalArgumentException {@code row} or {@code out} is too short
   */
  public void predictMargin(float[] row, float[] out) {
    checkRow(row, out.length);
    predictRow(row, 0, out, 0);
  }

  /**
   * Predicts a batch as {@link #predict(float[], float[])} does each row: {@code rows} is a row-major matrix of
   * {@code rowCount} rows of {@link #featureCount()} floats, {@code out} receives {@code rowCount} rows of
   * {@link #outputCount()} floats. No allocation.
   *
   * @throws IllegalArgumentException an array is too short for {@code rowCount} rows
   */
  public void predict(float[] rows, int rowCount, float[] out) {
    if (rowCount < 0 || (long) rowCount * featureCount > rows.length
        || (long) rowCount * outputCount > out.length) {
      throw new IllegalArgumentException("rowCount " + rowCount + " needs " + (long) rowCount * featureCount
          + " features and room for " + (long) rowCount * outputCount + " outputs; have " + rows.length
          + " and " + out.length);
    }
    for (int from = 0; from < rowCount; from += BLOCK) {
      int to = Math.min(rowCount, from + BLOCK);
      predictBlock(rows, from, to, out);
      if (sortOutputs) {
        for (int r = from; r < to; r++) {
          sort(out, r * outputCount, (r + 1) * outputCount);
        }
      }
    }
  }

  /**
   * As {@link #predict(float[], float[])} into a double array; each output is still the float XGBoost computes.
   */
  void predict(float[] row, double[] out) {
    checkRow(row, out.length);
    for (int k = 0; k < outputCount; k++) {
      out[k] = baseScore[k];
    }
    for (int t = 0; t < treeCount; t++) {
      int k = treeOutput[t];
      // A float sum held in a double: the sum of two floats computed in double and rounded to float is the
      // correctly rounded float sum (53 >= 2 * 24 + 2), so this is bit-exact with float accumulation.
      out[k] = (float) (out[k] + leaf(t, row, 0));
    }
    if (sortOutputs) {
      for (int i = 1; i < outputCount; i++) {
        double v = out[i];
        int j = i - 1;
        while (j >= 0 && v < out[j]) {
          out[j + 1] = out[j];
          j--;
        }
        out[j + 1] = v;
      }
    }
  }

  private void checkRow(float[] row, int outLength) {
    if (row.length < featureCount || outLength < outputCount) {
      throw new IllegalArgumentException("row has " + row.length + " features (needs " + featureCount
          + "), out has room for " + outLength + " outputs (needs " + outputCount + ")");
    }
  }

  /** Ascending insertion sort with {@code <}: stable, as {@code std::sort} is on the few outputs of a row. */
  private static void sort(float[] a, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      float v = a[i];
      int j = i - 1;
      while (j >= from && v < a[j]) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  private void predictRow(float[] row, int rowOffset, float[] out, int outOffset) {
    for (int k = 0; k < outputCount; k++) {
      out[outOffset + k] = baseScore[k];
    }
    int t = 0;
    if (complete) {
      // Four trees walked side by side: four independent chains of loads for the CPU to overlap. The leaf values
      // are still added in tree order, so every output is the same float sum as XGBoost's.
      int[] feature = this.feature;
      int[] key = this.thresholdKey;
      int s = stride;
      for (; t + 4 <= treeCount; t += 4) {
        int b0 = t * s;
        int b1 = b0 + s;
        int b2 = b1 + s;
        int b3 = b2 + s;
        int i0 = 0;
        int i1 = 0;
        int i2 = 0;
        int i3 = 0;
        for (int level = depth; level > 0; level--) {
          int f0 = feature[b0 + i0];
          int f1 = feature[b1 + i1];
          int f2 = feature[b2 + i2];
          int f3 = feature[b3 + i3];
          i0 = 2 * i0 + 2 - goesLeft(row[rowOffset + (f0 & Integer.MAX_VALUE)], key[b0 + i0], f0 >>> 31);
          i1 = 2 * i1 + 2 - goesLeft(row[rowOffset + (f1 & Integer.MAX_VALUE)], key[b1 + i1], f1 >>> 31);
          i2 = 2 * i2 + 2 - goesLeft(row[rowOffset + (f2 & Integer.MAX_VALUE)], key[b2 + i2], f2 >>> 31);
          i3 = 2 * i3 + 2 - goesLeft(row[rowOffset + (f3 & Integer.MAX_VALUE)], key[b3 + i3], f3 >>> 31);
        }
        out[outOffset + treeOutput[t]] += value[b0 + i0];
        out[outOffset + treeOutput[t + 1]] += value[b1 + i1];
        out[outOffset + treeOutput[t + 2]] += value[b2 + i2];
        out[outOffset + treeOutput[t + 3]] += value[b3 + i3];
      }
    }
    for (; t < treeCount; t++) {
      out[outOffset + treeOutput[t]] += leaf(t, row, rowOffset);
    }
  }

  /** Rows {@code [from, to)} of a batch, tree by tree over the block (each row's sum still in tree order). */
  private void predictBlock(float[] rows, int from, int to, float[] out) {
    for (int r = from; r < to; r++) {
      for (int k = 0; k < outputCount; k++) {
        out[r * outputCount + k] = baseScore[k];
      }
    }
    for (int t = 0; t < treeCount; t++) {
      int k = treeOutput[t];
      for (int r = from; r < to; r++) {
        out[r * outputCount + k] += leaf(t, rows, r * featureCount);
      }
    }
  }

  private float leaf(int t, float[] row, int rowOffset) {
    int[] feature = this.feature;
    float[] value = this.value;
    int base = treeBase[t];
    if (complete) {
      int[] key = this.thresholdKey;
      int i = 0;
      for (int level = depth; level > 0; level--) {
        int f = feature[base + i];
        i = 2 * i + 2 - goesLeft(row[rowOffset + (f & Integer.MAX_VALUE)], key[base + i], f >>> 31);
      }
      return value[base + i];
    }
    boolean[] defaultLeft = this.defaultLeft;
    int n = base;
    int f;
    while ((f = feature[n]) >= 0) {
      float x = row[rowOffset + f];
      n = x < value[n] ? left[n] : (x != x ? (defaultLeft[n] ? left[n] : left[n] + 1) : left[n] + 1);
    }
    return value[n];
  }

  /** Node layout only: the XGBoost node id of the leaf {@code row} reaches in tree {@code t} (for tests). */
  int leafNode(int t, float[] row) {
    if (complete) {
      throw new IllegalStateException("leafNode needs the node layout");
    }
    int n = treeBase[t];
    int f;
    while ((f = feature[n]) >= 0) {
      float x = row[f];
      n = x < value[n] ? left[n] : (x != x ? (defaultLeft[n] ? left[n] : left[n] + 1) : left[n] + 1);
    }
    return n - treeBase[t];
  }

  /**
   * A float as an int whose signed order is the float order (with {@code -0.0} just below {@code +0.0}):
   * non-negative floats keep their bits, negative ones get their magnitude bits flipped.
   */
  static int orderedKey(float x) {
    int b = Float.floatToRawIntBits(x);
    return b ^ ((b >> 31) & Integer.MAX_VALUE);
  }

  /**
   * The key of split condition {@code c} such that {@code orderedKey(x) < key} exactly when {@code x < c} for
   * every non-NaN {@code x}: {@code ±0.0} becomes the key of {@code -0.0} (so that {@code -0.0 < 0.0} stays
   * false), and a NaN condition (nothing is less) the smallest int.
   */
  static int thresholdKey(float c) {
    if (Float.isNaN(c)) {
      return Integer.MIN_VALUE;
    }
    return orderedKey(c == 0f ? -0f : c);
  }

  /**
   * 1 when {@code x} goes to the left child, else 0, without a branch: {@code x < c} for a value, the default
   * direction ({@code defaultLeft} 1 or 0) for NaN. Same decisions as XGBoost's {@code GetNextNode}.
   */
  static int goesLeft(float x, int thresholdKey, int defaultLeft) {
    int b = Float.floatToRawIntBits(x);
    int k = b ^ ((b >> 31) & Integer.MAX_VALUE);
    int less = (int) (((long) k - thresholdKey) >>> 63);
    int nan = (0x7f800000 - (b & Integer.MAX_VALUE)) >>> 31;
    return (less & ~nan) | (nan & defaultLeft);
  }

  private static int depth(XgboostJson.Tree tree, int node) {
    int l = tree.left()[node];
    if (l == -1) {
      return 0;
    }
    return 1 + Math.max(depth(tree, l), depth(tree, l + 1));
  }

  /** Writes the subtree of XGBoost node {@code node} at complete-layout index {@code i}, padding leaves down. */
  private void fillComplete(XgboostJson.Tree tree, int node, int base, int i, int level, int depth) {
    int l = tree.left()[node];
    if (level == depth) {
      value[base + i] = tree.splitCondition()[node]; // a leaf (validated: depth is the deepest leaf's level)
      return;
    }
    if (l == -1) {
      // A leaf above the full depth: a pass-through on feature 0 whose both subtrees end in this leaf.
      feature[base + i] = 0;
      thresholdKey[base + i] = 0;
      fillComplete(tree, node, base, 2 * i + 1, level + 1, depth);
      fillComplete(tree, node, base, 2 * i + 2, level + 1, depth);
      return;
    }
    feature[base + i] = tree.splitIndex()[node] | (tree.defaultLeft()[node] ? Integer.MIN_VALUE : 0);
    thresholdKey[base + i] = thresholdKey(tree.splitCondition()[node]);
    fillComplete(tree, l, base, 2 * i + 1, level + 1, depth);
    fillComplete(tree, l + 1, base, 2 * i + 2, level + 1, depth);
  }

  /** The objective the model was trained with, e.g. {@code reg:quantileerror}. */
  public String objective() {
    return objective;
  }

  /** For {@code reg:quantileerror}, the quantile of each output in output order; otherwise empty. */
  public double[] quantileAlphas() {
    return quantileAlphas.clone();
  }

  /** How many features a row has ({@code num_feature}). */
  public int featureCount() {
    return featureCount;
  }

  /** How many raw outputs a row gets ({@code num_target}). */
  public int outputCount() {
    return outputCount;
  }

  /** How many trees are evaluated per row. */
  public int treeCount() {
    return treeCount;
  }

  /** The starting value of each output ({@code base_score}). */
  public float[] baseScores() {
    return baseScore.clone();
  }

  /** The XGBoost version that wrote the model, e.g. {@code [3, 4, 0]}; empty if the file does not say. */
  public int[] xgboostVersion() {
    return version.clone();
  }

  /** Whether the trees are held in the complete layout (package-private, for tests). */
  boolean completeLayout() {
    return complete;
  }

  @Override
  public String toString() {
    return "TreeEnsemble[objective=" + objective + ", trees=" + treeCount + ", features=" + featureCount
        + ", outputs=" + outputCount + ", layout=" + (complete ? "complete" : "nodes") + "]";
  }
}
