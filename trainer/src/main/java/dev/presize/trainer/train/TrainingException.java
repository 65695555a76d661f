package dev.presize.trainer.train;

/** Training could not produce a model: too little data, or XGBoost failed; the message says which and why. */
public class TrainingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TrainingException(String message) {
    super(message);
  }

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
