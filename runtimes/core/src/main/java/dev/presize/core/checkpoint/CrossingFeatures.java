package dev.presize.core.checkpoint;

import java.time.Duration;
import java.util.List;

/**
 * The rolling, causal inputs of a crossing model: what the recent steps of a function say about whether its memory
 * need will cross the amount available in the next step. One instance per running function: {@link #add} each
 * step as it ends, then {@link #features} for the next one. Training ({@code presize train-crossing}), the
 * simulation and the live loop all compute the features here, so a model sees the same numbers everywhere.
 *
 * <p>A step is <i>over</i> when its memory was above the amount available at that step, and a <i>crossing</i> when
 * it is over and the step before was not (the event a checkpoint must come before). The features
 * ({@link #NAMES}, in order), for the next step with {@code available} as the limit {@code A}:
 * <ul>
 *   <li>where memory is: {@code m/A}; the headroom {@code A - m} over the standard deviation of the last
 *       {@value #LONG} step changes and over their mean absolute value in the last {@value #SHORT}; the largest
 *       memory of the last {@value #SHORT} and {@value #LONG} steps over {@code A}; the previous step's memory and
 *       the change over three steps over {@code A}; the level's z-score over the last {@value #LONG} steps;</li>
 *   <li>the history of the limit: the share of the last {@value #LONG} steps that were over, steps since the last
 *       over step and since the last crossing, crossings in the last {@value #LONG} and {@value #LONGER} steps,
 *       the function's crossing rate so far (crossings per step that could cross);</li>
 *   <li>the share of the last {@value #LONG} step changes that, added to the memory now, would carry it over
 *       {@code A};</li>
 *   <li>the last change over the standard deviation of the last {@value #LONG} changes; for CPU, network and disk each,
 *       the value now over its largest of the last {@value #LONG} steps, the last change over the standard
 *       deviation of the changes and the level's z-score (jobs that start show in CPU and I/O as their memory
 *       rises);</li>
 *   <li>periodic work, at the wall-clock lags of one hour, one day and one week (as many steps as the step length
 *       gives; missing when the period is not a whole number of steps, when more than {@value #MAX_LAG_STEPS} steps
 *       would be needed (eight hours for the hourly ones), or when it is not yet seen): one day and one week before
 *       the next step, was that step over or a crossing, and its memory (the largest of it and its two neighbours)
 *       over {@code A}; crossings within one step of the same time on each of the last 7 days and their mean memory
 *       over {@code A}; over the last four hours and crossings over the last eight at the same minute, memory one
 *       hour before over {@code A} and the larger of two and three hours before;</li>
 *   <li>the UTC hour of day and day of week of the next step.</li>
 * </ul>
 * A value that cannot be known yet (too few steps, a resource not measured) is {@code NaN}, which the trees take
 * as missing. Not thread-safe; the caller owns one per function and feeds it from one thread.
 */
public final class CrossingFeatures {

  /** The feature schema: changes whenever a feature's meaning or order changes. */
  public static final String SCHEMA = "presize-crossing-features/1";
  /** Short window, in steps. */
  public static final int SHORT = 12;
  /** Long window, in steps. */
  public static final int LONG = 288;
  /** Longer window for crossing counts, in steps. */
  public static final int LONGER = 2016;
  /** The longest periodic lag kept, in steps (a week at one-minute steps). */
  public static final int MAX_LAG_STEPS = 10_080;
  private static final int CAP_STEPS = 20_000;

  /** The feature names, in order. */
  public static final List<String> NAMES = List.of(
      "mem_to_limit", "headroom_over_std_long", "headroom_over_mad_short", "max_short_to_limit",
      "max_long_to_limit", "share_over_long", "steps_since_over", "crossings_long", "crossings_longer",
      "crossing_rate", "empirical_exceedance_long", "mem_change_z", "steps_since_crossing",
      "mem_previous_to_limit", "mem_change_3_to_limit", "mem_level_z",
      "cpu_to_max_long", "cpu_change_z", "cpu_level_z", "net_to_max_long", "net_change_z", "net_level_z",
      "disk_to_max_long", "disk_change_z", "disk_level_z",
      "day_over", "day_crossing", "day_to_limit", "week_over", "week_crossing", "week_to_limit",
      "days_7_crossings", "days_7_mean_to_limit",
      "hour_over_4", "hour_crossings_8", "hour_to_limit", "hours_2_3_to_limit", "hour_of_day", "day_of_week");

