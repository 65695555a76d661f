package dev.presize.trainer.simulate;

/**
 * Replays a {@link CheckpointJob} under a {@link CheckpointPolicy} and adds up the waste: work lost at failures
 * (time since the last checkpoint or restart) and checkpoint overhead (C per checkpoint). Time is in steps; the
 * first-order model of Young and Daly (a checkpoint or restart does not stretch the timeline).
 */
public final class CheckpointSimulator {

  private CheckpointSimulator() {
  }

  /**
   * The waste of one run.
   *
   * @param lostSteps work lost at failures
   * @param checkpoints checkpoints taken
   * @param overheadSteps {@code checkpoints * C}
   */
  public record Waste(double lostSteps, long checkpoints, double overheadSteps) {
    public double totalSteps() {
      return lostSteps + overheadSteps;
    }

    public Waste plus(Waste o) {
      return new Waste(lostSteps + o.lostSteps, checkpoints + o.checkpoints, overheadSteps + o.overheadSteps);
    }

    public static Waste zero() {
      return new Waste(0, 0, 0);
    }
  }

  /**
   * Runs {@code job} under {@code policy} with a checkpoint cost of {@code costSteps}, counting the waste after the
   * job's {@link CheckpointJob#history}.
   */
  public static Waste run(CheckpointJob job, CheckpointPolicy policy, double costSteps) {
    return run(job, policy, costSteps, job.history());
  }

  /**
   * Runs {@code job} under {@code policy} and counts the waste from step {@code countFrom} on: the steps before
   * are played to the policy as history (it plans them and learns from them), but the job starts at
   * {@code countFrom}, with nothing to lose and no checkpoint yet.
   */
  public static Waste run(CheckpointJob job, CheckpointPolicy policy, double costSteps, int countFrom) {
    if (countFrom < job.history() || countFrom > job.length()) {
      throw new IllegalArgumentException("countFrom must be in [" + job.history() + ", " + job.length()
          + "] (after the job's history), was " + countFrom);
    }
    policy.start(job);
    for (int i = 0; i < countFrom; i++) {
      policy.plan(i, i);
    }
    double last = countFrom;
    long checkpoints = 0;
    double lost = 0;
    for (int i = countFrom; i < job.length(); i++) {
      CheckpointPolicy.Plan p = policy.plan(i, last);
      double t = p.intervalSteps();
      if ((p.checkpointNow() || last + t < i) && last < i) {
        // Asked now, or overdue because the interval just shrank: one checkpoint now, none back in the past.
        checkpoints++;
        last = i;
      }
      if (job.fails()[i]) {
        double failure = i + job.failureOffset()[i];
        while (last + t <= failure) {
          last += t;
          checkpoints++;
        }
        lost += failure - last;
        last = failure; // restarted from the checkpoint: work since then is redone, counted once above
      }
      while (last + t < i + 1) {
        last += t;
        checkpoints++;
      }
    }
    return new Waste(lost, checkpoints, checkpoints * costSteps);
  }
}
