package dev.presize.adapter.cgroups.host;

import dev.presize.adapter.cgroups.CgroupMounts;
import dev.presize.spi.Ticker;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cgroup v1 group: a directory in each of the cpu, cpuacct, memory (and pids) hierarchies. */
final class CgroupV1Group extends CgroupGroup {

  /** The CFS period every group gets, in microseconds (the kernel's default). */
  static final long PERIOD_MICROS = 100_000;
  /** The smallest quota the kernel accepts (1 ms per period): 10 millicores. */
  static final long MIN_QUOTA_MICROS = 1_000;

  private final Path cpu;
  private final Path memory;

  CgroupV1Group(String name, Map<String, String> cgroupPaths, List<Path> dirs, Path cpu, Path memory, String shell,
      Duration removeTimeout, Ticker ticker) {
    super(name, cgroupPaths, dirs, shell, removeTimeout, ticker);
    this.cpu = cpu;
    this.memory = memory;
  }

  @Override
  void apply(ResourceProfile limits) {
    CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
    CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(limits.cpuMillicores())));
    setMemoryLimit(limits.memoryBytes());
  }

  /** {@code millicores × period / 1000}, at least the kernel's 1 ms minimum. */
  static long quotaMicros(long millicores) {
    return Math.max(MIN_QUOTA_MICROS, Math.multiplyExact(millicores, PERIOD_MICROS) / 1000);
  }

  /**
   * Sets the memory limit and, where swap is accounted ({@code memory.memsw.limit_in_bytes}), memory+swap to the
   * same value so the group cannot swap past its limit. The kernel demands limit ≤ memsw at every step: when
   * growing, memsw goes first; when shrinking, the limit goes first.
   */
  void setMemoryLimit(long bytes) {
    Path limit = memory.resolve("memory.limit_in_bytes");
    Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
    String value = Long.toString(bytes);
    if (!Files.exists(memsw)) {
      CgroupFiles.write(limit, value);
    } else if (bytes > CgroupFiles.readLong(limit)) {
      CgroupFiles.write(memsw, value);
      CgroupFiles.write(limit, value);
    } else {
      CgroupFiles.write(limit, value);
      CgroupFiles.write(memsw, value);
    }
  }

  @Override
  public Map<String, String> limitsInForce() {
    Map<String, String> m = new LinkedHashMap<>();
    long limit = CgroupFiles.readLong(memory.resolve("memory.limit_in_bytes"));
    m.put("memory.limit", limit >= CgroupMounts.V1_NO_LIMIT_FROM ? "max" : Long.toString(limit));
    long quota = CgroupFiles.readLong(cpu.resolve("cpu.cfs_quota_us"));
    m.put("cpu.quota.micros", quota < 0 ? "max" : Long.toString(quota));
    m.put("cpu.period.micros", Long.toString(CgroupFiles.readLong(cpu.resolve("cpu.cfs_period_us"))));
    return m;
  }
}
