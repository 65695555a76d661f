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
 * index computed, not loaded, four trees side by side (a batch does the same row by row; walking a block of rows
 * tree by tree, as XGBoost does, measured slower here). A split is one {@code long} (the feature slot and the
 * split condition as an ordered-int key) and the leaves have an array of their own, so 600 trees of depth 6 take
 * 456 KB. Before the walk the row is turned into ordered-int keys twice over: in the first copy a missing value
 * is the smallest key (it goes left everywhere), in the second the largest (it goes right everywhere), and each
 * split reads the copy of its default direction, so the decision is one integer comparison without a branch.
 * Deeper ensembles keep XGBoost's own node layout.
 */
public final class TreeEnsemble {

  /** Deepest tree stored in the complete (implicit-children) layout. */
  static final int MAX_COMPLETE_DEPTH = 12;
  private static final long MAX_COMPLETE_SLOTS = 1L << 23;

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
  /** Pointer layout only: per tree, its root node. */
  private final int[] treeBase;
  /** Complete layout only: the depth every tree is padded to, its splits ({@code 2^depth - 1}) and leaves. */
  private final int depth;
  private final int splitsPerTree;
  private final int leavesPerTree;
  /**
   * Complete layout only: per split, {@link #split}: the row-key slot in the high 32 bits ({@code feature} when a
   * missing value goes left, {@code featureCount + feature} when it goes right), the {@link #thresholdKey} in
   * the low 32 bits.
   */
  private final long[] splits;
  /** Complete layout only: per tree, its {@code 2^depth} leaf values in level order. */
  private final float[] leaves;
  /** Each thread's row keys (complete layout) and float outputs, reused from call to call. */
  private final ThreadLocal<Scratch> scratch;
  /** Pointer layout only: per node, the split feature, -1 for a leaf. */
  private final int[] feature;
  /** Pointer layout only: per node, the split condition, or the leaf value at a leaf. */
  private final float[] value;
  /** Pointer layout only: per node, whether a missing value goes left. */
  private final boolean[] defaultLeft;
  /** Pointer layout only: per node, the global index of its left child (the right one is next to it). */
  private final int[] left;

  /** One thread's working memory for the complete layout: the row as {@link #rowKeys}, and float outputs. */
  private static final class Scratch {
    final int[] keys;
    final float[] out;

