package dev.presize.spi.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is sampled: a process (and, by default, every process it forks) and, optionally, its cgroup.
 *
 * @param pid the root process id
 * @param processTree whether descendants are summed in (a function that forks must be seen whole)
 * @param inProcess whether the root is this JVM (enables JVM MXBean and JFR sources)
 * @param cgroupPaths the target's cgroup per controller, relative to that controller's mount (e.g.
 *     {@code memory -> /sandbox/presize-1}); for cgroup v2 the key is {@code ""}. Empty: read from
 *     {@code /proc/<pid>/cgroup} when the source is created.
 */
public record SamplingTarget(long pid, boolean processTree, boolean inProcess, Map<String, String> cgroupPaths) {

  public SamplingTarget {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive, was " + pid);
    }
    cgroupPaths = Map.copyOf(Objects.requireNonNull(cgroupPaths, "cgroupPaths"));
  }

  /** This JVM, with its child processes. */
  public static SamplingTarget self() {
    return new SamplingTarget(ProcessHandle.current().pid(), true, true, Map.of());
  }

  /** Another process and everything it forks. */
  public static SamplingTarget processTree(long pid) {
    return new SamplingTarget(pid, true, pid == ProcessHandle.current().pid(), Map.of());
  }

  /** The same target with its cgroup known in advance (e.g. a group Presize created for it). */
  public SamplingTarget withCgroupPaths(Map<String, String> paths) {
    return new SamplingTarget(pid, processTree, inProcess, paths);
  }

  /** The target's cgroup path for {@code controller}, if given. */
  public Optional<String> cgroupPath(String controller) {
    return Optional.ofNullable(cgroupPaths.get(controller));
  }
}
