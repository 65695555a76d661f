package dev.presize.local.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CorpusStatsTest {

  private static Map<Resource, Double> m(double cpu, double mem, double net, double disk) {
    Map<Resource, Double> r = new EnumMap<>(Resource.class);
    r.put(Resource.CPU, cpu);
    r.put(Resource.MEMORY, mem);
    r.put(Resource.NETWORK, net);
    r.put(Resource.DISK, disk);
    return r;
  }

  @Test
  @DisplayName("a workload is dominated by the resource on which it ranks highest; I/O below 1 MiB/s counts as none")
  void dominance() {
    Map<String, Map<Resource, Double>> in = new LinkedHashMap<>();
    in.put("matrix", m(1.9, 100, 0, 0));
    in.put("cache", m(0.9, 2000, 0, 0));
    in.put("download", m(0.6, 120, 5e7, 0));
    in.put("fsync", m(0.3, 90, 0, 4e7));
    in.put("idle", m(0.01, 80, 0, 4096)); // a JVM's own few KB of writes are not disk use
    Map<String, Resource> d = CorpusStats.dominant(in);
    assertThat(d).containsEntry("matrix", Resource.CPU).containsEntry("cache", Resource.MEMORY)
        .containsEntry("download", Resource.NETWORK).containsEntry("fsync", Resource.DISK);
    assertThat(d.get("idle")).isIn(Resource.CPU, Resource.MEMORY).isNotEqualTo(Resource.DISK);
  }

  @Test
  @DisplayName("Spearman correlation: 1 for monotone growth, -1 for monotone decline, NaN without variation")
  void spearman() {
    CorpusRun base = new CorpusRun("x", "w", 1, 1, 0, "t", "o", 0, 1, 1, 1, "now");
    List<CorpusStats.RunStats> up = List.of(rs(base, 1, 10), rs(base, 2, 20), rs(base, 3, 35));
    List<CorpusStats.RunStats> down = List.of(rs(base, 1, 30), rs(base, 2, 20), rs(base, 3, 10));
    List<CorpusStats.RunStats> flat = List.of(rs(base, 1, 10), rs(base, 2, 10), rs(base, 3, 10));
    assertThat(CorpusStats.spearman(up)).isEqualTo(1.0);
    assertThat(CorpusStats.spearman(down)).isEqualTo(-1.0);
    assertThat(CorpusStats.spearman(flat)).isNaN();
  }

  private static CorpusStats.RunStats rs(CorpusRun base, long size, long rss) {
    CorpusRun r = new CorpusRun(base.id() + size, base.workload(), size, 1, 0, "t", "o", 0, 1, rss, 1, "now");
    return new CorpusStats.RunStats(r, 1, rss, 1, 1, 0, 0, 0, 0);
  }
}
