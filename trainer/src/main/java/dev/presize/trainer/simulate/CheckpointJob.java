package dev.presize.trainer.simulate;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One series turned into a job that can fail: its memory per step (gaps filled with the last value), the capacity
 * it runs under, and the steps where it fails.
 *
 * <p><b>Failure model.</b> The capacity is a fixed share of the node the job may use; here the
 * {@code capacityQuantile} of the series' own memory over its whole length (a stand-in for a node-share limit
 * that the job exceeds now and then; the schedule under test sees the capacity, as a runtime knows its limit,
 * but never the future). A failure happens at step {@code i} when memory crosses the capacity upwards
 * ({@code m[i] > cap >= m[i-1]}): the job is killed mid-step (at {@code i + 0.5}), restarts from its last
 * checkpoint with more memory, and so stays alive while over the capacity; the next failure needs a new crossing.
 * The job dies at a point within the step drawn uniformly from a generator seeded by the series id (so runs are
 * reproducible, and no fixed interval gains from being in phase with the step grid).
 *
 * @param id the series id
 * @param memory memory per step, gaps filled
 * @param capacity the capacity
 * @param fails whether step {@code i} has a failure
 * @param failureOffset where in step {@code i} the failure happens, in [0, 1), when it has one
 * @param failures how many failures in total, after the history
 * @param history how many steps at the start are history: known before the job runs (the sizing period its
 *     capacity was set from), played to a policy so it starts warm, never scored ({@link #withHistory})
 */
public record CheckpointJob(String id, double[] memory, double capacity, boolean[] fails, double[] failureOffset,
    int failures, int history) {

  public CheckpointJob {
    Objects.requireNonNull(id, "id");
    if (memory.length != fails.length) {
      throw new IllegalArgumentException(id + ": memory and fails differ in length");
    }
    if (history < 0 || history >= memory.length) {
      throw new IllegalArgumentException(id + ": history must be in [0, " + memory.length + "), was " + history);
    }
  }

  /** A job without history. */
  public CheckpointJob(String id, double[] memory, double capacity, boolean[] fails, double[] failureOffset,
      int failures) {
    this(id, memory, capacity, fails, failureOffset, failures, 0);
  }

  /** Steps in the job. */
  public int length() {
    return memory.length;
  }

  /** The job of a series, or empty when it has no memory or fewer than 2 known values. */
  public static Optional<CheckpointJob> of(Series s, double capacityQuantile) {
    return of(s, capacityQuantile, 0);
  }

  /**
   * The job of a series whose capacity is known before it runs: the {@code capacityQuantile} of its first
   * {@code sizingSteps} known values (a sizing period, as a limit would be set from what was seen), and the job is
   * the rest of the series, so the capacity knows nothing of the steps played. {@code sizingSteps = 0} is
   * {@link #of(Series, double)}: the quantile over the whole length. Empty when no memory, or fewer than 2 known
   * values are left after the sizing period.
   */
  public static Optional<CheckpointJob> of(Series s, double capacityQuantile, int sizingSteps) {
    return make(s, capacityQuantile, sizingSteps, false);
  }

  /**
   * {@link #of(Series, double, int)} with the sizing period kept in front as {@link #history}: a policy plays it
   * first (its features, forecast and calibration warm from it, as a function with a week behind it would have them),
   * and only the steps after it are scored. Those steps, their failures and failure points are exactly the ones of
   * {@link #of(Series, double, int)} (the first of them cannot fail there, so it does not here either); the history's
   * own crossings of the capacity are marked, for a policy to learn from. {@code sizingSteps = 0}: no history.
   */
  public static Optional<CheckpointJob> withHistory(Series s, double capacityQuantile, int sizingSteps) {
    return make(s, capacityQuantile, sizingSteps, true);
  }

  private static Optional<CheckpointJob> make(Series s, double capacityQuantile, int sizingSteps,
      boolean keepHistory) {
    double[] filled = filled(s, capacityQuantile, sizingSteps);
    if (filled == null) {
      return Optional.empty();
    }
    double[] sorted = sizingSteps == 0 ? filled.clone() : Arrays.copyOf(filled, sizingSteps);
    Arrays.sort(sorted);
    double cap = quantile(sorted, capacityQuantile);
    int h = keepHistory ? sizingSteps : 0;
    double[] m = keepHistory || sizingSteps == 0 ? filled : Arrays.copyOfRange(filled, sizingSteps, filled.length);
    boolean[] fails = new boolean[m.length];
    double[] offset = new double[m.length];
    for (int i = 1; i < h; i++) { // the history: its crossings, never scored
      fails[i] = m[i] > cap && m[i - 1] <= cap;
      offset[i] = 0.5;
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(s.id().hashCode());
    int failures = 0;
    for (int i = h + 1; i < m.length; i++) { // the played steps, the first of which cannot fail
      offset[i] = random.nextDouble();
      if (m[i] > cap && m[i - 1] <= cap) {
        fails[i] = true;
        failures++;
      }
    }
    return Optional.of(new CheckpointJob(s.id(), m, cap, fails, offset, failures, h));
  }

  /** The series' memory from its first known value on, gaps carried forward; null when no job can be made. */
  private static double[] filled(Series s, double capacityQuantile, int sizingSteps) {
    if (!(capacityQuantile > 0 && capacityQuantile < 1)) {
      throw new IllegalArgumentException("capacityQuantile must be in (0, 1), was " + capacityQuantile);
    }
    if (sizingSteps < 0) {
      throw new IllegalArgumentException("sizingSteps must be >= 0, was " + sizingSteps);
    }
    if (!s.has(Resource.MEMORY)) {
      return null;
    }
    double[] raw = s.values(Resource.MEMORY);
    int first = 0;
    while (first < raw.length && Double.isNaN(raw[first])) {
      first++;
    }
    if (raw.length - first < 2) {
      return null;
    }
    double[] filled = Arrays.copyOfRange(raw, first, raw.length);
    for (int i = 1; i < filled.length; i++) {
      if (Double.isNaN(filled[i])) {
        filled[i] = filled[i - 1];
      }
    }
    return filled.length - sizingSteps < 2 ? null : filled;
  }

  /** The {@code q}-quantile of sorted values, linear between order statistics (type 7). */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
