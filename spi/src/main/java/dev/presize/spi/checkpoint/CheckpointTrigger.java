package dev.presize.spi.checkpoint;

/** Why a checkpoint was taken. */
public enum CheckpointTrigger {
  /** The adaptive schedule said it was time (may be deferred to a low-contention window). */
  SCHEDULE,
  /** The forecast said the need will exceed what can be had: taken at once, never deferred. */
  CONTENTION,
  /** The function is being stopped. */
  SHUTDOWN
}
