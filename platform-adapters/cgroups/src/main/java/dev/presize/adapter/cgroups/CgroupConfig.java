package dev.presize.adapter.cgroups;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cgroup adapter's configuration: where {@code /proc} and the cgroup hierarchies are, and how groups are
 * joined and removed. All defaults live here.
 *
 * @param procRoot the procfs mount ({@code /proc}); {@code <procRoot>/<pid>/cgroup}, {@code self/mountinfo}
 *     and {@code pressure/*} are read under it
 * @param v1Root a directory holding one directory per v1 controller ({@code <v1Root>/memory}, or co-mounted
 *     {@code <v1Root>/cpu,cpuacct}); empty: the v1 mounts of {@code /proc/self/mountinfo}
 * @param v2Root the cgroup2 mount point; empty: the cgroup2 mount of {@code /proc/self/mountinfo}
 * @param joinShell the POSIX shell that {@code ResourceGroup.wrap} uses to join a group before exec
 * @param removeTimeout how long {@code ResourceGroup.close} waits for a group's processes to leave
 */
public record CgroupConfig(Path procRoot, Optional<Path> v1Root, Optional<Path> v2Root, String joinShell,
    Duration removeTimeout) {

  /** Directory holding the v1 controller directories (default: from /proc/self/mountinfo). */
  public static final String V1_ROOT = "presize.cgroup.v1.root";
  /** The cgroup2 mount point (default: from /proc/self/mountinfo). */
  public static final String V2_ROOT = "presize.cgroup.v2.root";
  /** The procfs mount point (default {@code /proc}). */
  public static final String PROC_ROOT = "presize.proc.root";
  /** The shell that joins a process to a group before exec (default {@code /bin/sh}). */
  public static final String JOIN_SHELL = "presize.cgroup.join-shell";
  /** How long closing a group waits for its processes to leave (default {@code 2s}). */
  public static final String REMOVE_TIMEOUT = "presize.cgroup.remove-timeout";

  static final String DEFAULT_PROC_ROOT = "/proc";
  static final String DEFAULT_JOIN_SHELL = "/bin/sh";
  static final Duration DEFAULT_REMOVE_TIMEOUT = Duration.ofSeconds(2);

  public CgroupConfig {
    Objects.requireNonNull(procRoot, "procRoot");
    Objects.requireNonNull(v1Root, "v1Root");
    Objects.requireNonNull(v2Root, "v2Root");
    Objects.requireNonNull(joinShell, "joinShell");
    if (removeTimeout.isNegative()) {
      throw new IllegalArgumentException("removeTimeout must be >= 0, was " + removeTimeout);
    }
  }

  /** Reads the keys above from {@code config}, with the defaults for those absent. */
  public static CgroupConfig from(ConfigProperties config) {
    return new CgroupConfig(
        Path.of(config.getString(PROC_ROOT, DEFAULT_PROC_ROOT)),
        config.getString(V1_ROOT).map(Path::of),
        config.getString(V2_ROOT).map(Path::of),
        config.getString(JOIN_SHELL, DEFAULT_JOIN_SHELL),
        config.getDuration(REMOVE_TIMEOUT, DEFAULT_REMOVE_TIMEOUT));
  }

  /** {@code <procRoot>/<pid>/cgroup}. */
  public Path procCgroup(long pid) {
    return procRoot.resolve(Long.toString(pid)).resolve("cgroup");
  }

  /**
   * The target's groups: those given in {@code target}, else read from {@code <procRoot>/<pid>/cgroup}.
   *
   * @throws IOException when the target's cgroup file cannot be read (usually: the process has exited)
   */
  public Map<String, String> groupPaths(SamplingTarget target) throws IOException {
    return target.cgroupPaths().isEmpty() ? ProcCgroups.read(procCgroup(target.pid())) : target.cgroupPaths();
  }

  /** {@code <procRoot>/self/cgroup}: this process's own groups. */
  public Path selfCgroup() {
    return procRoot.resolve("self").resolve("cgroup");
  }

  /** {@code <procRoot>/pressure}: host-wide PSI. */
  public Path hostPressure() {
    return procRoot.resolve("pressure");
  }

  /**
   * The mounts to use: configured roots where given, {@code <procRoot>/self/mountinfo} for the rest (read only
   * when a root is not configured).
   *
   * @throws java.io.UncheckedIOException when mountinfo is needed and cannot be read
   */
  public CgroupMounts mounts() {
    return new CgroupMounts(v1Mounts().v1(), v2Mounts().v2());
  }

  /** The v1 mounts only: under the configured v1 root, else from mountinfo. */
  public CgroupMounts v1Mounts() {
    return v1Root.map(CgroupMounts::ofV1Root)
        .orElseGet(() -> new CgroupMounts(readMountinfo().v1(), java.util.Optional.empty()));
  }

  /** The v2 mount only: the configured v2 root, else from mountinfo. */
  public CgroupMounts v2Mounts() {
    return new CgroupMounts(Map.of(), v2Root.map(CgroupMounts.Mount::at).or(() -> readMountinfo().v2()));
  }

  private CgroupMounts readMountinfo() {
    return CgroupMounts.readMountinfo(procRoot.resolve("self").resolve("mountinfo"));
  }
}
