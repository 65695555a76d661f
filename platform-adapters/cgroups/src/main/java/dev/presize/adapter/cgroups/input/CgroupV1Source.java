package dev.presize.adapter.cgroups.input;

import dev.presize.adapter.cgroups.CgroupMounts;
import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.util.EnumSet;

/**
 * Samples a cgroup v1 group. Every tick: {@code cpuacct.usage} and {@code memory.usage_in_bytes}. One further
 * file group every other tick, in rotation (see {@link #SLOW_PHASES}): {@code cpu.stat}; {@code memory.stat}; the
 * CPU
 * quota and period; the memory limit and {@code memory.failcnt}; {@code memory.oom_control}. Between their
 * reads those metrics keep their last value, so the working set is always the current usage minus the last
 * {@code total_inactive_file} seen (at most {@link #SLOW_PHASES} ticks old).
 */
final class CgroupV1Source extends CgroupSource {

  /** Files read on rotation, one phase every other tick: cpu.stat, memory.stat, cpu limit, memory limit, oom. */
  static final int SLOW_PHASES = 5;


  private static final byte[] NR_PERIODS = ByteCursor.key("nr_periods ");
  private static final byte[] NR_THROTTLED = ByteCursor.key("nr_throttled ");
  private static final byte[] THROTTLED_TIME = ByteCursor.key("throttled_time ");
  private static final byte[] TOTAL_INACTIVE_FILE = ByteCursor.key("total_inactive_file ");
  private static final byte[] OOM_KILL = ByteCursor.key("oom_kill ");

  private final ProcFile cpuUsage;
  private final ProcFile memoryUsage;
  private final ProcFile cpuStat;
  private final ProcFile quota;
  private final ProcFile period;
  private final ProcFile memoryStat;
  private final ProcFile memoryLimit;
  private final ProcFile failcnt;
  private final ProcFile oomControl;

  private long throttledNanos;
  private long throttledPeriods;
  private long periods;

  CgroupV1Source(CgroupV1SourceProvider.Dirs dirs) throws IOException {
    super(SLOW_PHASES);
    try {
      cpuUsage = open(dirs.cpuacct().resolve("cpuacct.usage"), 64);
      memoryUsage = open(dirs.memory().resolve("memory.usage_in_bytes"), 64);
      memoryStat = open(dirs.memory().resolve("memory.stat"), 4096);
      memoryLimit = open(dirs.memory().resolve("memory.limit_in_bytes"), 64);
      failcnt = open(dirs.memory().resolve("memory.failcnt"), 64);
      oomControl = openOptional(dirs.memory().resolve("memory.oom_control"));
      boolean cpu = dirs.cpu() != null;
      cpuStat = cpu ? open(dirs.cpu().resolve("cpu.stat"), 256) : null;
      quota = cpu ? openOptional(dirs.cpu().resolve("cpu.cfs_quota_us")) : null;
      period = quota == null ? null : open(dirs.cpu().resolve("cpu.cfs_period_us"), 64);

      EnumSet<Metric> m = EnumSet.of(Metric.CGROUP_CPU_USAGE_NANOS, Metric.CGROUP_MEMORY_USAGE_BYTES,
          Metric.CGROUP_MEMORY_WORKING_SET_BYTES, Metric.CGROUP_MEMORY_LIMIT_BYTES, Metric.CGROUP_MEMORY_LIMIT_HITS);
      if (cpuStat != null) {
        m.addAll(EnumSet.of(Metric.CGROUP_CPU_THROTTLED_NANOS, Metric.CGROUP_CPU_THROTTLED_PERIODS,
            Metric.CGROUP_CPU_PERIODS));
      }
      if (quota != null) {
        m.add(Metric.CGROUP_CPU_LIMIT_MILLICORES);
      }
      if (oomControl != null && hasOomKillLine()) { // kernels before 4.13 have no oom_kill count
        m.add(Metric.CGROUP_OOM_KILLS);
      }
      ready(m);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public String name() {
    return CgroupV1SourceProvider.NAME;
  }

  @Override
  long readEveryTick(SampleWriter out) throws IOException {
    long usage = readLong(memoryUsage);
    out.put(Metric.CGROUP_CPU_USAGE_NANOS, readLong(cpuUsage));
    if (cpuStat != null) {
      out.put(Metric.CGROUP_CPU_THROTTLED_NANOS, throttledNanos);
      out.put(Metric.CGROUP_CPU_THROTTLED_PERIODS, throttledPeriods);
      out.put(Metric.CGROUP_CPU_PERIODS, periods);
    }
    return usage;
  }

  @Override
  void readSlow(int phase) throws IOException {
    switch (phase) {
      case 0 -> {
        if (cpuStat != null) {
          cpuStat.read();
          cursor.reset(cpuStat);
          periods = orZero(cursor.valueOfLine(NR_PERIODS));
          throttledPeriods = orZero(cursor.valueOfLine(NR_THROTTLED));
          throttledNanos = orZero(cursor.valueOfLine(THROTTLED_TIME));
        }
      }
      case 1 -> {
        memoryStat.read();
        inactiveFileBytes = orZero(cursor.reset(memoryStat).valueOfLine(TOTAL_INACTIVE_FILE));
      }
      case 2 -> {
        if (quota != null) {
          long quotaMicros = readLong(quota);
          long periodMicros = readLong(period);
          // -1 (or any non-positive quota) means no quota: 0 millicores = unlimited
          cpuLimitMillicores = quotaMicros <= 0 || periodMicros <= 0 ? 0 : quotaMicros * 1000 / periodMicros;
        }
      }
      case 3 -> {
        long limit = readLong(memoryLimit);
        memoryLimitBytes = limit >= CgroupMounts.V1_NO_LIMIT_FROM || limit <= 0 ? 0 : limit;
        limitHits = orZero(readLong(failcnt));
      }
      case 4 -> {
        if (oomControl != null) {
          oomControl.read();
          oomKills = orZero(cursor.reset(oomControl).valueOfLine(OOM_KILL));
        }
      }
      default -> throw new IllegalStateException("phase " + phase);
    }
  }

  private boolean hasOomKillLine() throws IOException {
    oomControl.read();
    return cursor.reset(oomControl).findLine(OOM_KILL);
  }
}
