package dev.presize.trainer.simulate;

import dev.presize.core.checkpoint.CrossingFeatures;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;

/**
 * Feeds the steps of a {@link CheckpointJob} and of the series it was made from into {@link CrossingFeatures}, as
 * the live loop feeds its own steps: the job's memory against its capacity, the series' CPU, network and disk
 * (gaps carried forward) and its timestamps. Used to build a crossing model's training rows and by the simulation,
 * so both see the same features.
 */
public final class CrossingInputs {

  private final Series series;
  private final CheckpointJob job;
  private final int first;
  private final double[] cpu;
  private final double[] network;
  private final double[] disk;
  private final CrossingFeatures features;
  private int added;

  /** @param job made from {@code series} ({@link CheckpointJob#of}), whose steps are the series' last ones */
  public CrossingInputs(Series series, CheckpointJob job) {
    if (job.length() > series.length()) {
      throw new IllegalArgumentException(job.id() + ": the job is longer than its series");
    }
    this.series = series;
    this.job = job;
    this.first = series.length() - job.length();
    this.cpu = filled(series, Resource.CPU);
    this.network = filled(series, Resource.NETWORK);
    this.disk = filled(series, Resource.DISK);
    this.features = new CrossingFeatures(series.step());
  }

  /** Adds the job's steps up to and including {@code j} that are not added yet. */
  public void addThrough(int j) {
    double[] m = job.memory();
    for (; added <= j; added++) {
      int t = first + added;
      features.add(series.endMillis(t), m[added], value(cpu, t), value(network, t), value(disk, t),
          job.capacity());
    }
  }

  /** The features for job step {@code j + 1}, with every step up to {@code j} added first. */
  public void featuresAfter(int j, float[] out) {
    addThrough(j);
    features.features(job.capacity(), out);
  }

  private static double value(double[] x, int t) {
    return x == null ? Double.NaN : x[t];
  }

  /** The series' values of {@code r} with gaps carried forward (NaN before the first); null when not measured. */
  static double[] filled(Series s, Resource r) {
    if (!s.has(r)) {
      return null;
    }
    double[] x = s.values(r).clone();
    for (int i = 1; i < x.length; i++) {
      if (Double.isNaN(x[i])) {
        x[i] = x[i - 1];
      }
    }
    return x;
  }
}