  /** How many features. */
  public static final int WIDTH = NAMES.size();

  private final long stepMillis;
  private final int hourLag;
  private final int dayLag;
  private final int weekLag;
  private final int capacity;
  private final int mask;
  private final double[] memory;
  private final double[] cpu;
  private final double[] net;
  private final double[] disk;
  private final boolean[] over;
  private final boolean[] crossing;
  /** Per step, crossings and over steps up to and including it (for window counts in O(1)). */
  private final long[] crossingsTo;
  private final long[] overTo;
  private long steps;
  private long lastOver = Long.MIN_VALUE / 2;
  private long lastCrossing = Long.MIN_VALUE / 2;
  private long crossings;
  private long couldCross;
  private long lastEndMillis;

  /** @param step the length of a step (the decision step of the loop, or the series' sampling step) */
  public CrossingFeatures(Duration step) {
    if (step == null || step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be > 0, was " + step);
    }
    this.stepMillis = Math.max(1, step.toMillis());
    int hour = lag(Duration.ofHours(1), step);
    this.hourLag = hour > 0 && hour * 8L <= MAX_LAG_STEPS ? hour : -1;
    this.dayLag = lag(Duration.ofDays(1), step);
    this.weekLag = lag(Duration.ofDays(7), step);
    int longest = Math.max(LONGER + 1, Math.max(Math.max(hourLag * 8, dayLag), weekLag) + 2);
    this.capacity = Integer.highestOneBit(longest - 1) << 1;
    this.mask = capacity - 1;
    this.memory = new double[capacity];
    this.cpu = new double[capacity];
    this.net = new double[capacity];
    this.disk = new double[capacity];
    this.over = new boolean[capacity];
    this.crossing = new boolean[capacity];
    this.crossingsTo = new long[capacity];
    this.overTo = new long[capacity];
  }

  /** Steps in a wall-clock period, or -1 when the period is not a whole number of steps or longer than kept. */
  private static int lag(Duration period, Duration step) {
    long stepNanos = step.toNanos();
    long periodNanos = period.toNanos();
    if (periodNanos % stepNanos != 0 || periodNanos / stepNanos > MAX_LAG_STEPS) {
      return -1;
    }
    return (int) (periodNanos / stepNanos);
  }

  /** Steps added so far. */
  public long steps() {
    return steps;
  }

  /**
   * Adds a step that has ended.
   *
   * @param endEpochMillis when it ended (for the hour of day of the next step)
   * @param memoryBytes the step's memory need (its peak, or the series' value)
   * @param cpuCores CPU used, {@code NaN} when not measured (any unit, as long as it is always the same)
   * @param networkBytesPerSecond network throughput, {@code NaN} when not measured
   * @param diskBytesPerSecond disk throughput, {@code NaN} when not measured
   * @param availableBytes what the function could have had in the step: above it, the step was over
   */
  public void add(long endEpochMillis, double memoryBytes, double cpuCores, double networkBytesPerSecond,
      double diskBytesPerSecond, double availableBytes) {
    if (!(memoryBytes >= 0) || Double.isInfinite(memoryBytes)) {
      throw new IllegalArgumentException("memoryBytes must be a finite number >= 0, was " + memoryBytes);
    }
    if (!(availableBytes > 0)) {
      throw new IllegalArgumentException("availableBytes must be > 0, was " + availableBytes);
    }
    int i = (int) (steps & mask);
    boolean isOver = memoryBytes > availableBytes;
    boolean prevOver = steps > 0 && over[(int) ((steps - 1) & mask)];
    boolean isCrossing = steps > 0 && isOver && !prevOver;
    if (steps > 0 && !prevOver) {
      couldCross++;
    }
    memory[i] = memoryBytes;
    cpu[i] = cpuCores;
    net[i] = networkBytesPerSecond;
    disk[i] = diskBytesPerSecond;
    over[i] = isOver;
    crossing[i] = isCrossing;
    long before = steps == 0 ? 0 : crossingsTo[(int) ((steps - 1) & mask)];
    long overBefore = steps == 0 ? 0 : overTo[(int) ((steps - 1) & mask)];
    crossingsTo[i] = before + (isCrossing ? 1 : 0);
    overTo[i] = overBefore + (isOver ? 1 : 0);
    if (isOver) {
      lastOver = steps;
    }
    if (isCrossing) {
      lastCrossing = steps;
      crossings++;
    }
    lastEndMillis = endEpochMillis;
    steps++;
  }

