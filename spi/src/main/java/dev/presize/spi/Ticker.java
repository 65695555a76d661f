package dev.presize.spi;

/**
 * A source of monotonic nanoseconds, injected wherever Presize measures time so tests can advance a fake one.
 *
 * <p>Only differences between two readings mean anything, as with {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {

  /** The current reading in nanoseconds. Must not allocate; called from hot paths. */
  long read();

  /** The system ticker ({@link System#nanoTime()}). */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** Holder so {@link Ticker#system()} returns a singleton without a capturing lambda. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
