package dev.presize.trainer.simulate;

/**
 * A checkpoint policy under simulation. At the start of each step it may checkpoint at once and says the
 * interval for routine checkpoints during the step. Sees only the past: the simulator calls it for step {@code i}
 * before step {@code i}'s value is known.
 */
public interface CheckpointPolicy {

  /**
   * The plan for a step.
   *
   * @param checkpointNow take a checkpoint at the start of the step
   * @param intervalSteps the interval between routine checkpoints, in steps ({@code +Infinity} for none)
   */
  record Plan(boolean checkpointNow, double intervalSteps) {
    public Plan {
      if (!(intervalSteps > 0)) {
        throw new IllegalArgumentException("intervalSteps must be > 0, was " + intervalSteps);
      }
    }
  }

  /** Starts a job; called once before its first step. */
  default void start(CheckpointJob job) {
  }

  /** The plan for step {@code step} (values before it are history), the last checkpoint at {@code lastSteps}. */
  Plan plan(int step, double lastSteps);

  /** A fixed interval. */
  static CheckpointPolicy fixed(double intervalSteps) {
    Plan plan = new Plan(false, intervalSteps);
    return (step, last) -> plan;
  }
}
