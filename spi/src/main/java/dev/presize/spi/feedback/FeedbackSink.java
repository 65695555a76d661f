package dev.presize.spi.feedback;

/**
 * Receives feedback records (to a file, the prediction service, ...).
 *
 * <p><b>Threading.</b> Thread-safe; called off the sampler thread. May buffer; must not block the caller longer
 * than a bounded queue offer. <b>Errors:</b> a record that cannot be kept is counted and dropped with a throttled
 * log, never thrown at the control loop.
 */
public interface FeedbackSink extends AutoCloseable {

  void accept(FeedbackRecord record);

  /** Flushes what is buffered. Idempotent; never throws. */
  @Override
  default void close() {}
}
