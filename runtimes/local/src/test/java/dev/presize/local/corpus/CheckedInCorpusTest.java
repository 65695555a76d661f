package dev.presize.local.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.trace.TraceReader;
import dev.presize.spi.resources.Resource;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The corpus checked in under {@code data/corpus}: what the trainer learns from. */
class CheckedInCorpusTest {

  static final Path CORPUS = Path.of("../../data/corpus").toAbsolutePath().normalize();

  /** Workloads whose input size drives their disk bytes rather than their memory (they stream through files). */
  static final Set<String> STREAMING = Set.of("disk-fsync", "external-sort");

  static List<CorpusStats.WorkloadStats> stats;

  @BeforeAll
  static void read() throws Exception {
    stats = CorpusStats.of(CORPUS);
  }

  @Test
  @DisplayName("every run finished, and every trace is complete and readable")
  void complete() throws Exception {
    CorpusManifest m = CorpusManifest.read(CORPUS).orElseThrow();
    assertThat(m.runs()).hasSizeGreaterThan(40).allMatch(r -> r.exitCode() == 0);
    for (CorpusRun r : m.runs()) {
      assertThat(TraceReader.readAll(CORPUS.resolve(r.trace())).complete()).as(r.id()).isTrue();
    }
    assertThat(stats).hasSizeGreaterThanOrEqualTo(14);
  }

  @Test
  @DisplayName("every resource (CPU, memory, network, disk) dominates at least two workloads, as measured")
  void everyResourceDominatesTwo() {
    Map<Resource, Long> count = new EnumMap<>(Resource.class);
    for (CorpusStats.WorkloadStats s : stats) {
      count.merge(s.dominant(), 1L, Long::sum);
    }
    for (Resource r : Resource.values()) {
      assertThat(count.getOrDefault(r, 0L)).as("workloads dominated by %s: %s", r, count).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  @DisplayName("peak memory grows with input size for every workload that holds its input in memory")
  void memoryGrowsWithSize() {
    for (CorpusStats.WorkloadStats s : stats) {
      if (STREAMING.contains(s.workload())) {
        continue;
      }
      assertThat(s.peakRssBySize()).as(s.workload()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(s.memoryGrowth()).as("%s peak RSS by size %s", s.workload(), s.peakRssBySize()).isGreaterThan(1.5);
      assertThat(s.memorySizeCorrelation()).as("%s peak RSS by size %s", s.workload(), s.peakRssBySize())
          .isGreaterThan(0.7);
    }
  }
}
