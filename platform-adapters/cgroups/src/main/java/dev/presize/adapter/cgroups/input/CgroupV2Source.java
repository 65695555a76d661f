package dev.presize.adapter.cgroups.input;

import static dev.presize.core.input.ByteCursor.ABSENT;

import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * Samples a cgroup v2 group. Every tick: {@code cpu.stat} (usage and throttling in one read) and
 * {@code memory.current}. One further file every other tick, in rotation: {@code memory.stat} (for the working set),
 * {@code cpu.max}, {@code memory.max}, {@code memory.events}; between reads those keep their last value.
 */
final class CgroupV2Source extends CgroupSource {

  static final int SLOW_PHASES = 4;

  private static final byte[] USAGE_USEC = ByteCursor.key("usage_usec ");
  private static final byte[] NR_PERIODS = ByteCursor.key("nr_periods ");
  private static final byte[] NR_THROTTLED = ByteCursor.key("nr_throttled ");
  private static final byte[] THROTTLED_USEC = ByteCursor.key("throttled_usec ");
  private static final byte[] INACTIVE_FILE = ByteCursor.key("inactive_file ");
  private static final byte[] MAX_EVENTS = ByteCursor.key("max ");
  private static final byte[] OOM_KILL = ByteCursor.key("oom_kill ");
  private static final byte[] MAX = ByteCursor.key("max");

  private final ProcFile cpuStat;
  private final ProcFile memoryCurrent;
  private final ProcFile memoryStat;
  private final ProcFile cpuMax;
  private final ProcFile memoryMax;
  private final ProcFile memoryEvents;

  CgroupV2Source(Path dir) throws IOException {
    super(SLOW_PHASES);
    try {
      cpuStat = open(dir.resolve("cpu.stat"), 512);
      memoryCurrent = open(dir.resolve("memory.current"), 64);
      memoryStat = open(dir.resolve("memory.stat"), 4096);
      memoryMax = open(dir.resolve("memory.max"), 64);
      memoryEvents = open(dir.resolve("memory.events"), 256);
      cpuMax = openOptional(dir.resolve("cpu.max"));
      EnumSet<Metric> m = EnumSet.of(Metric.CGROUP_CPU_USAGE_NANOS, Metric.CGROUP_MEMORY_USAGE_BYTES,
          Metric.CGROUP_MEMORY_WORKING_SET_BYTES, Metric.CGROUP_MEMORY_LIMIT_BYTES,
          Metric.CGROUP_MEMORY_LIMIT_HITS, Metric.CGROUP_OOM_KILLS);
      if (cpuMax != null) {
        m.addAll(EnumSet.of(Metric.CGROUP_CPU_THROTTLED_NANOS, Metric.CGROUP_CPU_THROTTLED_PERIODS,
            Metric.CGROUP_CPU_PERIODS, Metric.CGROUP_CPU_LIMIT_MILLICORES));
      }
      ready(m);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public String name() {
    return CgroupV2SourceProvider.NAME;
  }

  @Override
  long readEveryTick(SampleWriter out) throws IOException {
    cpuStat.read();
    cursor.reset(cpuStat);
    long usageMicros = cursor.valueOfLine(USAGE_USEC);
    out.put(Metric.CGROUP_CPU_USAGE_NANOS, usageMicros == ABSENT ? 0 : usageMicros * 1000);
    if (cpuMax != null) {
      out.put(Metric.CGROUP_CPU_PERIODS, orZero(cursor.valueOfLine(NR_PERIODS)));
      out.put(Metric.CGROUP_CPU_THROTTLED_PERIODS, orZero(cursor.valueOfLine(NR_THROTTLED)));
      out.put(Metric.CGROUP_CPU_THROTTLED_NANOS, orZero(cursor.valueOfLine(THROTTLED_USEC)) * 1000);
    }
    memoryCurrent.read();
    return orZero(cursor.reset(memoryCurrent).nextLong());
  }

  @Override
  void readSlow(int phase) throws IOException {
    switch (phase) {
      case 0 -> {
        memoryStat.read();
        inactiveFileBytes = orZero(cursor.reset(memoryStat).valueOfLine(INACTIVE_FILE));
      }
      case 1 -> {
        if (cpuMax != null) {
          cpuMax.read();
          cursor.reset(cpuMax);
          if (cursor.nextWordIs(MAX)) { // "max 100000": no quota
            cpuLimitMillicores = 0;
          } else {
            long quotaMicros = cursor.nextLong();
            long periodMicros = cursor.nextLong();
            cpuLimitMillicores = quotaMicros <= 0 || periodMicros <= 0 ? 0 : quotaMicros * 1000 / periodMicros;
          }
        }
      }
      case 2 -> {
        memoryMax.read();
        cursor.reset(memoryMax);
        memoryLimitBytes = cursor.nextWordIs(MAX) ? 0 : orZero(cursor.nextLong());
      }
      case 3 -> {
        memoryEvents.read();
        cursor.reset(memoryEvents);
        limitHits = orZero(cursor.valueOfLine(MAX_EVENTS));
        oomKills = orZero(cursor.valueOfLine(OOM_KILL));
      }
      default -> throw new IllegalStateException("phase " + phase);
    }
  }
}
