package dev.presize.adapter.cgroups.actuate;

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
