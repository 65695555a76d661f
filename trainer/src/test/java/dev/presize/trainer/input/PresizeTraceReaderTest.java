package dev.presize.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.presize.core.trace.TraceHeader;
import dev.presize.core.trace.TraceWriter;
import dev.presize.local.corpus.CorpusManifest;
import dev.presize.local.corpus.CorpusRun;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresizeTraceReaderTest {

  private static final Duration STEP = Duration.ofMillis(100);
  private static final long MS = 1_000_000L;

  @TempDir
  Path tmp;

  @Test
  @DisplayName("a hand-made trace: CPU, network and disk are counter deltas over the step, memory the step's peak")
  void handMade() throws IOException {
    Path file = tmp.resolve("hand-s1-r0.pstrace");
    TraceHeader header = TraceHeader.builder("hand", Metric.CGROUP_CPU_USAGE_NANOS, Metric.PROC_RSS_BYTES,
            Metric.NET_RX_BYTES, Metric.NET_TX_BYTES, Metric.PROC_READ_BYTES, Metric.PROC_WRITE_BYTES,
            Metric.CGROUP_CPU_LIMIT_MILLICORES, Metric.CGROUP_MEMORY_LIMIT_BYTES)
        .startTime(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
    try (TraceWriter w = TraceWriter.create(file, header)) {
      // 0..200 ms every 10 ms: 1.5 cores, rss rising 0..20 MB with a spike at 150 ms, 1 MB/s net, 2 MB/s disk
      for (int i = 0; i <= 20; i++) {
        long t = i * 10 * MS;
        long rss = i * 1_000_000L + (i == 15 ? 50_000_000L : 0);
        w.append(t, new long[] {t * 3 / 2, rss, t / 2000, t / 2000, t / 1000, t / 1000, 2000, 0});
      }
    }
    Series s = PresizeTraceReader.read(file, STEP);

    assertThat(s.id()).isEqualTo("presize/hand-s1-r0");
    assertThat(s.source()).isEqualTo("presize");
    assertThat(s.startMillis()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    assertThat(s.memoryIsPeak()).isTrue();
    assertThat(s.length()).isEqualTo(2);
    assertThat(s.values(Resource.CPU)).containsExactly(new double[] {1.5, 1.5}, within(1e-9));
    assertThat(s.values(Resource.MEMORY)).containsExactly(10_000_000, 65_000_000);
    assertThat(s.values(Resource.NETWORK)).containsExactly(new double[] {1e6, 1e6}, within(1e-3));
    assertThat(s.values(Resource.DISK)).containsExactly(new double[] {2e6, 2e6}, within(1e-3));
    assertThat(s.provisioned(Resource.CPU)).hasValue(2.0);
    assertThat(s.provisioned(Resource.MEMORY)).as("0 = unlimited").isEmpty();
  }

  @Test
  @DisplayName("without cgroup CPU and RSS it falls back to proc user+system and cgroup memory; a step that"
      + " splits a sample interval is interpolated")
  void fallbacks() throws IOException {
    Path file = tmp.resolve("fb.pstrace");
    TraceHeader header = TraceHeader.builder("fb", Metric.PROC_CPU_USER_NANOS, Metric.PROC_CPU_SYSTEM_NANOS,
        Metric.CGROUP_MEMORY_USAGE_BYTES).build();
    try (TraceWriter w = TraceWriter.create(file, header)) {
      w.append(0, new long[] {0, 0, 100});
      w.append(30 * MS, new long[] {15 * MS, 15 * MS, 300});
      w.append(60 * MS, new long[] {15 * MS, 15 * MS, 200});
    }
    Series s = PresizeTraceReader.read(file, Duration.ofMillis(20));

    assertThat(s.length()).isEqualTo(3);
    assertThat(s.values(Resource.CPU)).containsExactly(new double[] {1, 0.5, 0}, within(1e-9));
    assertThat(s.values(Resource.MEMORY)).as("step 2 (20, 40] holds the 30 ms sample; (40, 60] the 60 ms one")
        .containsExactly(100, 300, 200);
    assertThat(s.has(Resource.NETWORK)).isFalse();
    assertThat(s.has(Resource.DISK)).isFalse();
  }

  @Test
  @DisplayName("a trace with no CPU column is refused naming the file and the columns it has")
  void noCpu() throws IOException {
    Path file = tmp.resolve("nocpu.pstrace");
    try (TraceWriter w = TraceWriter.create(file, TraceHeader.builder("x", Metric.PROC_RSS_BYTES).build())) {
      w.append(0, new long[] {1});
      w.append(10 * MS, new long[] {1});
    }
    assertThatThrownBy(() -> PresizeTraceReader.read(file, STEP))
        .isInstanceOf(InputDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("no CPU column");
  }

  @Test
  @DisplayName("every run of the checked-in corpus gives a non-empty series at 100 ms with CPU and memory, provisioned with the run's cgroup limits")
  void corpus() throws IOException {
    Path dir = SharedData.corpus();
    List<CorpusRun> runs = CorpusManifest.read(dir).orElseThrow().runs();
    List<Series> all = PresizeTraceReader.readCorpus(dir, STEP);

    assertThat(all).hasSize((int) runs.stream().filter(r -> r.exitCode() == 0).count());
    for (Series s : all) {
      assertThat(s.length()).as(s.id()).isPositive();
      assertThat(s.has(Resource.CPU) && s.has(Resource.MEMORY)).as(s.id()).isTrue();
      assertThat(Arrays.stream(s.values(Resource.CPU))).as(s.id()).allMatch(v -> v >= 0 && v <= 2.5);
      assertThat(Arrays.stream(s.values(Resource.MEMORY))).as(s.id()).allMatch(v -> v > 0);
      // recorded under a cgroup of 2 cores and 4 GiB (data/corpus/README.md)
      assertThat(s.provisioned(Resource.CPU)).as(s.id()).hasValue(2.0);
      assertThat(s.provisioned(Resource.MEMORY)).as(s.id()).hasValue(4.0 * 1024 * 1024 * 1024);
    }
    Map<String, Series> byId = all.stream().collect(Collectors.toMap(Series::id, Function.identity()));
    assertThat(byId).containsKey("presize/" + runs.get(0).id());
  }

  @Test
  @DisplayName("corpus: a CPU-bound workload averages > 0.5 cores; memory-phases at its largest size peaks > 400 MiB")
  void corpusShapes() throws IOException {
    Path dir = SharedData.corpus();
    List<CorpusRun> runs = CorpusManifest.read(dir).orElseThrow().runs();
    long largestMatrix = runs.stream().filter(r -> r.workload().equals("matrix-multiply"))
        .mapToLong(CorpusRun::size).max().orElseThrow();
    long largestPhases = runs.stream().filter(r -> r.workload().equals("memory-phases"))
        .mapToLong(CorpusRun::size).max().orElseThrow();
    for (CorpusRun run : runs) {
      Series s = PresizeTraceReader.read(dir.resolve(run.trace()), STEP);
      if (run.workload().equals("matrix-multiply") && run.size() == largestMatrix) {
        double mean = Arrays.stream(s.values(Resource.CPU)).average().orElseThrow();
        assertThat(mean).as(run.id() + " mean cores").isGreaterThan(0.5);
        assertThat(mean * s.length() * 0.1).as(run.id() + " CPU seconds vs the manifest's")
            .isCloseTo(run.cpuSeconds(), within(0.25 * run.cpuSeconds()));
      }
      if (run.workload().equals("memory-phases") && run.size() == largestPhases) {
        double peak = Arrays.stream(s.values(Resource.MEMORY)).max().orElseThrow();
        assertThat(peak).as(run.id() + " peak memory").isGreaterThan(400.0 * 1024 * 1024);
      }
    }
  }
}
