package dev.presize.adapter.cgroups.actuate;

import dev.presize.spi.PresizeException;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * v1: {@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us} in the cpu hierarchy, {@code memory.limit_in_bytes}
 * and (where swap is accounted) {@code memory.memsw.limit_in_bytes} kept equal to it in the memory hierarchy.
 */
final class CgroupV1Limits implements CgroupLimits {

  private final Path cpu;
  private final Path memory;
  private final Path limit;
  private final Path memsw;

  CgroupV1Limits(Path cpuDir, Path memoryDir) {
    this.cpu = cpuDir;
    this.memory = memoryDir;
    this.limit = memoryDir.resolve("memory.limit_in_bytes");
    this.memsw = memoryDir.resolve("memory.memsw.limit_in_bytes");
  }

  @Override
  public long usageBytes() {
    return ControlFiles.readLong(memory.resolve("memory.usage_in_bytes"));
  }

  @Override
  public long memoryLimitBytes() {
    return ControlFiles.readLong(limit);
  }

  /**
   * The kernel demands {@code limit ≤ memsw} at every step (else EINVAL): growing, memsw goes first; shrinking,
   * the limit goes first. Without swap accounting (no memsw file) only the limit is written.
   */
  @Override
  public void setMemory(long bytes, long limitInForce, long usageBytes) {
    String value = Long.toString(bytes);
    if (!Files.exists(memsw, LinkOption.NOFOLLOW_LINKS)) {
      ControlFiles.write(limit, value);
    } else if (bytes > limitInForce) {
      ControlFiles.write(memsw, value);
      ControlFiles.write(limit, value);
    } else {
      ControlFiles.write(limit, value);
      ControlFiles.write(memsw, value);
    }
  }

  /**
   * Pauses the group at its memory limit instead of OOM-killing it: {@code memory.oom_control} is set to
   * {@code 1} ({@code oom_kill_disable}). A task that needs more than the limit (and finds nothing to reclaim) then
   * waits in the kernel ({@code under_oom 1}) until the limit is raised, and goes on; SIGKILL still ends it. The
   * resize loop's usage guard raises the limit at its next step; what it cannot follow (a burst faster than a step,
   * a loop held up by a busy host) waits instead of dying.
   *
   * @throws PresizeException when the file cannot be written or does not read back as set
   */
  void pauseAtLimit() {
    Path control = memory.resolve("memory.oom_control");
    ControlFiles.write(control, "1");
    if (!ControlFiles.read(control).contains("oom_kill_disable 1")) {
      throw new PresizeException("set", control.toString(),
          "oom_kill_disable did not read back as 1");
    }
  }

  @Override
  public void setCpu(long millicores) {
    long period = ControlFiles.readLong(cpu.resolve("cpu.cfs_period_us"));
    ControlFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(CgroupLimits.quotaMicros(millicores, period)));
  }

  @Override
  public ResourceProfile read() {
    long quota = ControlFiles.readLong(cpu.resolve("cpu.cfs_quota_us"));
    long period = ControlFiles.readLong(cpu.resolve("cpu.cfs_period_us"));
    return ResourceProfile.of(CgroupLimits.millicores(quota, period), memoryLimitBytes());
  }

  @Override
  public String describe() {
    return "cpu=" + cpu + " memory=" + memory;
  }
}
