package dev.presize.core.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How long a checkpoint of a function takes to land: from the end of the step whose forecast asked for it until the
 * function's state is safe (and the function stopped, when it is to give way). The contention trigger looks this
 * much further ahead ({@link CheckpointSchedule}), since the need goes on growing meanwhile.
 *
 * <p>The estimate is the longest of the last {@value #KEEP} leads measured, but at most twice their median (the
 * lower one), or the prior before one was: the lead grows with the host's load (the function reaches its next
 * consistent point, writes and fsyncs its state, and is stopped, all on a busy CPU), and a trigger that allowed only
 * for the mean would land too late half the time; the cap keeps one stall (a function held up by something else)
 * from making the trigger fire seconds early for the next {@value #KEEP} checkpoints. On this host it was
 * 170–380 ms idle and 320–700 ms with three busy loops on the two cores.
 *
 * <p>Kept per function in a small file ({@code presize-checkpoint-lead/1}, one lead in nanoseconds per line, oldest
 * first), so a run starts from what earlier runs measured rather than from the prior. Not thread-safe.
 */
public final class LeadEstimate {

  /** Leads remembered: the estimate is the longest of them. */
  public static final int KEEP = 8;
  static final String FORMAT = "presize-checkpoint-lead/1";

  private final Duration prior;
  private final ArrayDeque<Long> leads = new ArrayDeque<>();
  /** Measured since made or loaded, oldest first: what a save adds to the file. */
  private final List<Long> added = new ArrayList<>();
  /** {@link #lead()}, worked out when the leads change (it is read at every decision). */
  private Duration estimate;

  /** @param prior the lead before any was measured */
  public LeadEstimate(Duration prior) {
    this.prior = Objects.requireNonNull(prior, "prior");
    if (prior.isNegative()) {
      throw new IllegalArgumentException("prior must be >= 0, was " + prior);
    }
    this.estimate = prior;
  }

  /** Adds a measured lead. */
  public void observe(long leadNanos) {
    if (leadNanos < 0) {
      throw new IllegalArgumentException("leadNanos must be >= 0, was " + leadNanos);
    }
    remember(leadNanos);
    added.add(leadNanos);
  }

  /** The longest of the last {@value #KEEP} leads measured, at most twice their (lower) median; the prior before. */
  public Duration lead() {
    return estimate;
  }

  /** Leads remembered (at most {@value #KEEP}). */
  public int samples() {
    return leads.size();
  }

  private void remember(long leadNanos) {
    leads.addLast(leadNanos);
    while (leads.size() > KEEP) {
      leads.removeFirst();
    }
    update();
  }

  private void update() {
    if (leads.isEmpty()) {
      estimate = prior;
      return;
    }
    long[] sorted = leads.stream().mapToLong(Long::longValue).sorted().toArray();
    long median = sorted[(sorted.length - 1) / 2];
    long cap = median > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * median;
    estimate = Duration.ofNanos(Math.min(sorted[sorted.length - 1], cap));
  }

  /**
   * The estimate kept in {@code file}, or a fresh one when there is none.
   *
   * @throws IOException when the file cannot be read, is not a lead file, or a line is not a lead
   */
  public static LeadEstimate load(Path file, Duration prior) throws IOException {
    LeadEstimate e = new LeadEstimate(prior);
    read(file, e);
    return e;
  }

  private static void read(Path file, LeadEstimate into) throws IOException {
    LineFiles.read(file, FORMAT, "a checkpoint lead file", "nanoseconds", f -> {
      if (f.length != 1) {
        throw new IllegalArgumentException("one field");
      }
      long v = Long.parseLong(f[0]);
      if (v < 0) {
        throw new IllegalArgumentException("negative");
      }
      into.remember(v);
    });
  }

  /**
   * Writes the estimate to {@code file} atomically: under the file's lock it reads what is there now (another run
   * of the function may have saved since this one loaded) and adds the leads measured since, so no run's
   * measurements are lost; this estimate then holds the merged leads.
   *
   * @throws IOException when the file cannot be read (it is left alone) or written
   */
  public void save(Path file) throws IOException {
    LineFiles.locked(file, () -> {
      LeadEstimate now = new LeadEstimate(prior);
      read(file, now);
      for (long v : added) {
        now.remember(v);
      }
      List<String> lines = new ArrayList<>();
      for (long v : now.leads) {
        lines.add(Long.toString(v));
      }
      LineFiles.write(file, FORMAT, lines);
      leads.clear();
      leads.addAll(now.leads);
      update();
      added.clear();
    });
  }
}
