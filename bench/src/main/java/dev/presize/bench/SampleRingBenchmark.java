package dev.presize.bench;

import dev.presize.core.sampling.SampleRing;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of the sampler's ring: {@link SampleRing#put} of one 40-column sample (what the sampler does once a
 * tick), and put + {@link SampleRing#drain} in batches of 64 (what the drain thread sees when it wakes every
 * 640 ms), single-threaded. Target: 0 B/op.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar SampleRing -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SampleRingBenchmark {

  static final int COLUMNS = 40;
  static final int BATCH = 64;

  private SampleRing ring;
  private long[] values;
  private Sum sum;
  private long timestampNanos;

  /** A consumer made once (no lambda per call) that folds what it sees into a field. */
  static final class Sum implements SampleRing.Consumer {
    long total;

    @Override
    public void accept(long ts, long[] v) {
      total += ts + v[0] + v[v.length - 1];
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    ring = new SampleRing(COLUMNS, 1024);
    values = new long[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
      values[c] = 1_000_000L * c + 7;
    }
    sum = new Sum();
  }

  /** One sample in (the sampler's side). */
  @Benchmark
  public SampleRing put() {
    timestampNanos += 10_000_000L;
    ring.put(timestampNanos, values);
    return ring;
  }

  /** 64 samples in, then one drain that delivers them; the score is per sample. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long putThenDrain64() {
    for (int i = 0; i < BATCH; i++) {
      timestampNanos += 10_000_000L;
      ring.put(timestampNanos, values);
    }
    ring.drain(sum);
    return sum.total;
  }
}
