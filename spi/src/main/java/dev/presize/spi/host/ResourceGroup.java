package dev.presize.spi.host;

import java.util.List;
import java.util.Map;

/**
 * A group on this host in which processes run with limits (a cgroup), created for one function invocation.
 *
 * <p>Thread-safe. {@link #close} removes the group once its processes have gone.
 */
public interface ResourceGroup extends AutoCloseable {

  /** The group's name, unique on the host. */
  String name();

  /** The group's path per controller relative to that controller's mount; v2 uses the key {@code ""}. */
  Map<String, String> cgroupPaths();

  /**
   * {@code command} prefixed so that the process joins this group before it execs (so everything it forks is
   * inside from the first instruction).
   */
  List<String> wrap(List<String> command);

  /**
   * The ids of the processes in the group now (for example those a command left running after it exited).
   *
   * @throws java.io.UncheckedIOException when the group cannot be read
   */
  List<Long> processes();

  /** The limits in force as the host reports them, e.g. {@code memory.limit=2147483648}, for trace headers. */
  Map<String, String> limitsInForce();

  /** Removes the group (waiting briefly for its processes to leave). Idempotent; never throws. */
  @Override
  void close();
}
