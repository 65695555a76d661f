package dev.presize.bench;

import dev.presize.adapter.cgroups.input.CgroupV1SourceProvider;
import dev.presize.adapter.cgroups.input.PsiSourceProvider;
import dev.presize.core.input.jvm.JfrPhaseSourceProvider;
import dev.presize.core.input.jvm.JvmMetricSourceProvider;
import dev.presize.core.input.proc.NetDevSourceProvider;
import dev.presize.core.input.proc.ProcessTreeSourceProvider;
import dev.presize.core.input.ProcFile;
import dev.presize.core.sampling.MetricSources;
import dev.presize.core.sampling.Sampler;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one 10 ms sampler tick on this JVM: {@link Sampler#tick()} over every cheap source ({@code procfs},
 * {@code netdev}, {@code cgroup-v1}, {@code psi}, {@code jvm}) and each source's {@code sample()} alone.
 *
 * <p>Target: a full tick in at most 20 µs and 0 B/op (about 0.2% of one core at 100 Hz). Time is a
 * {@link ManualTicker} advanced by 10 ms before every call, so every source is due on every tick and the
 * process-tree rescan (every 100 ms) runs every tenth tick, as in production. {@code jfr-phase} is not in the
 * full tick: its {@code sample()} only copies a volatile, and its real cost (a JFR recording stream) is on its
 * own thread, which this benchmark does not see.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar SamplerTick -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SamplerTickBenchmark {

  static final long TEN_MS = Duration.ofMillis(10).toNanos();

  /** The cheap families and the provider expected for each on a cgroup v1 host. */
  static final Map<String, String> CHEAP = Map.of("process", "procfs", "network", "netdev", "cgroup", "cgroup-v1",
      "pressure", "psi", "jvm", "jvm");

  /** A sampler over every cheap source of this JVM. */
  @State(Scope.Thread)
  public static class FullTick {
    final ManualTicker ticker = new ManualTicker();
    Sampler sampler;

    @Setup(Level.Trial)
    public void open() {
      ConfigProperties config = ConfigProperties.of(Map.of(MetricSources.FAMILIES, String.join(",", CHEAP.keySet())));
      MetricSources.Opened opened = MetricSources.open(SamplingTarget.self(), new ProviderContext(config, ticker),
          SamplerTickBenchmark.class.getClassLoader());
      if (!opened.chosen().equals(CHEAP)) {
        opened.sources().forEach(MetricSource::close);
        throw new IllegalStateException("expected sources " + CHEAP + " but opened " + opened.chosen()
            + "; unavailable: " + opened.unavailable());
      }
      sampler = new Sampler(opened.sources(), Duration.ofNanos(TEN_MS), ticker, 1024);
    }

    @TearDown(Level.Trial)
    public void close() {
      long[] errors = sampler.sourceErrors();
      sampler.close();
      if (Arrays.stream(errors).anyMatch(e -> e != 0)) {
        throw new IllegalStateException("source errors " + Arrays.toString(errors) + " for " + sampler.sources()
            + ": a failing source makes the tick look cheaper than it is");
      }
    }
  }

  /** One source, by provider name; {@code procfs-root-only} is procfs without the process-tree rescan. */
  @State(Scope.Thread)
  public static class OneSource {
    @Param({"procfs", "procfs-root-only", "netdev", "cgroup-v1", "psi", "jvm", "jfr-phase"})
    String source;

    final ManualTicker ticker = new ManualTicker();
    final ArrayWriter writer = new ArrayWriter();
    MetricSource metricSource;

    @Setup(Level.Trial)
    public void open() throws IOException {
      ProviderContext context = new ProviderContext(ConfigProperties.empty(), ticker);
      SamplingTarget target = SamplingTarget.self();
      MetricSourceProvider provider = switch (source) {
        case "procfs" -> new ProcessTreeSourceProvider();
        case "procfs-root-only" -> {
          target = new SamplingTarget(target.pid(), false, true, Map.of());
          yield new ProcessTreeSourceProvider();
        }
        case "netdev" -> new NetDevSourceProvider();
        case "cgroup-v1" -> new CgroupV1SourceProvider();
        case "psi" -> new PsiSourceProvider();
        case "jvm" -> new JvmMetricSourceProvider();
        case "jfr-phase" -> new JfrPhaseSourceProvider();
        default -> throw new IllegalArgumentException("unknown source " + source);
      };
      var support = provider.probe(target, context);
      if (!support.supported()) {
        throw new IllegalStateException(source + " is not supported here: " + support);
      }
      metricSource = provider.create(target, context);
    }

    @TearDown(Level.Trial)
    public void close() {
      metricSource.close();
    }
  }

  /**
   * One file of the tick, re-read with {@link ProcFile#read()} and not parsed: the floor of each source's cost.
   * {@code task-children} is one thread's {@code /proc/self/task/<tid>/children}, read for every thread of every
   * tracked process at each process-tree rescan.
   */
  @State(Scope.Thread)
  public static class OneFile {
    @Param({"proc-stat", "proc-io", "net-dev", "task-children", "cpuacct.usage", "memory.usage_in_bytes",
        "memory.stat", "psi-cpu", "psi-memory", "psi-io"})
    String file;

    ProcFile procFile;

    @Setup(Level.Trial)
    public void open() throws IOException {
      Path path = switch (file) {
        case "proc-stat" -> Path.of("/proc/self/stat");
        case "proc-io" -> Path.of("/proc/self/io");
        case "net-dev" -> Path.of("/proc/self/net/dev");
        case "task-children" -> Path.of("/proc/self/task").resolve(Path.of("/proc/thread-self").toRealPath()
            .getFileName()).resolve("children");
        case "cpuacct.usage" -> cgroupDir("cpuacct").resolve("cpuacct.usage");
        case "memory.usage_in_bytes" -> cgroupDir("memory").resolve("memory.usage_in_bytes");
        case "memory.stat" -> cgroupDir("memory").resolve("memory.stat");
        case "psi-cpu" -> Path.of("/proc/pressure/cpu");
        case "psi-memory" -> Path.of("/proc/pressure/memory");
        case "psi-io" -> Path.of("/proc/pressure/io");
        default -> throw new IllegalArgumentException("unknown file " + file);
      };
      procFile = ProcFile.open(path, 4096);
      procFile.read();
    }

    @TearDown(Level.Trial)
    public void close() {
      procFile.close();
    }
  }

  /** This process's cgroup v1 directory for {@code controller}, from {@code /proc/self/cgroup}. */
  static Path cgroupDir(String controller) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] parts = line.split(":", 3);
      if (parts.length == 3 && Arrays.asList(parts[1].split(",")).contains(controller)) {
        return Path.of("/sys/fs/cgroup", controller + parts[2]);
      }
    }
    throw new IllegalStateException("no cgroup v1 " + controller + " controller in /proc/self/cgroup");
  }

  /** One sampler tick: every cheap source read, one sample put into the ring. */
  @Benchmark
  public Sampler fullTick(FullTick s) {
    s.ticker.advance(TEN_MS);
    s.sampler.tick();
    return s.sampler;
  }

  /** One positional read of one file (no parsing). */
  @Benchmark
  public int fileRead(OneFile s) throws IOException {
    return s.procFile.read();
  }

  /** One source's {@code sample()} alone. */
  @Benchmark
  public long[] sourceSample(OneSource s) throws IOException {
    s.ticker.advance(TEN_MS);
    s.metricSource.sample(s.writer);
    return s.writer.values;
  }
}
