package dev.presize.trainer.input;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Resamples timestamped rows onto a regular grid: the rule shared by the public-trace readers.
 *
 * <p>The rule, for rows at times {@code t} (any order) and a step {@code s}:
 * <ol>
 *   <li>rows are sorted by time (stable, so file order decides among equal times);</li>
 *   <li>slot {@code k} is at {@code t0 + k*s}, {@code t0} the earliest time; each row goes to the nearest slot,
 *       {@code round((t - t0) / s)}, so a sample a few seconds early or late lands where it belongs;</li>
 *   <li>when several rows land in one slot (duplicate timestamps, or two samples closer than a step), the
 *       <b>last</b> one (latest time, then latest in the file) wins;</li>
 *   <li>empty slots in a gap of at most {@link #MAX_HELD_STEPS} missing steps hold the value of the slot before
 *       the gap; in a longer gap they are {@code NaN} (missing, not invented).</li>
 * </ol>
 */
final class RegularGrid {

  /** The longest run of missing slots filled by holding the previous value. */
  static final int MAX_HELD_STEPS = 2;

  /** The result: the time of slot 0 and one array per column. */
  record Resampled(long t0, double[][] columns, int duplicates, int heldSlots, int missingSlots) {

    int length() {
      return columns.length == 0 ? 0 : columns[0].length;
    }
  }

  private RegularGrid() {
  }

  /**
   * Resamples {@code rows[c][i]} at {@code times[i]} onto a grid of {@code step} (same unit as times).
   *
   * @param times one time per row, any order
   * @param columns one array per column, each as long as {@code times}
   * @param step the grid step, positive
   */
  static Resampled resample(long[] times, double[][] columns, long step) {
    if (step <= 0) {
      throw new IllegalArgumentException("step must be positive, was " + step);
    }
    int n = times.length;
    int cols = columns.length;
    if (n == 0) {
      return new Resampled(0, new double[cols][0], 0, 0, 0);
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingLong(i -> times[i]));
    long t0 = times[order[0]];
    long last = times[order[n - 1]];
    long slots = Math.round((double) (last - t0) / step) + 1;
    if (slots > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("rows span " + slots + " steps of " + step + ": too many");
    }
    int m = (int) slots;
    double[][] out = new double[cols][m];
    boolean[] filled = new boolean[m];
    int duplicates = 0;
    for (int r = 0; r < n; r++) {
      int i = order[r];
      int k = (int) Math.round((double) (times[i] - t0) / step);
      if (filled[k]) {
        duplicates++;
      }
      filled[k] = true;
      for (int c = 0; c < cols; c++) {
        out[c][k] = columns[c][i];
      }
    }
    int held = 0;
    int missing = 0;
    int k = 0;
    while (k < m) {
      if (filled[k]) {
        k++;
        continue;
      }
      int gapEnd = k;
      while (gapEnd < m && !filled[gapEnd]) {
        gapEnd++;
      }
      int gap = gapEnd - k;
      boolean hold = gap <= MAX_HELD_STEPS;
      for (int j = k; j < gapEnd; j++) {
        for (int c = 0; c < cols; c++) {
          out[c][j] = hold ? out[c][k - 1] : Double.NaN;
        }
      }
      if (hold) {
        held += gap;
      } else {
        missing += gap;
      }
      k = gapEnd;
    }
    return new Resampled(t0, out, duplicates, held, missing);
  }
}
