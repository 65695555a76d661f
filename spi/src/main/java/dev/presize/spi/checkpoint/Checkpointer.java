package dev.presize.spi.checkpoint;

/**
 * Takes a checkpoint of a running function: a whole-JVM checkpoint (CRaC) or the function's own state
 * ({@link Checkpointable}) written to a {@link CheckpointStore}.
 *
 * <p><b>Threading.</b> Called on the checkpoint thread, never on the sampler thread; blocks until the
 * checkpoint is durable. <b>Errors:</b> {@link CheckpointException} naming the function and cause; the function
 * keeps running and the previous checkpoint stays valid.
 */
public interface Checkpointer {

  /** Takes the checkpoint and returns its manifest once it is durable. */
  CheckpointManifest checkpoint(CheckpointRequest request);
}
