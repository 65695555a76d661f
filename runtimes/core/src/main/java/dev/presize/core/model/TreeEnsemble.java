package dev.presize.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An XGBoost gradient-boosted tree ensemble evaluated in process, in pure Java: the trees of one XGBoost JSON
 * model in flat primitive arrays, predicting every target bit for bit as XGBoost's own CPU predictor does, with
 * no allocation per call. Immutable and safe to share between threads.
 *
 * <p>Supported: booster {@code gbtree} with numerical splits and one output per tree, objectives
 * {@code reg:squarederror}, {@code reg:absoluteerror} and {@code reg:quantileerror} (identity link, so the raw
 * output is the prediction; a multi-quantile model has one output per quantile), {@code binary:logistic} (one
 * output, the probability) and {@code binary:logitraw} (one output, the margin). Everything else is refused with
 * a {@link ModelFormatException} naming it.
 *
 * <p>Semantics, as in XGBoost's {@code cpu_predictor.cc}: a row's margin {@code k} starts at the base margin
 * {@code k} and every tree whose {@code tree_info} is {@code k} adds its leaf value, in float, in tree order. The
 * base margin is {@code base_score[k]} as saved, except for {@code binary:logistic}, which saves
 * {@code base_score} as a probability and starts from {@code ProbToMargin(base_score)}: clamped to
 * {@code [1e-6f, 1 - 1e-6f]}, then {@code -logf(1.0f / p - 1.0f)} ({@code regression_loss.h}). At a split on
 * feature {@code f} with condition {@code c}, {@code x[f] < c} goes left, a missing value ({@code NaN}) goes to
 * the default child, anything else goes right. Then the objective's prediction transform: none for squared and
 * absolute error and {@code binary:logitraw}; for {@code reg:quantileerror} (XGBoost 3.x,
 * {@code quantile_obj.cc}) the row's outputs are sorted ascending, so output {@code k} is the {@code k}-th
 * smallest margin; for {@code binary:logistic} {@code common::Sigmoid} ({@code math.h}):
 * {@code 1.0f / (expf(min(-x, 88.7f)) + 1.0f + 1e-16f)}, in float.
 *
 * <p>{@code expf} and {@code logf} are those of glibc 2.27 and later (the algorithms of ARM's
 * optimized-routines; XGBoost's Linux build calls them in {@code libm}), transcribed in {@link #expf} and
 * {@link #logf}. Checked once, outside these tests, against glibc 2.36's x86-64 {@code libm} on all 2^32 float
 * inputs: {@link #logf} equals both its SSE2 and its FMA variant everywhere, {@link #expf} equals the SSE2 variant
 * everywhere and the FMA variant at all but 2 inputs, and {@link #sigmoid} equals XGBoost's sigmoid over either
 * variant at every float margin. XGBoost built against another C library (macOS, Windows, glibc before 2.27) may
 * round a few probabilities differently.
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
  /** Where each margin starts: {@code base_score}, or its logit for {@code binary:logistic}. */
  private final float[] baseMargin;
  /** {@code reg:quantileerror}: XGBoost's prediction transform sorts each row's outputs. */
  private final boolean sortOutputs;
  /** {@code binary:logistic}: XGBoost's prediction transform is the sigmoid of each output. */
  private final boolean sigmoidOutputs;

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
    this.sigmoidOutputs = objective.equals("binary:logistic");
    this.baseMargin = new float[outputCount];
    for (int k = 0; k < outputCount; k++) {
      baseMargin[k] = sigmoidOutputs ? probToMargin(baseScore[k]) : baseScore[k];
    }
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
   * crossings never show); for {@code binary:logistic} the output is the probability, the sigmoid of the margin;
   * the other objectives have no transform. No allocation.
   *
   * @throws IllegalArgumentException {@code row} or {@code out} is too short
   */
  public void predict(float[] row, float[] out) {
    checkRow(row, out.length);
    predictRow(row, 0, out, 0, scratch.get().keys);
    transform(out, 0);
  }

  /**
   * Predicts one row's raw margins, as {@code Booster.predict(DMatrix, true)} does: the base margin plus the leaf
   * values, no prediction transform (for {@code binary:logistic}, the log-odds). No allocation.
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
      transform(out, o);
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
    transform(f, 0);
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

  /** The objective's prediction transform of the row of margins at {@code out[from..from + outputCount())}. */
  private void transform(float[] out, int from) {
    if (sortOutputs) {
      sort(out, from, from + outputCount);
    } else if (sigmoidOutputs) {
      for (int k = from; k < from + outputCount; k++) {
        out[k] = sigmoid(out[k]);
      }
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
      out[outOffset + k] = baseMargin[k];
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

  /**
   * XGBoost's {@code common::Sigmoid(float)} ({@code src/common/math.h}), the prediction transform of
   * {@code binary:logistic}: {@code 1.0f / (expf(std::min(-x, 88.7f)) + 1.0f + 1e-16f)}, every step in float
   * (the {@code 1e-16f} never changes a sum that is at least 1, but it is XGBoost's expression). A NaN stays NaN.
   */
  static float sigmoid(float margin) {
    float x = 88.7f < -margin ? 88.7f : -margin; // std::min(a, b) is (b < a) ? b : a
    return 1.0f / (expf(x) + 1.0f + 1e-16f);
  }

  /**
   * XGBoost's {@code LogisticRegression::ProbToMargin} ({@code src/objective/regression_loss.h}): the probability
   * clamped to {@code [kRtEps, 1 - kRtEps]} with {@code kRtEps = 1e-6f}, then
   * {@code common::Logit(p) = -logf(1.0f / p - 1.0f)}, in float (as XGBoost 3.4's binary compiles it).
   */
  static float probToMargin(float probability) {
    float p = probability < 1e-6f ? 1e-6f : probability > 1.0f - 1e-6f ? 1.0f - 1e-6f : probability;
    return -logf(1.0f / p - 1.0f);
  }

  /**
   * {@code 2^(i/32)} as double bits, minus {@code i << 47}, for {@code i = 0..31}: {@link #expf}'s table
   * ({@code __exp2f_data.tab}).
   */
  private static final long[] EXP2F_TABLE = {
      0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
      0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
      0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
      0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
      0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
      0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
      0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
      0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L};
  private static final double EXPF_SHIFT = 0x1.8p+52;
  private static final double EXPF_INV_LN2_N = 0x1.71547652b82fep+0 * 32;
  private static final double EXPF_C0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
  private static final double EXPF_C1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
  private static final double EXPF_C2 = 0x1.62e42ff0c52d6p-1 / 32;

  /**
   * glibc's {@code expf} (2.27 and later, {@code sysdeps/ieee754/flt-32/e_expf.c}), in Java: {@code x * 32/ln 2}
   * split into an integer {@code k} and a remainder {@code r}, {@code 2^(k/32)} from a table and {@code 2^(r/32)}
   * from a cubic, in double, rounded once to float. Its error is up to 0.502 ulp, so it is not always the
   * correctly rounded {@code (float) Math.exp(x)}, which is why it is transcribed here. Written without fused
   * multiply-adds, as glibc's SSE2 variant; the FMA variant, which x86-64 CPUs with FMA run, rounds 2 of the 2^32
   * inputs differently, and no value of {@link #sigmoid}.
   */
  static float expf(float x) {
    int bits = Float.floatToRawIntBits(x);
    int absTop = (bits >>> 20) & 0x7ff;
    if (absTop >= 0x42b) { // |x| >= 88 or NaN
      if (bits == 0xff800000) {
        return 0f;
      }
      if (absTop >= 0x7f8) {
        return x + x; // +Infinity or NaN
      }
      if (x > 0x1.62e42ep6f) {
        return Float.POSITIVE_INFINITY; // overflow
      }
      if (x < -0x1.9fe368p6f) {
        return 0f; // underflow
      }
      if (x < -0x1.9d1d9ep6f) {
        return Float.MIN_VALUE; // may underflow: glibc returns the smallest subnormal
      }
    }
    double xd = x;
    double z = EXPF_INV_LN2_N * xd;
    double kd = z + EXPF_SHIFT; // rounds z to an integer in the low bits
    long ki = Double.doubleToRawLongBits(kd);
    kd -= EXPF_SHIFT;
    double r = z - kd;
    double s = Double.longBitsToDouble(EXP2F_TABLE[(int) (ki & 31)] + (ki << 47));
    double p = EXPF_C0 * r + EXPF_C1;
    double r2 = r * r;
    double y = EXPF_C2 * r + 1;
    y = p * r2 + y;
    return (float) (y * s);
  }

  /** {@link #logf}'s table ({@code __logf_data.tab}): per subinterval {@code 1/c} and {@code log(c)}. */
  private static final double[] LOGF_INV_C = {
      0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
      0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
      0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
      0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1};
  private static final double[] LOGF_LOG_C = {
      -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
      -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
      -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
      0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2};
  private static final double LOGF_LN2 = 0x1.62e42fefa39efp-1;
  private static final double LOGF_A0 = -0x1.00ea348b88334p-2;
  private static final double LOGF_A1 = 0x1.5575b0be00b6ap-2;
  private static final double LOGF_A2 = -0x1.ffffef20a4123p-2;

  /**
   * glibc's {@code logf} (2.27 and later, {@code sysdeps/ieee754/flt-32/e_logf.c}), in Java: {@code x = 2^k z}
   * with {@code z} near one of 16 centres {@code c}, {@code log(x) = k ln 2 + log(c) + log1p(z/c - 1)} with a
   * cubic for {@code log1p}, in double, rounded once to float (up to 0.82 ulp, not always correctly rounded).
   * glibc's SSE2 and FMA variants agree on every float input.
   */
  static float logf(float x) {
    int bits = Float.floatToRawIntBits(x);
    if (bits == 0x3f800000) {
      return 0f;
    }
    if (Integer.compareUnsigned(bits - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
      // x < 0x1p-126 (subnormal, zero or negative), infinite or NaN
      if (bits * 2 == 0) {
        return Float.NEGATIVE_INFINITY;
      }
      if (bits == 0x7f800000) {
        return x;
      }
      if (bits < 0 || Integer.compareUnsigned(bits * 2, 0xff000000) >= 0) {
        return Float.NaN;
      }
      bits = Float.floatToRawIntBits(x * 0x1p23f) - (23 << 23); // normalize a subnormal
    }
    int tmp = bits - 0x3f330000;
    int i = (tmp >>> 19) & 15;
    int k = tmp >> 23;
    double z = Float.intBitsToFloat(bits - (tmp & 0xff800000));
    double r = z * LOGF_INV_C[i] - 1;
    double y0 = LOGF_LOG_C[i] + k * LOGF_LN2;
    double r2 = r * r;
    double y = LOGF_A1 * r + LOGF_A2;
    y = LOGF_A0 * r2 + y;
    y = y * r2 + (y0 + r);
    return (float) y;
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

  /**
   * Each output's {@code base_score} as the model file states it: the starting margin, except for
   * {@code binary:logistic}, where it is a probability and the margin starts at its logit.
   */
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
