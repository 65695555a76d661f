package dev.presize.spi.checkpoint;

import dev.presize.spi.PresizeException;

/** A checkpoint could not be taken, stored, read or verified; the message names the function and checkpoint. */
public class CheckpointException extends PresizeException {

  private static final long serialVersionUID = 1L;

  public CheckpointException(String operation, String checkpoint, String message, Throwable cause) {
    super(operation, checkpoint, message, cause);
  }

  public CheckpointException(String operation, String checkpoint, String message) {
    super(operation, checkpoint, message);
  }
}
