package dev.presize.core.checkpoint;

import dev.presize.spi.checkpoint.CheckpointManifest;

/** Told about every durable checkpoint and what it cost, e.g. to feed the schedule's cost estimate. */
@FunctionalInterface
public interface CheckpointListener {

  /**
   * A checkpoint became durable.
   *
   * @param manifest its manifest
   * @param costNanos wall time from the start of the snapshot to the checkpoint being durable
   */
  void taken(CheckpointManifest manifest, long costNanos);

  /** Ignores every checkpoint. */
  static CheckpointListener none() {
    return (m, c) -> { };
  }
}