    Scratch(int featureCount, int outputCount) {
      keys = new int[2 * featureCount];
      out = new float[outputCount];
    }
  }

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
    int features = featureCount;
    int outputs = outputCount;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(features, outputs));

    int maxDepth = 0;
    long nodes = 0;
    for (int t = 0; t < treeCount; t++) {
      maxDepth = Math.max(maxDepth, depth(trees.get(t), 0));
      nodes += trees.get(t).left().length;
    }
    long slots = (2L << maxDepth) - 1;
    this.complete = allowComplete && maxDepth <= MAX_COMPLETE_DEPTH && slots * treeCount <= MAX_COMPLETE_SLOTS;
    if (complete) {
      this.depth = maxDepth;
      this.splitsPerTree = (1 << maxDepth) - 1;
      this.leavesPerTree = 1 << maxDepth;
      this.splits = new long[splitsPerTree * treeCount];
      this.leaves = new float[leavesPerTree * treeCount];
      this.feature = null;
      this.value = null;
      this.defaultLeft = null;
      this.left = null;
      for (int t = 0; t < treeCount; t++) {
        fillComplete(trees.get(t), t, 0, 0, 0);
      }
    } else {
      this.depth = -1;
      this.splitsPerTree = -1;
      this.leavesPerTree = -1;
      this.splits = null;
      this.leaves = null;
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
    predictRow(row, 0, out, 0, scratch.get().keys);
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
    predictRow(row, 0, out, 0, scratch.get().keys);
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
    int[] keys = scratch.get().keys;
    for (int r = 0; r < rowCount; r++) {
      int o = r * outputCount;
      predictRow(rows, r * featureCount, out, o, keys);
      if (sortOutputs) {
        sort(out, o, o + outputCount);
      }
    }
  }

  /**
   * As {@link #predict(float[], float[])} into a double array; each output is still the float XGBoost computes.
   */
  void predict(float[] row, double[] out) {
    checkRow(row, out.length);
    Scratch s = scratch.get();
    float[] f = s.out;
    predictRow(row, 0, f, 0, s.keys);
    if (sortOutputs) {
      sort(f, 0, outputCount);
    }
    for (int k = 0; k < outputCount; k++) {
      out[k] = f[k];
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

  /** Adds the base scores and every tree's leaf to {@code out}; {@code keys} is scratch for the row keys. */
  private void predictRow(float[] row, int rowOffset, float[] out, int outOffset, int[] keys) {
    for (int k = 0; k < outputCount; k++) {
      out[outOffset + k] = baseScore[k];
    }
    if (!complete) {
      for (int t = 0; t < treeCount; t++) {
        out[outOffset + treeOutput[t]] += nodeLayoutLeaf(t, row, rowOffset);
      }
      return;
    }
    int n = featureCount;
    for (int f = 0; f < n; f++) {
      float x = row[rowOffset + f];
      keys[f] = rowKey(x, true);
      keys[n + f] = rowKey(x, false);
    }
    // Four trees walked side by side: four independent chains of loads for the CPU to overlap. The leaf values
    // are still added in tree order, so every output is the same float sum as XGBoost's.
    long[] splits = this.splits;
    float[] leaves = this.leaves;
    int s = splitsPerTree;
    int l = leavesPerTree;
    int t = 0;
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
        long s0 = splits[b0 + i0];
        long s1 = splits[b1 + i1];
        long s2 = splits[b2 + i2];
        long s3 = splits[b3 + i3];
        i0 = 2 * i0 + 2 - goesLeft(keys[(int) (s0 >>> 32)], (int) s0);
        i1 = 2 * i1 + 2 - goesLeft(keys[(int) (s1 >>> 32)], (int) s1);
        i2 = 2 * i2 + 2 - goesLeft(keys[(int) (s2 >>> 32)], (int) s2);
        i3 = 2 * i3 + 2 - goesLeft(keys[(int) (s3 >>> 32)], (int) s3);
      }
      int leaf0 = t * l - s; // leaf j of tree t is at t * l + j, and the walk ends at i = s + j
      out[outOffset + treeOutput[t]] += leaves[leaf0 + i0];
      out[outOffset + treeOutput[t + 1]] += leaves[leaf0 + l + i1];
      out[outOffset + treeOutput[t + 2]] += leaves[leaf0 + 2 * l + i2];
      out[outOffset + treeOutput[t + 3]] += leaves[leaf0 + 3 * l + i3];
    }
    for (; t < treeCount; t++) {
      int b = t * s;
      int i = 0;
      for (int level = depth; level > 0; level--) {
        long split = splits[b + i];
        i = 2 * i + 2 - goesLeft(keys[(int) (split >>> 32)], (int) split);
      }
      out[outOffset + treeOutput[t]] += leaves[t * l - s + i];
    }
  }

  private float nodeLayoutLeaf(int t, float[] row, int rowOffset) {
    int[] feature = this.feature;
    float[] value = this.value;
    boolean[] defaultLeft = this.defaultLeft;
    int n = treeBase[t];
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
   * non-negative floats keep their bits, negative ones get their magnitude bits flipped. Every non-NaN float
   * maps into {@code [orderedKey(-Infinity), orderedKey(+Infinity)] = [0x807fffff, 0x7f800000]}.
   */
  static int orderedKey(float x) {
    int b = Float.floatToRawIntBits(x);
    return b ^ ((b >> 31) & Integer.MAX_VALUE);
  }

  /**
   * A row value's key in the copy read by splits whose missing values go left ({@code defaultLeft}) or right:
   * its {@link #orderedKey}, and for {@code NaN} the smallest int (less than every threshold key: left) or the
   * largest (less than none: right).
   */
  static int rowKey(float x, boolean defaultLeft) {
    if (x != x) {
      return defaultLeft ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }
    return orderedKey(x);
  }

  /**
   * The key of split condition {@code c} such that {@code orderedKey(x) < key} exactly when {@code x < c} for
   * every non-NaN {@code x}: {@code ±0.0} becomes the key of {@code -0.0} (so that {@code -0.0 < 0.0} stays
   * false), and a NaN condition (nothing is less) {@code MIN_VALUE + 1}, below every non-NaN key but above the
   * key of a missing value that goes left.
   */
  static int thresholdKey(float c) {
    if (Float.isNaN(c)) {
      return Integer.MIN_VALUE + 1;
    }
    return orderedKey(c == 0f ? -0f : c);
  }

  /**
   * 1 when a row key ({@link #rowKey}) is below a {@link #thresholdKey}, i.e. the value goes to the left child,
   * else 0, without a branch. With the row key from the copy of the split's default direction these are the same
   * decisions as XGBoost's {@code GetNextNode}: {@code x < c} for a value, the default direction for NaN.
   */
  static int goesLeft(int rowKey, int thresholdKey) {
    return (int) (((long) rowKey - thresholdKey) >>> 63);
  }

  /** A complete-layout split: the row-key slot of {@code feature} for its default direction, and the key. */
  private long split(int feature, boolean defaultLeft, float condition) {
    long slot = defaultLeft ? feature : featureCount + feature;
    return slot << 32 | (thresholdKey(condition) & 0xffffffffL);
  }

  private static int depth(XgboostJson.Tree tree, int node) {
    int l = tree.left()[node];
    if (l == -1) {
      return 0;
    }
    return 1 + Math.max(depth(tree, l), depth(tree, l + 1));
  }

  /**
   * Writes the subtree of XGBoost node {@code node} of tree {@code t} at complete-layout index {@code i} (splits
   * {@code 0..2^depth-2} in level order, then leaves), padding shallow leaves down.
   */
  private void fillComplete(XgboostJson.Tree tree, int t, int node, int i, int level) {
    int l = tree.left()[node];
    if (level == depth) {
      // A leaf (validated: depth is the deepest leaf's level).
      leaves[t * leavesPerTree + i - splitsPerTree] = tree.splitCondition()[node];
      return;
    }
    long split;
    int next = node;
    int nextRight = node;
    if (l == -1) {
      // A leaf above the full depth: a pass-through whose both subtrees end in this leaf.
      split = split(0, true, 0f);
    } else {
      split = split(tree.splitIndex()[node], tree.defaultLeft()[node], tree.splitCondition()[node]);
      next = l;
      nextRight = l + 1;
    }
    splits[t * splitsPerTree + i] = split;
    fillComplete(tree, t, next, 2 * i + 1, level + 1);
    fillComplete(tree, t, nextRight, 2 * i + 2, level + 1);
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
