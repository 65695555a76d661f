package dev.presize.adapter.cgroups.actuate;

import dev.presize.adapter.cgroups.CgroupMounts;
import dev.presize.spi.resources.ResourceProfile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * v1: {@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us} in the cpu hierarchy, {@code memory.limit_in_bytes}
 * and (where swap is accounted) {@code memory.memsw.limit_in_bytes} kept equal to it in the memory hierarchy.
 * A CPU quota is capped at the share of the nearest limited group above (v1 refuses more with EINVAL), so a group
 * made inside a container of 1.5 cores gets 1.5 cores when 2 are asked, and reads back 1500m.
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
    long bytes = ControlFiles.readLong(limit);
    return bytes >= CgroupMounts.V1_NO_LIMIT_FROM ? Long.MAX_VALUE : bytes;
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
    long quota = CgroupLimits.quotaMicros(millicores, period);
    long cap = ancestorCapMicros(period);
    if (cap > 0 && (quota < 0 || quota > cap)) {
      quota = cap;
    }
    ControlFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quota));
  }

  /**
   * The largest quota, in this group's {@code period}, that v1 lets this group have: the least share (quota over
   * period) of the groups above it that have a quota, in this period, rounded down; -1 when none has one. The kernel
   * compares the shares (its {@code tg_cfs_schedulable_down}) and refuses a child's above its limited ancestor's.
   * Read at every write: a platform may change the enclosing group's quota while the function runs.
   */
  long ancestorCapMicros(long period) {
    long cap = -1;
    for (Path dir = cpu.getParent(); dir != null && Files.exists(dir.resolve("cpu.cfs_quota_us"),
        LinkOption.NOFOLLOW_LINKS); dir = dir.getParent()) {
      long quota = ControlFiles.readLong(dir.resolve("cpu.cfs_quota_us"));
      if (quota <= 0) {
        continue;
      }
      long share = BigInteger.valueOf(quota).multiply(BigInteger.valueOf(period))
          .divide(BigInteger.valueOf(ControlFiles.readLong(dir.resolve("cpu.cfs_period_us"))))
          .min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
      cap = cap < 0 ? share : Math.min(cap, share);
    }
    return cap;
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
