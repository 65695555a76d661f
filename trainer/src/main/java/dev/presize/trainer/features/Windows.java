package dev.presize.trainer.features;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A table of training rows ("windows"): the features at a step {@code t} of a series and the {@link Target}s over
 * {@code (t, t+H]}, with the series id and times each row came from (for splits by series and time).
 *
 * <p>Stored column-wise in primitive arrays: {@code features} row-major ({@code size() x width()}), {@code targets}
 * row-major ({@code size() x Target.values().length}, in {@link Target} order). Immutable: accessors return
 * values, not the arrays.
 */
public final class Windows {

  private final FeatureSchema schema;
  private final int horizonSteps;
  private final int size;
  private final float[] features;
  private final float[] targets;
  private final String[] seriesIds;
  private final int[] steps;
  private final long[] timeMillis;
  private final long[] horizonEndMillis;

  Windows(FeatureSchema schema, int horizonSteps, int size, float[] features, float[] targets, String[] seriesIds,
      int[] steps, long[] timeMillis, long[] horizonEndMillis) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.horizonSteps = horizonSteps;
    this.size = size;
    this.features = features;
    this.targets = targets;
    this.seriesIds = seriesIds;
    this.steps = steps;
    this.timeMillis = timeMillis;
    this.horizonEndMillis = horizonEndMillis;
  }

  /** The schema of the feature columns. */
  public FeatureSchema schema() {
    return schema;
  }

  /** The horizon H in steps of the targets. */
  public int horizonSteps() {
    return horizonSteps;
  }

  /** Number of rows. */
  public int size() {
    return size;
  }

  /** Number of feature columns. */
  public int width() {
    return schema.size();
  }

  /** Feature {@code column} of {@code row}. */
  public float feature(int row, int column) {
    Objects.checkIndex(row, size);
    Objects.checkIndex(column, width());
    return features[row * width() + column];
  }

  /** Copies the features of {@code row} into {@code dst} at {@code offset}. */
  public void copyFeatures(int row, float[] dst, int offset) {
    System.arraycopy(features, row * width(), dst, offset, width());
  }

  /** The features of {@code row} (a copy). */
  public float[] features(int row) {
    Objects.checkIndex(row, size);
    return Arrays.copyOfRange(features, row * width(), (row + 1) * width());
  }

  /** The value of {@code target} for {@code row}; NaN when the resource is absent or missing over the horizon. */
  public float target(int row, Target target) {
    Objects.checkIndex(row, size);
    return targets[row * Target.values().length + target.ordinal()];
  }

  /** The id of the series {@code row} came from. */
  public String seriesId(int row) {
    Objects.checkIndex(row, size);
    return seriesIds[row];
  }

  /** The step t of its series that {@code row} was featurized at. */
  public int step(int row) {
    Objects.checkIndex(row, size);
    return steps[row];
  }

  /** Epoch milliseconds at the end of step t: the decision time of {@code row}. */
  public long timeMillis(int row) {
    Objects.checkIndex(row, size);
    return timeMillis[row];
  }

  /** Epoch milliseconds at the end of step t+H: when the horizon of {@code row}'s targets ends. */
  public long horizonEndMillis(int row) {
    Objects.checkIndex(row, size);
    return horizonEndMillis[row];
  }

  /** The distinct series ids, in row order. */
  public Set<String> seriesIds() {
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      out.add(seriesIds[i]);
    }
    return out;
  }

  /** The features row-major as one array (a copy), e.g. for a DMatrix. */
  public float[] featureMatrix() {
    return Arrays.copyOf(features, size * width());
  }

  /** The values of {@code target} for every row (a copy). */
  public float[] targetColumn(Target target) {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = targets[i * Target.values().length + target.ordinal()];
    }
    return out;
  }

  /** The rows {@code rows} of this table, in that order. */
  public Windows select(int[] rows) {
    int w = width();
    int nt = Target.values().length;
    Builder b = new Builder(schema, horizonSteps, rows.length);
    for (int row : rows) {
      Objects.checkIndex(row, size);
      b.add(features, row * w, targets, row * nt, seriesIds[row], steps[row], timeMillis[row],
          horizonEndMillis[row]);
    }
    return b.build();
  }

  /** The rows where {@code keep} is true. */
  Windows select(boolean[] keep) {
    int n = 0;
    for (boolean k : keep) {
      n += k ? 1 : 0;
    }
    int[] rows = new int[n];
    for (int i = 0, j = 0; i < size; i++) {
      if (keep[i]) {
        rows[j++] = i;
      }
    }
    return select(rows);
  }

  /** The concatenation of tables with the same schema and horizon. */
  public static Windows concat(FeatureSchema schema, int horizonSteps, List<Windows> parts) {
    int total = 0;
    for (Windows p : parts) {
      if (!p.schema.equals(schema) || p.horizonSteps != horizonSteps) {
        throw new IllegalArgumentException("cannot concatenate windows of " + p.schema.id() + " H=" + p.horizonSteps
            + " with " + schema.id() + " H=" + horizonSteps);
      }
      total += p.size;
    }
    Builder b = new Builder(schema, horizonSteps, total);
    int nt = Target.values().length;
    for (Windows p : parts) {
      for (int i = 0; i < p.size; i++) {
        b.add(p.features, i * p.width(), p.targets, i * nt, p.seriesIds[i], p.steps[i], p.timeMillis[i],
            p.horizonEndMillis[i]);
      }
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "Windows[" + size + " rows x " + width() + " features, H=" + horizonSteps + ", " + schema.id() + "]";
  }

  /** A growable table, filled row by row. */
  static final class Builder {
    private final FeatureSchema schema;
    private final int horizonSteps;
    private final int width;
    private final int nt = Target.values().length;
    private int size;
    private float[] features;
    private float[] targets;
    private String[] seriesIds;
    private int[] steps;
    private long[] timeMillis;
    private long[] horizonEndMillis;

    Builder(FeatureSchema schema, int horizonSteps, int capacity) {
      this.schema = schema;
      this.horizonSteps = horizonSteps;
      this.width = schema.size();
      int c = Math.max(capacity, 16);
      features = new float[c * width];
      targets = new float[c * nt];
      seriesIds = new String[c];
      steps = new int[c];
      timeMillis = new long[c];
      horizonEndMillis = new long[c];
    }

    int size() {
      return size;
    }

    void add(float[] f, int fOffset, float[] t, int tOffset, String seriesId, int step, long time, long horizonEnd) {
      if (size == steps.length) {
        int c = Math.toIntExact(Math.min((long) size * 2, Integer.MAX_VALUE / Math.max(width, nt)));
        if (c <= size) {
          throw new IllegalStateException("too many windows for one table: " + size);
        }
        features = Arrays.copyOf(features, c * width);
        targets = Arrays.copyOf(targets, c * nt);
        seriesIds = Arrays.copyOf(seriesIds, c);
        steps = Arrays.copyOf(steps, c);
        timeMillis = Arrays.copyOf(timeMillis, c);
        horizonEndMillis = Arrays.copyOf(horizonEndMillis, c);
      }
      System.arraycopy(f, fOffset, features, size * width, width);
      System.arraycopy(t, tOffset, targets, size * nt, nt);
      seriesIds[size] = seriesId;
      steps[size] = step;
      timeMillis[size] = time;
      horizonEndMillis[size] = horizonEnd;
      size++;
    }

    Windows build() {
      return new Windows(schema, horizonSteps, size, features, targets, seriesIds, steps, timeMillis,
          horizonEndMillis);
    }
  }
}
