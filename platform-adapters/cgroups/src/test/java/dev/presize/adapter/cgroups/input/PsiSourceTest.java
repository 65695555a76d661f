package dev.presize.adapter.cgroups.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.Fixture;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.RecordingSampleWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PsiSourceTest {

  @TempDir Path root;

  private ProviderContext ctx() {
    return Fixture.context(Map.of(CgroupConfig.V2_ROOT, root.resolve("v2").toString(),
        CgroupConfig.PROC_ROOT, root.resolve("proc").toString()));
  }

  private static final SamplingTarget FN = SamplingTarget.self().withCgroupPaths(Map.of("", "/fn"));

  @Test
  @DisplayName("the target's cgroup pressure files win: some and full totals, scope CGROUP")
  void cgroupScope() throws Exception {
    Fixture.v2Group(root.resolve("v2"), "/fn", "max 100000", "max");
    hostFiles();
    try (MetricSource s = new PsiSourceProvider().create(FN, ctx())) {
      assertThat(((PsiSource) s).scope()).isEqualTo(PsiSource.Scope.CGROUP);
      assertThat(((PsiSource) s).directory()).isEqualTo(root.resolve("v2/fn"));
      RecordingSampleWriter out = new RecordingSampleWriter();
      s.sample(out);
      assertThat(out.get(Metric.PSI_CPU_SOME_MICROS)).isEqualTo(111);
      assertThat(out.get(Metric.PSI_MEMORY_SOME_MICROS)).isEqualTo(222);
      assertThat(out.get(Metric.PSI_MEMORY_FULL_MICROS)).isEqualTo(200);
      assertThat(out.get(Metric.PSI_IO_SOME_MICROS)).isEqualTo(333);
      assertThat(out.get(Metric.PSI_IO_FULL_MICROS)).isEqualTo(300);
    }
  }

  @Test
  @DisplayName("without cgroup pressure files the host's /proc/pressure is read (cpu with only a 'some' line), scope HOST")
  void hostScope() throws Exception {
    hostFiles();
    try (MetricSource s = new PsiSourceProvider().create(FN, ctx())) {
      assertThat(((PsiSource) s).scope()).isEqualTo(PsiSource.Scope.HOST);
      RecordingSampleWriter out = new RecordingSampleWriter();
      s.sample(out);
      assertThat(out.get(Metric.PSI_CPU_SOME_MICROS)).isEqualTo(17015400);
      assertThat(out.get(Metric.PSI_MEMORY_FULL_MICROS)).isEqualTo(963068);
      assertThat(out.get(Metric.PSI_IO_SOME_MICROS)).isEqualTo(5);
      assertThat(out.get(Metric.PSI_IO_FULL_MICROS)).isEqualTo(4);
    }
  }

  @Test
  @DisplayName("neither cgroup nor host pressure files: unsupported, naming both")
  void unsupported() {
    Support s = new PsiSourceProvider().probe(FN, ctx());
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("no pressure stall information").contains(root.resolve("proc/pressure/cpu")
        .toString()).contains("psi=0");
  }

  @Test
  @DisplayName("live: /proc/pressure on this host parses to plausible totals")
  void live() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/pressure/cpu")), "no /proc/pressure/cpu: kernel without PSI");
    ProviderContext ctx = Fixture.context(Map.of(CgroupConfig.V2_ROOT, root.resolve("no-v2").toString()));
    try (MetricSource s = new PsiSourceProvider().create(SamplingTarget.self(), ctx)) {
      assertThat(((PsiSource) s).scope()).isEqualTo(PsiSource.Scope.HOST);
      RecordingSampleWriter out = new RecordingSampleWriter();
      s.sample(out);
      assertThat(out.written()).containsExactlyInAnyOrderElementsOf(s.metrics());
      assertThat(out.get(Metric.PSI_MEMORY_SOME_MICROS)).isGreaterThanOrEqualTo(out.get(Metric.PSI_MEMORY_FULL_MICROS));
      assertThat(out.get(Metric.PSI_CPU_SOME_MICROS)).isNotNegative();
    }
    try (MetricSource s = new PsiSourceProvider().create(SamplingTarget.self(),
        ProviderContext.of(ConfigProperties.empty()))) {
      // default config: this JVM's unified group has pressure files on this host, so the cgroup scope is used
      assertThat(((PsiSource) s).scope()).isIn(PsiSource.Scope.CGROUP, PsiSource.Scope.HOST);
    }
  }

  private void hostFiles() {
    Fixture.write(root, "proc/pressure/cpu", "some avg10=6.90 avg60=6.47 avg300=3.45 total=17015400\n");
    Fixture.write(root, "proc/pressure/memory", "some avg10=0.18 avg60=0.03 avg300=0.02 total=1094793\n"
        + "full avg10=0.18 avg60=0.03 avg300=0.01 total=963068\n");
    Fixture.write(root, "proc/pressure/io", "some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n"
        + "full avg10=0.00 avg60=0.00 avg300=0.00 total=4\n");
  }
}
