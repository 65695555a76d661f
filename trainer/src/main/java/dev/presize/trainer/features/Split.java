package dev.presize.trainer.features;

import java.util.Objects;

/**
 * The three parts of a dataset split by series and by time.
 *
 * @param train the earlier rows of the training series
 * @param validation the later rows of the training series (for early stopping); each later than every training row
 *     of its series
 * @param test every row of the held-out series, none of which appears in {@code train} or {@code validation}
 */
public record Split(Windows train, Windows validation, Windows test) {

  public Split {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
  }
}
