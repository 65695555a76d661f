package dev.presize.adapter.cgroups.input;

import static dev.presize.core.input.ByteCursor.ABSENT;

import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Samples a cgroup v1 group. Every tick: {@code cpuacct.usage} and {@code memory.usage_in_bytes}. One further
 * file group every other tick, in rotation (see {@link #SLOW_PHASES}): {@code cpu.stat}; {@code memory.stat}; the CPU
 * quota and period; the memory limit and {@code memory.failcnt}; {@code memory.oom_control}. Between their
 * reads those metrics keep their last value, so the working set is always the current usage minus the last
 * {@code total_inactive_file} seen (at most {@link #SLOW_PHASES} ticks old).
 */
final class CgroupV1Source implements MetricSource {

  /** Files read on rotation, one phase per tick: cpu.stat, memory.stat, cpu limit, memory limit, oom. */
  static final int SLOW_PHASES = 5;

  /**
   * v1 shows "no limit" as the largest page-aligned long (9223372036854771712 with 4 KiB pages, a little less
   * with 64 KiB pages); anything from 2^62 bytes up is no real limit.
   */
  static final long V1_UNLIMITED_FROM = 1L << 62;

  private static final byte[] NR_PERIODS = ByteCursor.key("nr_periods ");
  private static final byte[] NR_THROTTLED = ByteCursor.key("nr_throttled ");
  private static final byte[] THROTTLED_TIME = ByteCursor.key("throttled_time ");
  private static final byte[] TOTAL_INACTIVE_FILE = ByteCursor.key("total_inactive_file ");
  private static final byte[] OOM_KILL = ByteCursor.key("oom_kill ");

  private final ByteCursor cursor = new ByteCursor();
  private final List<ProcFile> files = new ArrayList<>();
  private final ProcFile cpuUsage;
  private final ProcFile memoryUsage;
  private final ProcFile cpuStat;
  private final ProcFile quota;
  private final ProcFile period;
  private final ProcFile memoryStat;
  private final ProcFile memoryLimit;
  private final ProcFile failcnt;
  private final ProcFile oomControl;
  private final Set<Metric> metrics;

  private int tick;
  private long throttledNanos;
  private long throttledPeriods;
  private long periods;
  private long cpuLimitMillicores;
  private long inactiveFile;
  private long memoryLimitBytes;
  private long limitHits;
  private long oomKills;
  private boolean closed;

  CgroupV1Source(CgroupV1SourceProvider.Dirs dirs) throws IOException {
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
      metrics = Collections.unmodifiableSet(m);
      for (int phase = 0; phase < SLOW_PHASES; phase++) {
        readSlow(phase); // every metric has a value from the first sample on
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private boolean slowTurn = true;

  @Override
  public String name() {
    return CgroupV1SourceProvider.NAME;
  }

  @Override
  public Set<Metric> metrics() {
    return metrics;
  }

  /** Reads every rotated file too, so limits, events and the working set are exact (final samples). */
  @Override
  public void sampleComplete(SampleWriter out) throws IOException {
    for (int phase = 0; phase < SLOW_PHASES; phase++) {
      readSlow(phase);
    }
    sample(out);
  }

  @Override
  public void sample(SampleWriter out) throws IOException {
    long usage = readLong(memoryUsage);
    out.put(Metric.CGROUP_CPU_USAGE_NANOS, readLong(cpuUsage));
    if (slowTurn) { // one rotated file every other tick: each is fresh within 2 x SLOW_PHASES ticks
      readSlow(tick);
      tick = tick + 1 == SLOW_PHASES ? 0 : tick + 1;
    }
    slowTurn = !slowTurn;

    out.put(Metric.CGROUP_MEMORY_USAGE_BYTES, usage);
    out.put(Metric.CGROUP_MEMORY_WORKING_SET_BYTES, Math.max(0, usage - inactiveFile));
    out.put(Metric.CGROUP_MEMORY_LIMIT_BYTES, memoryLimitBytes);
    out.put(Metric.CGROUP_MEMORY_LIMIT_HITS, limitHits);
    if (cpuStat != null) {
      out.put(Metric.CGROUP_CPU_THROTTLED_NANOS, throttledNanos);
      out.put(Metric.CGROUP_CPU_THROTTLED_PERIODS, throttledPeriods);
      out.put(Metric.CGROUP_CPU_PERIODS, periods);
    }
    if (quota != null) {
      out.put(Metric.CGROUP_CPU_LIMIT_MILLICORES, cpuLimitMillicores);
    }
    if (oomControl != null) {
      out.put(Metric.CGROUP_OOM_KILLS, oomKills);
    }
  }

  private void readSlow(int phase) throws IOException {
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
        inactiveFile = orZero(cursor.reset(memoryStat).valueOfLine(TOTAL_INACTIVE_FILE));
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
        memoryLimitBytes = limit >= V1_UNLIMITED_FROM || limit <= 0 ? 0 : limit;
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

  private long readLong(ProcFile f) throws IOException {
    f.read();
    return cursor.reset(f).nextLong();
  }

  private static long orZero(long v) {
    return v == ABSENT ? 0 : v;
  }

  private ProcFile open(Path path, int capacity) throws IOException {
    ProcFile f = ProcFile.open(path, capacity);
    files.add(f);
    return f;
  }

  private ProcFile openOptional(Path path) throws IOException {
    ProcFile f = ProcFile.openIfExists(path);
    if (f != null) {
      files.add(f);
    }
    return f;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ProcFile f : files) {
      f.close();
    }
  }

  @Override
  public String toString() {
    return "CgroupV1Source" + files;
  }
}