  /**
   * Writes the features for the next step into {@code out} ({@link #WIDTH} values), with {@code availableBytes} the
   * amount the next step may use. Needs at least one step added.
   */
  public void features(double availableBytes, float[] out) {
    if (steps == 0) {
      throw new IllegalStateException("no step added yet");
    }
    if (!(availableBytes > 0)) {
      throw new IllegalArgumentException("availableBytes must be > 0, was " + availableBytes);
    }
    if (out.length < WIDTH) {
      throw new IllegalArgumentException("out holds " + out.length + " values, needs " + WIDTH);
    }
    double a = availableBytes;
    long j = steps - 1;
    double cur = memory[at(j)];
    double tiny = 1e-9 * Math.max(a, 1);
    // one pass over the long window of memory: max, change std, mean |change| (short), empirical exceedance
    double maxShort = cur;
    double maxLong = cur;
    double sum = 0;
    double sumSq = 0;
    int changes = 0;
    double absShort = 0;
    int shortChanges = 0;
    int exceed = 0;
    double levelSum = 0;
    double levelSumSq = 0;
    long from = Math.max(0, j - LONG + 1);
    for (long q = j; q >= from; q--) {
      double v = memory[at(q)];
      levelSum += v;
      levelSumSq += v * v;
      maxLong = Math.max(maxLong, v);
      if (q > j - SHORT) {
        maxShort = Math.max(maxShort, v);
      }
      if (q >= 1) {
        double d = v - memory[at(q - 1)];
        sum += d;
        sumSq += d * d;
        changes++;
        if (q > j - SHORT) {
          absShort += Math.abs(d);
          shortChanges++;
        }
        if (cur + d > a) {
          exceed++;
        }
      }
    }
    double std = changes < 2 ? Double.NaN : Math.sqrt(Math.max(0, sumSq / changes - (sum / changes) * (sum / changes)));
    double mad = shortChanges == 0 ? Double.NaN : absShort / shortChanges;
    int c = 0;
    out[c++] = (float) (cur / a);
    out[c++] = (float) ((a - cur) / (std + tiny));
    out[c++] = (float) ((a - cur) / (mad + tiny));
    out[c++] = (float) (maxShort / a);
    out[c++] = (float) (maxLong / a);
    out[c++] = (float) (count(overTo, j, LONG)) / (j - from + 1);
    out[c++] = (float) Math.min(j - lastOver, CAP_STEPS);
    out[c++] = count(crossingsTo, j, LONG);
    out[c++] = count(crossingsTo, j, LONGER);
    out[c++] = couldCross == 0 ? Float.NaN : (float) crossings / couldCross;
    out[c++] = changes == 0 ? Float.NaN : (float) exceed / changes;
    out[c++] = j >= 1 ? (float) ((cur - memory[at(j - 1)]) / (std + tiny)) : Float.NaN;
    out[c++] = (float) Math.min(j - lastCrossing, CAP_STEPS);
    out[c++] = j >= 1 ? (float) (memory[at(j - 1)] / a) : Float.NaN;
    out[c++] = j >= 3 ? (float) ((cur - memory[at(j - 3)]) / a) : Float.NaN;
    long levels = j - from + 1;
    double levelMean = levelSum / levels;
    double levelStd = Math.sqrt(Math.max(0, levelSumSq / levels - levelMean * levelMean));
    out[c++] = levels < 2 ? Float.NaN : (float) ((cur - levelMean) / (levelStd + tiny));
    c = other(cpu, j, out, c);
    c = other(net, j, out, c);
    c = other(disk, j, out, c);
    long next = j + 1;
    c = periodic(dayLag, next, a, out, c);
    c = periodic(weekLag, next, a, out, c);
    if (dayLag > 0 && next - dayLag >= 1) {
      int dayCross = 0;
      double daySum = 0;
      int days = 0;
      for (int k = 1; k <= 7; k++) {
        long q = next - (long) dayLag * k;
        if (q < 1 || q + 1 > j || q - 1 <= j - capacity) {
          break;
        }
        dayCross += crossing[at(q - 1)] || crossing[at(q)] || crossing[at(q + 1)] ? 1 : 0;
        daySum += memory[at(q)];
        days++;
      }
      out[c++] = days == 0 ? Float.NaN : dayCross;
      out[c++] = days == 0 ? Float.NaN : (float) (daySum / days / a);
    } else {
      out[c++] = Float.NaN;
      out[c++] = Float.NaN;
    }
    if (hourLag > 0 && next - hourLag >= 0) {
      int hOver = 0;
      int hCross = 0;
      for (int k = 1; k <= 8; k++) {
        long q = next - (long) hourLag * k;
        if (q >= 0 && q > j - capacity) {
          hOver += k <= 4 && over[at(q)] ? 1 : 0;
          hCross += crossing[at(q)] ? 1 : 0;
        }
      }
      out[c++] = hOver;
      out[c++] = hCross;
      out[c++] = (float) (memory[at(next - hourLag)] / a);
      long q2 = next - 2L * hourLag;
      long q3 = next - 3L * hourLag;
      out[c++] = q3 >= 0 ? (float) (Math.max(memory[at(q2)], memory[at(q3)]) / a) : Float.NaN;
    } else {
      for (int k = 0; k < 4; k++) {
        out[c++] = Float.NaN;
      }
    }
    // UTC clock of the next step without allocating: 1970-01-01 was a Thursday (ISO day 4)
    long nextMillis = lastEndMillis + stepMillis;
    long minuteOfDay = Math.floorMod(Math.floorDiv(nextMillis, 60_000L), 1440L);
    out[c++] = (float) (minuteOfDay / 60) + (minuteOfDay % 60) / 60f;
    out[c++] = Math.floorMod(Math.floorDiv(nextMillis, 86_400_000L) + 3, 7L) + 1;
    assert c == WIDTH : c;
  }

