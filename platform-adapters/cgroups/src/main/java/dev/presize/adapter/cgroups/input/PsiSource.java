package dev.presize.adapter.cgroups.input;

import static dev.presize.core.input.ByteCursor.ABSENT;

import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A pressure-stall-information source: reads the "total=" stall microseconds of the {@code some} and
 * {@code full} lines of the CPU, memory and I/O pressure files, every tick.
 *
 * <p>{@link #scope()} says whose pressure it is: the target's cgroup or the whole host. The CPU file's
 * {@code full} line (absent before kernel 5.13, and meaningless outside a cgroup) is not reported.
 */
public final class PsiSource implements MetricSource {

  /** Whose stalls the files count. */
  public enum Scope {
    /** The target's cgroup v2 group ({@code <group>/cpu.pressure} ...). */
    CGROUP,
    /** The whole host ({@code /proc/pressure/cpu} ...). */
    HOST
  }

  private static final byte[] SOME = ByteCursor.key("some ");
  private static final byte[] FULL = ByteCursor.key("full ");
  private static final byte[] TOTAL = ByteCursor.key("total=");
  private static final Set<Metric> METRICS = Collections.unmodifiableSet(EnumSet.of(Metric.PSI_CPU_SOME_MICROS,
      Metric.PSI_MEMORY_SOME_MICROS, Metric.PSI_MEMORY_FULL_MICROS, Metric.PSI_IO_SOME_MICROS,
      Metric.PSI_IO_FULL_MICROS));

  private final Scope scope;
  private final Path dir;
  private final ByteCursor cursor = new ByteCursor();
  private final ProcFile cpu;
  private final ProcFile memory;
  private final ProcFile io;
  private boolean closed;
  private int phase;
  private long cpuSome;
  private long memorySome;
  private long memoryFull;
  private long ioSome;
  private long ioFull;

  PsiSource(Scope scope, Path dir, Path cpuFile, Path memoryFile, Path ioFile) throws IOException {
    this.scope = scope;
    this.dir = dir;
    ProcFile c = null;
    ProcFile m = null;
    try {
      c = ProcFile.open(cpuFile, 256);
      m = ProcFile.open(memoryFile, 256);
      this.io = ProcFile.open(ioFile, 256);
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.close();
      }
      if (m != null) {
        m.close();
      }
      throw e;
    }
    this.cpu = c;
    this.memory = m;
    try {
      readCpu(); // every total has a value from the first sample on
      readMemory();
      readIo();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public java.util.Map<String, String> attributes() {
    return java.util.Map.of("scope", scope.name().toLowerCase(java.util.Locale.ROOT), "dir", dir.toString());
  }

  /** Whether this source reads the target's cgroup pressure or the host's. */
  public Scope scope() {
    return scope;
  }

  /** The directory the pressure files are read from. */
  public Path directory() {
    return dir;
  }

  @Override
  public String name() {
    return PsiSourceProvider.NAME;
  }

  @Override
  public Set<Metric> metrics() {
    return METRICS;
  }

  @Override
  public void sample(SampleWriter out) throws IOException {
    // One file per tick, in rotation: stall totals move slowly (the kernel's own averages span 10 s), so each
    // file read every third tick costs a third and loses nothing the features use.
    switch (phase) {
      case 0 -> readCpu();
      case 1 -> readMemory();
      default -> readIo();
    }
    phase = phase == 2 ? 0 : phase + 1;
    writeLast(out);
  }

  /** Reads all three files now (final samples, checkpoints). */
  @Override
  public void sampleComplete(SampleWriter out) throws IOException {
    readCpu();
    readMemory();
    readIo();
    writeLast(out);
  }

  private void readCpu() throws IOException {
    cpu.read();
    cpuSome = total(cursor.reset(cpu), SOME);
  }

  private void readMemory() throws IOException {
    memory.read();
    memorySome = total(cursor.reset(memory), SOME);
    memoryFull = total(cursor, FULL);
  }

  private void readIo() throws IOException {
    io.read();
    ioSome = total(cursor.reset(io), SOME);
    ioFull = total(cursor, FULL);
  }

  private void writeLast(SampleWriter out) {
    out.put(Metric.PSI_CPU_SOME_MICROS, cpuSome);
    out.put(Metric.PSI_MEMORY_SOME_MICROS, memorySome);
    out.put(Metric.PSI_MEMORY_FULL_MICROS, memoryFull);
    out.put(Metric.PSI_IO_SOME_MICROS, ioSome);
    out.put(Metric.PSI_IO_FULL_MICROS, ioFull);
  }


  /** The "total=" value of the line starting with {@code line}; 0 if the line is absent. */
  static long total(ByteCursor c, byte[] line) {
    if (!c.findLine(line) || !c.find(TOTAL)) {
      return 0;
    }
    long v = c.nextLong();
    return v == ABSENT ? 0 : v;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    cpu.close();
    memory.close();
    io.close();
  }

  @Override
  public String toString() {
    return "PsiSource[" + scope + " " + dir + "]";
  }
}
