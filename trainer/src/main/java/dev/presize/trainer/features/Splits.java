package dev.presize.trainer.features;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A splitter of {@link Windows} by series and by time, never by random rows.
 *
 * <p><b>By series</b>: every series id gets a deterministic 64-bit hash of its UTF-8 bytes and {@code seed}; the
 * {@code round(testSeriesFraction * n)} series with the smallest hashes (at least one and at most {@code n - 1} when
 * the fraction is positive and there are two or more series) are held out whole as the test set. The choice
 * depends only on the ids and the seed, not on row order.
 *
 * <p><b>By time</b>: in each remaining series, the last {@code validationTimeFraction} of its rows by time (at
 * least one row when the series has two or more rows and the fraction is positive) are the validation set; they
 * start at the validation start time {@code v} of the series. Training rows are the rows before {@code v} whose
 * target horizon ends no later than {@code v} (the rows whose targets would overlap the validation period are
 * purged), so every validation row is later than every training row of its series and no training label sees the
 * validation period.
 *
 * @param testSeriesFraction the share of series held out as test, in [0, 1)
 * @param validationTimeFraction the later share of each training series' rows held out as validation, in [0, 1)
 * <p><b>By series, for validation too</b> ({@code validationBySeries}): for short invocations (our traces), whose later
 * part is only the wind-down of each run, the validation set is instead {@code validationTimeFraction} of the
 * remaining series, held out whole (chosen by the same hash with {@code seed + 1}), like the test set.
 *
 * @param seed the seed of the series hash
 * @param validationBySeries validate on whole held-out series instead of the later part of each series
 */
public record Splits(double testSeriesFraction, double validationTimeFraction, long seed,
    boolean validationBySeries) {

  /** Splits that validate on the later part of each series' time. */
  public Splits(double testSeriesFraction, double validationTimeFraction, long seed) {
    this(testSeriesFraction, validationTimeFraction, seed, false);
  }

  public Splits {
    if (!(testSeriesFraction >= 0 && testSeriesFraction < 1)) {
      throw new IllegalArgumentException("testSeriesFraction must be in [0, 1), was " + testSeriesFraction);
    }
    if (!(validationTimeFraction >= 0 && validationTimeFraction < 1)) {
      throw new IllegalArgumentException("validationTimeFraction must be in [0, 1), was " + validationTimeFraction);
    }
  }

  /** The ids held out as test among {@code seriesIds}. */
  public Set<String> testSeries(Set<String> seriesIds) {
    List<String> ids = new ArrayList<>(seriesIds);
    ids.sort(Comparator.comparingLong((String id) -> hash(id, seed)).thenComparing(Comparator.naturalOrder()));
    int n = ids.size();
    int k = (int) Math.round(testSeriesFraction * n);
    if (testSeriesFraction > 0 && n >= 2) {
      k = Math.max(1, Math.min(n - 1, k));
    }
    return new HashSet<>(ids.subList(0, k));
  }

  /**
   * The ids of fold {@code fold} of {@code folds} among {@code seriesIds}, for cross-validation: the ids in the order
   * of {@link #testSeries} (by the seeded hash), cut into {@code folds} groups of as equal size as can be; every id is
   * in exactly one fold, and fold 0 is what {@link #testSeries} holds out at a fraction of {@code 1 / folds}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= fold < folds} and {@code folds >= 2}
   */
  public static Set<String> foldSeries(Set<String> seriesIds, long seed, int fold, int folds) {
    if (folds < 2 || fold < 0 || fold >= folds) {
      throw new IllegalArgumentException("fold must be in [0, folds) with folds >= 2, was " + fold + " of " + folds);
    }
    List<String> ids = new ArrayList<>(seriesIds);
    ids.sort(Comparator.comparingLong((String id) -> hash(id, seed)).thenComparing(Comparator.naturalOrder()));
    int n = ids.size();
    return new HashSet<>(ids.subList((int) Math.round((double) fold * n / folds),
        (int) Math.round((double) (fold + 1) * n / folds)));
  }

  /** Splits {@code all} into train, validation and test. */
  public Split split(Windows all) {
    return split(all, testSeries(all.seriesIds()));
  }

  /**
   * Splits {@code all} with the test series already chosen ({@link #testSeries} over every series with rows, which
   * {@code all} need not hold: a trainer skips building the test series' windows). The validation series, when
   * {@link #validationBySeries}, are chosen among the series of {@code all} that are not test.
   */
  public Split split(Windows all, Set<String> test) {
    if (validationBySeries) {
      Set<String> rest = new java.util.LinkedHashSet<>(all.seriesIds());
      rest.removeAll(test);
      Set<String> validation = new Splits(validationTimeFraction, 0, seed + 1).testSeries(rest);
      boolean[] tr = new boolean[all.size()];
      boolean[] va = new boolean[all.size()];
      boolean[] te = new boolean[all.size()];
      for (int i = 0; i < all.size(); i++) {
        String id = all.seriesId(i);
        te[i] = test.contains(id);
        va[i] = !te[i] && validation.contains(id);
        tr[i] = !te[i] && !va[i];
      }
      return new Split(all.select(tr), all.select(va), all.select(te));
    }
    int n = all.size();
    Map<String, long[]> timesBySeries = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(all.seriesId(i), 1, Integer::sum);
    }
    Map<String, Integer> filled = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String id = all.seriesId(i);
      long[] times = timesBySeries.computeIfAbsent(id, k -> new long[counts.get(k)]);
      int j = filled.merge(id, 1, Integer::sum) - 1;
      times[j] = all.timeMillis(i);
    }
    Map<String, Long> validationStart = new HashMap<>();
    for (Map.Entry<String, long[]> e : timesBySeries.entrySet()) {
      long[] times = e.getValue();
      Arrays.sort(times);
      int m = times.length;
      int trainRows = (int) Math.round((1 - validationTimeFraction) * m);
      if (validationTimeFraction > 0 && m >= 2) {
        trainRows = Math.max(1, Math.min(m - 1, trainRows));
      }
      validationStart.put(e.getKey(), trainRows < m ? times[trainRows] : Long.MAX_VALUE);
    }
    boolean[] train = new boolean[n];
    boolean[] validation = new boolean[n];
    boolean[] testRows = new boolean[n];
    for (int i = 0; i < n; i++) {
      String id = all.seriesId(i);
      if (test.contains(id)) {
        testRows[i] = true;
        continue;
      }
      long v = validationStart.get(id);
      if (all.timeMillis(i) >= v) {
        validation[i] = true;
      } else if (all.horizonEndMillis(i) <= v) {
        train[i] = true;
      }
    }
    return new Split(all.select(train), all.select(validation), all.select(testRows));
  }

  /** FNV-1a over the UTF-8 bytes, then SplitMix64 finalization with the seed: stable across JVMs. */
  static long hash(String id, long seed) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    long z = h ^ (seed + 0x9e3779b97f4a7c15L);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