  private int at(long step) {
    return (int) (step & mask);
  }

  /** Events in the last {@code k} steps up to {@code j}, from the running totals. */
  private long count(long[] totals, long j, int k) {
    long before = j - k;
    return totals[at(j)] - (before < 0 ? 0 : totals[at(before)]);
  }

  private int other(double[] x, long j, float[] out, int c) {
    double v = x[at(j)];
    if (Double.isNaN(v)) {
      out[c++] = Float.NaN;
      out[c++] = Float.NaN;
      out[c++] = Float.NaN;
      return c;
    }
    double mx = Double.NaN;
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    double lsum = 0;
    double lsumSq = 0;
    int ln = 0;
    long from = Math.max(0, j - LONG + 1);
    for (long q = j; q >= from; q--) {
      double xv = x[at(q)];
      if (!Double.isNaN(xv) && (Double.isNaN(mx) || xv > mx)) {
        mx = xv;
      }
      if (!Double.isNaN(xv)) {
        lsum += xv;
        lsumSq += xv * xv;
        ln++;
      }
      if (q >= 1) {
        double d = xv - x[at(q - 1)];
        if (!Double.isNaN(d)) {
          sum += d;
          sumSq += d * d;
          n++;
        }
      }
    }
    double std = n < 2 ? Double.NaN : Math.sqrt(Math.max(0, sumSq / n - (sum / n) * (sum / n)));
    out[c++] = mx > 0 ? (float) (v / mx) : Float.NaN;
    double prev = j >= 1 ? x[at(j - 1)] : Double.NaN;
    out[c++] = Double.isNaN(prev) ? Float.NaN : (float) ((v - prev) / (std + 1e-12));
    double lmean = ln == 0 ? Double.NaN : lsum / ln;
    double lstd = ln < 2 ? Double.NaN : Math.sqrt(Math.max(0, lsumSq / ln - lmean * lmean));
    out[c++] = ln < 2 ? Float.NaN : (float) ((v - lmean) / (lstd + 1e-12));
    return c;
  }

  /** Over, crossing and memory-to-limit of the step one period before {@code next}, or three missing values. */
  private int periodic(int lag, long next, double a, float[] out, int c) {
    long q = next - lag;
    if (lag <= 0 || q < 0) {
      out[c++] = Float.NaN;
      out[c++] = Float.NaN;
      out[c++] = Float.NaN;
      return c;
    }
    out[c++] = over[at(q)] ? 1 : 0;
    out[c++] = crossing[at(q)] ? 1 : 0;
    double m = memory[at(q)];
    if (q >= 1) {
      m = Math.max(m, memory[at(q - 1)]);
    }
    if (q + 1 <= next - 1) {
      m = Math.max(m, memory[at(q + 1)]);
    }
    out[c++] = (float) (m / a);
    return c;
  }
}
