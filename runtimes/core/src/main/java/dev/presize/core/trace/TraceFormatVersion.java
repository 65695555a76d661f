package dev.presize.core.trace;

/**
 * A version of the trace format: a major that readers must know and a minor of backward-compatible additions.
 *
 * <p>A reader refuses a major it does not know; within a major it reads any minor, ignoring header keys and
 * skipping chunk types that it does not know. Additions that old readers can safely ignore bump the minor;
 * anything else bumps the major.
 *
 * @param major incompatible layout generation, 1 or more
 * @param minor backward-compatible additions within the major, 0 or more
 */
public record TraceFormatVersion(int major, int minor) {

  /** The version this code writes and the newest major it reads. */
  public static final TraceFormatVersion CURRENT = new TraceFormatVersion(1, 0);

  public TraceFormatVersion {
    if (major < 1 || major > 0xFFFF) {
      throw new IllegalArgumentException("major must be in [1, 65535] but was " + major);
    }
    if (minor < 0 || minor > 0xFFFF) {
      throw new IllegalArgumentException("minor must be in [0, 65535] but was " + minor);
    }
  }

  /** Whether a reader of {@link #CURRENT} can read a trace of this version. */
  public boolean readable() {
    return major == CURRENT.major;
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
