package dev.presize.bench;

import dev.presize.core.trace.TraceHeader;
import dev.presize.core.trace.TraceWriter;
import dev.presize.spi.metrics.Metric;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
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
 * The cost of appending one 30-column sample to a trace file: {@link TraceWriter#append} (amortized over its
 * 256-sample chunks, each deflated and written with one positional write) against a naive CSV line written to a
 * {@link BufferedWriter}.
 *
 * <p>The samples are precomputed in {@link #setUp()}: 4096 rows of 30 counters and gauges that move like real
 * ones (random walks with small steps), cycled. Each iteration writes a fresh temp file, deleted after it.
 * Target: 0 B/op for {@code traceWriterAppend}.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar TraceWriter -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class TraceWriterBenchmark {

  static final int COLUMNS = 30;
  static final int ROWS = 4096; // a power of two: the row index is a mask
  static final long TEN_MS = 10_000_000L;

  private long[][] rows;
  private TraceHeader header;
  private Path dir;
  private Path file;
  private TraceWriter writer;
  private BufferedWriter csv;
  private long timestampNanos;
  private int row;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Metric[] metrics = Arrays.copyOf(Metric.values(), COLUMNS);
    header = TraceHeader.builder("bench", metrics).build();
    rows = new long[ROWS][COLUMNS];
    SplittableRandom random = new SplittableRandom(42);
    long[] v = new long[COLUMNS];
    for (int r = 0; r < ROWS; r++) {
      for (int c = 0; c < COLUMNS; c++) {
        // even columns: counters (CPU nanos, bytes) that grow; odd columns: gauges that wander
        v[c] = c % 2 == 0 ? v[c] + random.nextLong(1_000_000) : Math.max(0, v[c] + random.nextLong(-4096, 4096));
      }
      rows[r] = v.clone();
    }
    dir = Files.createTempDirectory("presize-bench-trace");
  }

  @Setup(Level.Iteration)
  public void openFiles() throws IOException {
    file = dir.resolve("bench.trace");
    writer = TraceWriter.create(file, header);
    csv = Files.newBufferedWriter(dir.resolve("bench.csv"), StandardCharsets.US_ASCII);
    timestampNanos = 0;
  }

  @TearDown(Level.Iteration)
  public void closeFiles() throws IOException {
    writer.close();
    csv.close();
    Files.delete(file);
    Files.delete(dir.resolve("bench.csv"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.delete(dir);
  }

  /** Ours: buffered per column, delta + varint + deflate per 256-sample chunk. */
  @Benchmark
  public long traceWriterAppend() throws IOException {
    timestampNanos += TEN_MS;
    writer.append(timestampNanos, rows[row++ & (ROWS - 1)]);
    return timestampNanos;
  }

  /** Naive: one CSV line per sample through a {@link BufferedWriter} (strings per value). */
  @Benchmark
  public long csvLine() throws IOException {
    timestampNanos += TEN_MS;
    long[] values = rows[row++ & (ROWS - 1)];
    csv.write(Long.toString(timestampNanos));
    for (long v : values) {
      csv.write(',');
      csv.write(Long.toString(v));
    }
    csv.write('\n');
    return timestampNanos;
  }
}
