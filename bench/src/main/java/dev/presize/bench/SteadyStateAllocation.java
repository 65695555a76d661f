package dev.presize.bench;

import dev.presize.core.sampling.MetricSources;
import dev.presize.core.sampling.Sampler;
import dev.presize.core.trace.TraceHeader;
import dev.presize.core.trace.TraceWriter;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A check, beside JMH, that the sampler tick and the trace append allocate nothing in steady state: the bytes this
 * thread allocated (HotSpot's per-thread counter) over 50,000 ticks and 1,000,000 appends after warm-up. JMH's
 * {@code gc.alloc.rate.norm} also counts the harness's per-iteration setup and teardown, divided by the operations
 * of the iteration; this counter sees only the loop.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.presize.bench.SteadyStateAllocation
 * </pre>
 */
public final class SteadyStateAllocation {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private SteadyStateAllocation() {}

  private static long allocatedBytes() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  public static void main(String[] args) throws IOException {
    ManualTicker ticker = new ManualTicker();
    ConfigProperties config = ConfigProperties.of(Map.of(MetricSources.FAMILIES,
        String.join(",", SamplerTickBenchmark.CHEAP.keySet())));
    MetricSources.Opened opened = MetricSources.open(SamplingTarget.self(), new ProviderContext(config, ticker),
        SteadyStateAllocation.class.getClassLoader());
    System.out.println("sources=" + opened.chosen() + " unavailable=" + opened.unavailable());
    try (Sampler sampler = new Sampler(opened.sources(), Duration.ofMillis(10), ticker, 1024)) {
      for (int i = 0; i < 20_000; i++) {
        ticker.advance(SamplerTickBenchmark.TEN_MS);
        sampler.tick();
      }
      int n = 50_000;
      long b0 = allocatedBytes();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ticker.advance(SamplerTickBenchmark.TEN_MS);
        sampler.tick();
      }
      long t1 = System.nanoTime();
      long b1 = allocatedBytes();
      System.out.printf("tick: ticks=%d allocatedBytes=%d bytesPerTick=%.4f usPerTick=%.1f sourceErrors=%s%n", n,
          b1 - b0, (b1 - b0) / (double) n, (t1 - t0) / 1e3 / n, Arrays.toString(sampler.sourceErrors()));
    }

    long[][] rows = new long[4096][30];
    SplittableRandom random = new SplittableRandom(42);
    long[] v = new long[30];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < 30; c++) {
        v[c] = c % 2 == 0 ? v[c] + random.nextLong(1_000_000) : Math.max(0, v[c] + random.nextLong(-4096, 4096));
      }
      rows[r] = v.clone();
    }
    Path dir = Files.createTempDirectory("presize-alloc-check");
    Path file = dir.resolve("check.trace");
    try (TraceWriter writer = TraceWriter.create(file,
        TraceHeader.builder("bench", Arrays.copyOf(Metric.values(), 30)).build())) {
      long ts = 0;
      for (int i = 0; i < 300_000; i++) {
        ts += SamplerTickBenchmark.TEN_MS;
        writer.append(ts, rows[i & 4095]);
      }
      int m = 1_000_000;
      long bytesBefore = writer.bytesWritten();
      long b0 = allocatedBytes();
      long t0 = System.nanoTime();
      for (int i = 0; i < m; i++) {
        ts += SamplerTickBenchmark.TEN_MS;
        writer.append(ts, rows[i & 4095]);
      }
      long t1 = System.nanoTime();
      long b1 = allocatedBytes();
      System.out.printf("append: samples=%d allocatedBytes=%d bytesPerSample=%.4f usPerSample=%.2f "
          + "fileBytesPerSample=%.1f%n", m, b1 - b0, (b1 - b0) / (double) m, (t1 - t0) / 1e3 / m,
          (writer.bytesWritten() - bytesBefore) / (double) m);
    } finally {
      Files.deleteIfExists(file);
      Files.delete(dir);
    }
  }
}
