package dev.presize.core.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A learned contention profile: 168 buckets, one per hour of the week (UTC, Monday 00:00 is bucket 0), each an
 * exponentially weighted moving average of the host pressure observed in that hour. A bucket never observed is
 * unknown ({@code NaN}). Not thread-safe.
 */
public final class HourOfWeekProfile {

  /** Buckets in a week. */
  public static final int BUCKETS = 168;

  /** The first line of a saved profile. */
  static final String FORMAT = "presize-pressure-profile/1";

  private final double weight;
  private final double[] mean = new double[BUCKETS];
  private final long[] count = new long[BUCKETS];
  /** Each bucket as last read from or written to its file: what this profile's own observations moved it from. */
  private final double[] baseMean = new double[BUCKETS];
  private final long[] baseCount = new long[BUCKETS];

  /** @param weight the weight of a new observation, in (0, 1] */
  public HourOfWeekProfile(double weight) {
    if (!(weight > 0 && weight <= 1)) {
      throw new IllegalArgumentException("weight must be in (0, 1], was " + weight);
    }
    this.weight = weight;
    Arrays.fill(mean, Double.NaN);
    Arrays.fill(baseMean, Double.NaN);
  }

  /** The bucket of an instant: {@code (dayOfWeek - 1) * 24 + hour}, in UTC. */
  public static int bucket(Instant at) {
    ZonedDateTime t = at.atZone(ZoneOffset.UTC);
    return (t.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()) * 24 + t.getHour();
  }

  /** Adds an observation of pressure (percent of time stalled, 0..100) at {@code at}. */
  public void observe(Instant at, double pressurePercent) {
    if (!(pressurePercent >= 0) || Double.isInfinite(pressurePercent)) {
      throw new IllegalArgumentException("pressurePercent must be finite and >= 0, was " + pressurePercent);
    }
    int b = bucket(at);
    mean[b] = count[b] == 0 ? pressurePercent : mean[b] + weight * (pressurePercent - mean[b]);
    count[b]++;
  }

  /** The learned pressure of the hour containing {@code at}, or {@code NaN} if never observed. */
  public double expected(Instant at) {
    return mean[bucket(at)];
  }

  /** Observations in the bucket of {@code at}. */
  public long observations(Instant at) {
    return count[bucket(at)];
  }

  /**
   * The lowest learned pressure among the hours that start after {@code now} and no later than {@code until},
   * with the start of that hour; {@code NaN} pressure when none of them was observed.
   */
  public Window lowestAfter(Instant now, Instant until) {
    Instant hour = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    double best = Double.NaN;
    Instant bestAt = null;
    for (int i = 0; i < BUCKETS && !hour.isAfter(until); i++, hour = hour.plus(1, ChronoUnit.HOURS)) {
      double v = mean[bucket(hour)];
      if (!Double.isNaN(v) && (Double.isNaN(best) || v < best)) {
        best = v;
        bestAt = hour;
      }
    }
    return new Window(bestAt, best);
  }

  /**
   * Writes the profile to {@code file} atomically (temp, fsync, rename): one line per observed hour,
   * {@code bucket mean count}, after a {@code presize-pressure-profile/1} header line. Runs sharing the file may save
   * at once: under an exclusive lock of {@code <file>.lock} the file is read again, and each hour this profile
   * observed since it was loaded moves what is there now by as much as it moved this profile (an hour new to both is
   * their count-weighted mean), so no run's observations are lost; with nobody else writing, that is this profile.
   *
   * @throws IOException when the file cannot be written, or what is there now is not a profile (left as it is)
   */
  public void save(Path file) throws IOException {
    LineFiles.locked(file, () -> {
      HourOfWeekProfile merged = load(file, weight); // what is there now, merged into below
      List<String> records = new ArrayList<>();
      for (int b = 0; b < BUCKETS; b++) {
        long mine = count[b] - baseCount[b];
        long there = merged.count[b];
        if (mine > 0 && (there == baseCount[b] || there == 0)) { // observed here only
          merged.mean[b] = mean[b];
          merged.count[b] = count[b];
        } else if (mine > 0) { // observed here and elsewhere
          merged.mean[b] = baseCount[b] > 0 ? Math.max(0, merged.mean[b] + (mean[b] - baseMean[b]))
              : (merged.mean[b] * there + mean[b] * mine) / (there + mine);
          merged.count[b] = there + mine;
        }
        if (merged.count[b] > 0) {
          records.add(b + " " + merged.mean[b] + " " + merged.count[b]);
        }
      }
      LineFiles.write(file, FORMAT, records);
      // Written: what is in the file now is this profile and the base of its later observations.
      System.arraycopy(merged.mean, 0, mean, 0, BUCKETS);
      System.arraycopy(merged.count, 0, count, 0, BUCKETS);
      System.arraycopy(mean, 0, baseMean, 0, BUCKETS);
      System.arraycopy(count, 0, baseCount, 0, BUCKETS);
    });
  }

  /**
   * The profile saved in {@code file}, learning on with {@code weight}; an empty one when the file does not exist.
   *
   * @throws IOException when the file cannot be read or is not a profile (naming the line)
   */
  public static HourOfWeekProfile load(Path file, double weight) throws IOException {
    HourOfWeekProfile p = new HourOfWeekProfile(weight);
    LineFiles.read(file, FORMAT, "a pressure profile", "bucket mean count", f -> {
      int b = Integer.parseInt(f[0]);
      double m = Double.parseDouble(f[1]);
      long c = Long.parseLong(f[2]);
      if (f.length != 3 || b < 0 || b >= BUCKETS || !(m >= 0) || Double.isInfinite(m) || c <= 0) {
        throw new IllegalArgumentException("out of range");
      }
      p.mean[b] = m;
      p.count[b] = c;
    });
    System.arraycopy(p.mean, 0, p.baseMean, 0, BUCKETS);
    System.arraycopy(p.count, 0, p.baseCount, 0, BUCKETS);
    return p;
  }

  /**
   * A future hour and its learned pressure.
   *
   * @param start the start of the hour, or null when no hour in range was observed
   * @param pressurePercent its learned pressure, or {@code NaN}
   */
  public record Window(Instant start, double pressurePercent) {
  }
}
