package dev.presize.bench;

import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ways of reading the same numbers from procfs and cgroupfs, side by side in one run: our kept-open
 * {@link ProcFile} parsed with {@link ByteCursor}, against open+read+close per call, {@code Files.readAllBytes}
 * with {@code String.split} (what a naive agent does) and the JDK's own APIs for the same numbers.
 *
 * <p>Three files: {@code /proc/self/stat} (user + system CPU time), this process's cgroup v1
 * {@code memory.usage_in_bytes}, and {@code /proc/self/io} (read bytes and characters). Every competitor of a
 * file returns the same number (checked once in {@link #open()}); the JDK competitors return their nearest
 * equivalent ({@code getProcessCpuLoad} a rate, {@code getFreeMemorySize} limit minus usage, and only in a
 * container with a memory limit). Method names are {@code <file>_<way>}; compare each to its {@code _procFile}.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ProcRead -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ProcReadBenchmark {

  /** USER_HZ: procfs reports CPU times in 1/100 s on every Linux architecture. */
  private static final long NANOS_PER_CLOCK_TICK = 10_000_000L;

  private static final byte[] RCHAR = ByteCursor.key("rchar:");
  private static final byte[] READ_BYTES = ByteCursor.key("read_bytes:");

  private final ByteCursor cursor = new ByteCursor();
  private final byte[] scratch = new byte[4096];
  private final ByteBuffer scratchBuffer = ByteBuffer.wrap(scratch);

  private Path statPath;
  private Path memoryPath;
  private Path ioPath;
  private ProcFile stat;
  private ProcFile memory;
  private ProcFile io;
  private com.sun.management.OperatingSystemMXBean os;

  @Setup(Level.Trial)
  public void open() throws IOException {
    statPath = Path.of("/proc/self/stat");
    ioPath = Path.of("/proc/self/io");
    memoryPath = memoryCgroupDir().resolve("memory.usage_in_bytes");
    stat = ProcFile.open(statPath, 1024);
    memory = ProcFile.open(memoryPath, 64);
    io = ProcFile.open(ioPath, 512);
    os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    // The competitors must agree, or the comparison is meaningless.
    requireClose("stat cpu", stat_procFile(), stat_readAllBytesSplit(), NANOS_PER_CLOCK_TICK * 10);
    requireClose("stat cpu", stat_procFile(), stat_fileChannelOpenReadClose(), NANOS_PER_CLOCK_TICK * 10);
    requireClose("stat cpu vs ProcessHandle", stat_procFile(), stat_jdkProcessHandleTotalCpu(),
        NANOS_PER_CLOCK_TICK * 10);
    requireClose("memory usage", memory_procFile(), memory_readAllBytesTrim(), 64L << 20);
    requireClose("memory usage", memory_procFile(), memory_fileInputStreamOpenReadClose(), 64L << 20);
    requireClose("io rchar", io_procFile(), io_readAllBytesSplit(), 1L << 20);
  }

  private static void requireClose(String what, long a, long b, long tolerance) {
    if (Math.abs(a - b) > tolerance) {
      throw new IllegalStateException(what + ": competitors disagree, " + a + " vs " + b);
    }
  }

  /** This process's memory cgroup directory, from {@code /proc/self/cgroup} (cgroup v1). */
  private static Path memoryCgroupDir() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] parts = line.split(":", 3);
      if (parts.length == 3 && parts[1].equals("memory")) {
        Path dir = Path.of("/sys/fs/cgroup/memory" + parts[2]);
        if (Files.isReadable(dir.resolve("memory.usage_in_bytes"))) {
          return dir;
        }
        throw new IllegalStateException("no readable memory.usage_in_bytes in " + dir);
      }
    }
    throw new IllegalStateException("no cgroup v1 memory controller in /proc/self/cgroup");
  }

  @TearDown(Level.Trial)
  public void close() {
    stat.close();
    memory.close();
    io.close();
  }

  // ---- /proc/self/stat: utime + stime ----

  private long parseStatCpu(ByteCursor c) {
    c.afterLast((byte) ')');
    c.skipFields(11); // fields 3..13: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
    long utime = c.nextLong(); // 14
    long stime = c.nextLong(); // 15
    return (utime + stime) * NANOS_PER_CLOCK_TICK;
  }

  /** (a) Ours: kept-open channel, one positional read, allocation-free parse. */
  @Benchmark
  public long stat_procFile() throws IOException {
    stat.read();
    return parseStatCpu(cursor.reset(stat));
  }

  /** (b) Open, read into a preallocated buffer, close, per call (FileChannel). */
  @Benchmark
  public long stat_fileChannelOpenReadClose() throws IOException {
    try (FileChannel ch = FileChannel.open(statPath, StandardOpenOption.READ)) {
      scratchBuffer.clear();
      int n = ch.read(scratchBuffer, 0);
      return parseStatCpu(cursor.reset(scratch, Math.max(n, 0)));
    }
  }

  /** (b') Open, read into a preallocated array, close, per call (FileInputStream). */
  @Benchmark
  public long stat_fileInputStreamOpenReadClose() throws IOException {
    try (FileInputStream in = new FileInputStream("/proc/self/stat")) {
      int n = in.read(scratch);
      return parseStatCpu(cursor.reset(scratch, Math.max(n, 0)));
    }
  }

  /** (c) The naive way: the whole file as a String, split on spaces. */
  @Benchmark
  public long stat_readAllBytesSplit() throws IOException {
    String s = new String(Files.readAllBytes(statPath), StandardCharsets.US_ASCII);
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_CLOCK_TICK;
  }

  /** (d) JDK: {@code ProcessHandle.current().info().totalCpuDuration()} (reads /proc/self/stat natively). */
  @Benchmark
  public long stat_jdkProcessHandleTotalCpu() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** (d) JDK: {@code OperatingSystemMXBean.getProcessCpuTime()}. */
  @Benchmark
  public long stat_jdkOsBeanProcessCpuTime() {
    return os.getProcessCpuTime();
  }

  /** (d) JDK: {@code OperatingSystemMXBean.getProcessCpuLoad()} (a rate, not a counter; known to be slow). */
  @Benchmark
  public double stat_jdkOsBeanProcessCpuLoad() {
    return os.getProcessCpuLoad();
  }

  // ---- cgroup v1 memory.usage_in_bytes ----

  /** (a) Ours. */
  @Benchmark
  public long memory_procFile() throws IOException {
    memory.read();
    return cursor.reset(memory).nextLong();
  }

  /** (b) Open, read, close per call (FileChannel). */
  @Benchmark
  public long memory_fileChannelOpenReadClose() throws IOException {
    try (FileChannel ch = FileChannel.open(memoryPath, StandardOpenOption.READ)) {
      scratchBuffer.clear();
      int n = ch.read(scratchBuffer, 0);
      return cursor.reset(scratch, Math.max(n, 0)).nextLong();
    }
  }

  /** (b') Open, read, close per call (FileInputStream). */
  @Benchmark
  public long memory_fileInputStreamOpenReadClose() throws IOException {
    try (FileInputStream in = new FileInputStream(memoryPath.toFile())) {
      int n = in.read(scratch);
      return cursor.reset(scratch, Math.max(n, 0)).nextLong();
    }
  }

  /** (c) Naive: {@code Long.parseLong(new String(readAllBytes).trim())}. */
  @Benchmark
  public long memory_readAllBytesTrim() throws IOException {
    return Long.parseLong(new String(Files.readAllBytes(memoryPath), StandardCharsets.US_ASCII).trim());
  }

  /**
   * (d) JDK: {@code OperatingSystemMXBean.getFreeMemorySize()}, container-aware: limit minus
   * {@code memory.usage_in_bytes} when the JVM sees a memory limit, else the host's free memory.
   */
  @Benchmark
  public long memory_jdkOsBeanFreeMemorySize() {
    return os.getFreeMemorySize();
  }

  // ---- /proc/self/io: rchar + read_bytes ----

  /** (a) Ours. */
  @Benchmark
  public long io_procFile() throws IOException {
    io.read();
    ByteCursor c = cursor.reset(io);
    return c.valueOfLine(RCHAR) + c.valueOfLine(READ_BYTES);
  }

  /** (b) Open, read, close per call (FileChannel). */
  @Benchmark
  public long io_fileChannelOpenReadClose() throws IOException {
    try (FileChannel ch = FileChannel.open(ioPath, StandardOpenOption.READ)) {
      scratchBuffer.clear();
      int n = ch.read(scratchBuffer, 0);
      ByteCursor c = cursor.reset(scratch, Math.max(n, 0));
      return c.valueOfLine(RCHAR) + c.valueOfLine(READ_BYTES);
    }
  }

  /** (c) Naive: lines of a String, split on ": ". */
  @Benchmark
  public long io_readAllBytesSplit() throws IOException {
    long sum = 0;
    for (String line : new String(Files.readAllBytes(ioPath), StandardCharsets.US_ASCII).split("\n")) {
      String[] kv = line.split(": ");
      if (kv[0].equals("rchar") || kv[0].equals("read_bytes")) {
        sum += Long.parseLong(kv[1].trim());
      }
    }
    return sum;
  }
}
