package dev.presize.spi.checkpoint;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of checkpoints: state plus manifest, written atomically and verified by checksum on read.
 *
 * <p><b>Threading.</b> Thread-safe; every method may block on I/O. <b>Atomicity.</b> After {@link #put} returns,
 * the checkpoint is durable and complete; a crash during {@code put} leaves either the whole checkpoint or none,
 * never a partial one that {@link #latest} could return. <b>Errors:</b> {@link CheckpointException}.
 */
public interface CheckpointStore {

  /**
   * Stores {@code state} under {@code manifest} (whose size and SHA-256 must match the state, else the put fails
   * and nothing is stored).
   */
  void put(CheckpointManifest manifest, InputStream state);

  /** The newest complete checkpoint of an invocation (highest sequence), if any. */
  Optional<CheckpointManifest> latest(String functionId, String invocationId);

  /** Every complete checkpoint of an invocation, oldest first. */
  List<CheckpointManifest> list(String functionId, String invocationId);

  /**
   * The state of a stored checkpoint. The stream verifies size and SHA-256 as it is read and throws
   * {@link CheckpointException} at its end if they do not match.
   */
  InputStream open(CheckpointManifest manifest);

  /** Removes a checkpoint; absent is not an error. */
  void delete(CheckpointManifest manifest);
}
