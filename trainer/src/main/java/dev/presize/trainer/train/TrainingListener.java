package dev.presize.trainer.train;

import dev.presize.trainer.features.Target;

/** A receiver of training progress; every method has a no-op default. Called on the training thread. */
public interface TrainingListener {

  /** A named stage starts, e.g. {@code building windows}. */
  default void stage(String description) {
  }

  /**
   * Round {@code round} (0-based) of {@code target}'s model is done.
   *
   * @param validationLoss the validation loss (mean pinball loss over the quantiles, in label units)
   * @param bestRound the round with the lowest validation loss so far
   */
  default void round(Target target, int round, int maxRounds, double validationLoss, int bestRound) {
  }

  /** {@code target}'s model is trained (or skipped, with the reason in {@code note}). */
  default void targetDone(Target target, String note) {
  }

  /** The listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {
  };
}
