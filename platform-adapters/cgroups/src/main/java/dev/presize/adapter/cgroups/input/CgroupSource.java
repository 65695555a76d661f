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
import java.util.List;
import java.util.Set;

/**
 * What the cgroup v1 and v2 sources share: every tick the CPU and memory usage files; every other tick one file
 * of a rotation (limits, events, {@code memory.stat}) whose values are held in between; all of them on a
 * complete sample. Subclasses open their version's files and parse them.
 */
abstract class CgroupSource implements MetricSource {

  final ByteCursor cursor = new ByteCursor();
  private final List<ProcFile> files = new ArrayList<>();
  private final int slowPhases;
  private int phase;
  private boolean slowTurn = true;
  private boolean closed;
  private Set<Metric> metrics = Set.of();
  private boolean writesCpuLimit;
  private boolean writesOomKills;

  // Refreshed in rotation by readSlow(), written on every tick.
  long inactiveFileBytes;
  long memoryLimitBytes;
  long limitHits;
  long oomKills;
  long cpuLimitMillicores;

  CgroupSource(int slowPhases) {
    this.slowPhases = slowPhases;
  }

  /** Reads the every-tick files: writes the CPU metrics and returns the memory usage in bytes. */
  abstract long readEveryTick(SampleWriter out) throws IOException;

  /** Reads the files of one rotation phase into the fields above (or the subclass's own). */
  abstract void readSlow(int phase) throws IOException;

  /**
   * Declares the metrics this group has, then reads every rotated file once so that every metric has a value
   * from the first sample on. Called last by the subclass constructor.
   */
  final void ready(Set<Metric> declared) throws IOException {
    metrics = Collections.unmodifiableSet(declared);
    writesCpuLimit = declared.contains(Metric.CGROUP_CPU_LIMIT_MILLICORES);
    writesOomKills = declared.contains(Metric.CGROUP_OOM_KILLS);
    readAllSlow();
  }

  private void readAllSlow() throws IOException {
    for (int p = 0; p < slowPhases; p++) {
      readSlow(p);
    }
  }

  @Override
  public final Set<Metric> metrics() {
    return metrics;
  }

  /** Reads every rotated file too, so limits, events and the working set are exact (final samples). */
  @Override
  public final void sampleComplete(SampleWriter out) throws IOException {
    readAllSlow();
    sample(out);
  }

  @Override
  public final void sample(SampleWriter out) throws IOException {
    long usage = readEveryTick(out);
    if (slowTurn) { // one rotated file every other tick: each is fresh within 2 x slowPhases ticks
      readSlow(phase);
      phase = phase + 1 == slowPhases ? 0 : phase + 1;
    }
    slowTurn = !slowTurn;
    out.put(Metric.CGROUP_MEMORY_USAGE_BYTES, usage);
    out.put(Metric.CGROUP_MEMORY_WORKING_SET_BYTES, Math.max(0, usage - inactiveFileBytes));
    out.put(Metric.CGROUP_MEMORY_LIMIT_BYTES, memoryLimitBytes);
    out.put(Metric.CGROUP_MEMORY_LIMIT_HITS, limitHits);
    if (writesOomKills) {
      out.put(Metric.CGROUP_OOM_KILLS, oomKills);
    }
    if (writesCpuLimit) {
      out.put(Metric.CGROUP_CPU_LIMIT_MILLICORES, cpuLimitMillicores);
    }
  }

  final ProcFile open(Path path, int capacity) throws IOException {
    ProcFile f = ProcFile.open(path, capacity);
    files.add(f);
    return f;
  }

  final ProcFile openOptional(Path path) throws IOException {
    ProcFile f = ProcFile.openIfExists(path);
    if (f != null) {
      files.add(f);
    }
    return f;
  }

  final long readLong(ProcFile f) throws IOException {
    f.read();
    return cursor.reset(f).nextLong();
  }

  static long orZero(long v) {
    return v == ABSENT ? 0 : v;
  }

  @Override
  public final void close() {
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
    return getClass().getSimpleName() + files;
  }
}
