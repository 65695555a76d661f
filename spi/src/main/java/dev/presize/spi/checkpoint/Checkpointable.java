package dev.presize.spi.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A function that can save and restore its own state, so it can be checkpointed on any JVM and resumed in a new
 * process (with more resources) exactly where it stopped.
 *
 * <p>{@link #snapshot} is called on the checkpointing thread while the function runs; the implementation makes
 * its state consistent (for example at its next safe point) and writes it. {@link #restore} is called before the
 * function resumes, on the thread that will run it.
 */
public interface Checkpointable {

  /** Writes the function's current state; must not close {@code out}. */
  void snapshot(OutputStream out) throws IOException;

  /** Replaces the function's state with one written by {@link #snapshot}; must not close {@code in}. */
  void restore(InputStream in) throws IOException;
}
