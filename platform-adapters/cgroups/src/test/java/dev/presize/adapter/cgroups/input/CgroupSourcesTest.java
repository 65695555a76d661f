package dev.presize.adapter.cgroups.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.Fixture;
import dev.presize.adapter.cgroups.ProcCgroups;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.Support;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.RecordingSampleWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupSourcesTest {

  @TempDir Path root;

  private static final SamplingTarget V2_FN = SamplingTarget.self().withCgroupPaths(Map.of("", "/fn"));

  private ProviderContext v2() {
    return Fixture.context(Map.of(CgroupConfig.V2_ROOT, root.toString()));
  }

  /** Plain ticks until every rotated file was read again: one every other tick, at most 6 phases. */
  private static RecordingSampleWriter sampleFullRotation(MetricSource s) throws Exception {
    RecordingSampleWriter out = new RecordingSampleWriter();
    for (int i = 0; i < 12; i++) {
      s.sample(out);
    }
    return out;
  }

  @Test
  @DisplayName("v2: cpu.stat usage_usec×1000, throttling in ns, cpu.max quota/period in millicores, memory.max bytes")
  void v2Values() throws Exception {
    Fixture.v2Group(root, "/fn", "50000 100000", "536870912");
    try (MetricSource s = new CgroupV2SourceProvider().create(V2_FN, v2())) {
      RecordingSampleWriter out = sampleFullRotation(s);
      assertThat(out.get(Metric.CGROUP_CPU_USAGE_NANOS)).isEqualTo(1_500_000);
      assertThat(out.get(Metric.CGROUP_CPU_PERIODS)).isEqualTo(40);
      assertThat(out.get(Metric.CGROUP_CPU_THROTTLED_PERIODS)).isEqualTo(7);
      assertThat(out.get(Metric.CGROUP_CPU_THROTTLED_NANOS)).isEqualTo(2_500_000);
      assertThat(out.get(Metric.CGROUP_CPU_LIMIT_MILLICORES)).isEqualTo(500);
      assertThat(out.get(Metric.CGROUP_MEMORY_USAGE_BYTES)).isEqualTo(104_857_600);
      assertThat(out.get(Metric.CGROUP_MEMORY_WORKING_SET_BYTES)).isEqualTo(104_857_600 - 15_000_000);
      assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_BYTES)).isEqualTo(536_870_912);
      assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_HITS)).isEqualTo(3);
      assertThat(out.get(Metric.CGROUP_OOM_KILLS)).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("v2: 'max' in cpu.max and memory.max reads as 0 = unlimited")
  void v2Max() throws Exception {
    Fixture.v2Group(root, "/fn", "max 100000", "max");
    try (MetricSource s = new CgroupV2SourceProvider().create(V2_FN, v2())) {
      RecordingSampleWriter out = sampleFullRotation(s);
      assertThat(out.get(Metric.CGROUP_CPU_LIMIT_MILLICORES)).isZero();
      assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_BYTES)).isZero();
    }
  }

  @Test
  @DisplayName("v2 without the cpu controller (no cpu.max): usage only, no throttling or limit metrics")
  void v2NoCpuController() throws Exception {
    Fixture.v2Group(root, "/fn", null, "max");
    try (MetricSource s = new CgroupV2SourceProvider().create(V2_FN, v2())) {
      assertThat(s.metrics()).contains(Metric.CGROUP_CPU_USAGE_NANOS)
          .doesNotContain(Metric.CGROUP_CPU_LIMIT_MILLICORES, Metric.CGROUP_CPU_THROTTLED_NANOS);
    }
  }

  @Test
  @DisplayName("v2 probes unsupported when the group lacks memory.current, saying exactly that")
  void v2LacksMemoryCurrent() throws Exception {
    Fixture.write(root, "fn/cpu.stat", "usage_usec 1\n");
    Support s = new CgroupV2SourceProvider().probe(V2_FN, v2());
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).isEqualTo("cgroup v2 group " + root.resolve("fn") + " lacks memory.current");
    assertThatThrownBy(() -> new CgroupV2SourceProvider().create(V2_FN, v2()))
        .isInstanceOf(PresizeException.class).hasMessageContaining("lacks memory.current");
  }

  @Test
  @DisplayName("v2 on this host: the JVM's unified group lacks the memory controller, so cgroup-v2 is unsupported")
  void v2OnThisHost() throws Exception {
    Path unified = Path.of("/sys/fs/cgroup/unified");
    assumeTrue(isHybrid() && !java.nio.file.Files.readString(unified.resolve("cgroup.controllers")).contains("memory"),
        "needs a hybrid host whose cgroup2 hierarchy has no memory controller (this host's layout)");
    assumeTrue(ProcCgroups.read(Path.of("/proc/self/cgroup")).getOrDefault("", "?").equals("/"),
        "needs this JVM in the root of the unified hierarchy");
    Support s = new CgroupV2SourceProvider().probe(SamplingTarget.self(), ProviderContext.of(ConfigProperties.empty()));
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).isEqualTo("cgroup v2 group " + unified + " lacks memory.current");
  }

  private static boolean isHybrid() {
    return java.nio.file.Files.isDirectory(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  @DisplayName("v1 on a fixture: cpuacct.usage, cpu.stat, quota -1 → 0, the 'no limit' value → 0, oom_kill")
  void v1Values() throws Exception {
    Fixture.write(root, "proc/77/cgroup", "4:memory:/sandbox/fn\n2:cpuacct:/fn\n1:cpu:/fn\n0::/\n");
    Fixture.write(root, "v1/cpuacct/fn/cpuacct.usage", "123456789\n");
    Fixture.write(root, "v1/cpu/fn/cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 5000000\n");
    Fixture.write(root, "v1/cpu/fn/cpu.cfs_quota_us", "-1\n");
    Fixture.write(root, "v1/cpu/fn/cpu.cfs_period_us", "100000\n");
    Fixture.write(root, "v1/memory/sandbox/fn/memory.usage_in_bytes", "2000000\n");
    Fixture.write(root, "v1/memory/sandbox/fn/memory.stat", "cache 5\ninactive_file 1\ntotal_cache 5\n"
        + "total_inactive_file 500000\n");
    Fixture.write(root, "v1/memory/sandbox/fn/memory.limit_in_bytes", "9223372036854771712\n");
    Fixture.write(root, "v1/memory/sandbox/fn/memory.failcnt", "2\n");
    Fixture.write(root, "v1/memory/sandbox/fn/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
    ProviderContext ctx = Fixture.context(Map.of(CgroupConfig.V1_ROOT, root.resolve("v1").toString(),
        CgroupConfig.V2_ROOT, root.resolve("v2").toString(), CgroupConfig.PROC_ROOT, root.resolve("proc").toString()));
    SamplingTarget t = SamplingTarget.processTree(77);
    assertThat(new CgroupV1SourceProvider().probe(t, ctx).supported()).isTrue();
    try (MetricSource s = new CgroupV1SourceProvider().create(t, ctx)) {
      RecordingSampleWriter out = sampleFullRotation(s);
      assertThat(out.get(Metric.CGROUP_CPU_USAGE_NANOS)).isEqualTo(123_456_789);
      assertThat(out.get(Metric.CGROUP_CPU_PERIODS)).isEqualTo(10);
      assertThat(out.get(Metric.CGROUP_CPU_THROTTLED_PERIODS)).isEqualTo(4);
      assertThat(out.get(Metric.CGROUP_CPU_THROTTLED_NANOS)).isEqualTo(5_000_000);
      assertThat(out.get(Metric.CGROUP_CPU_LIMIT_MILLICORES)).isZero();
      assertThat(out.get(Metric.CGROUP_MEMORY_USAGE_BYTES)).isEqualTo(2_000_000);
      assertThat(out.get(Metric.CGROUP_MEMORY_WORKING_SET_BYTES)).isEqualTo(1_500_000);
      assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_BYTES)).isZero();
      assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_HITS)).isEqualTo(2);
      assertThat(out.get(Metric.CGROUP_OOM_KILLS)).isEqualTo(3);

      Fixture.write(root, "v1/cpu/fn/cpu.cfs_quota_us", "20000\n");
      Fixture.write(root, "v1/memory/sandbox/fn/memory.limit_in_bytes", "536870912\n");
      out = sampleFullRotation(s);
      assertThat(out.get(Metric.CGROUP_CPU_LIMIT_MILLICORES)).isEqualTo(200);
      assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_BYTES)).isEqualTo(536_870_912);
    }
    assertThat(new CgroupV1SourceProvider().probe(SamplingTarget.processTree(78), ctx).reason())
        .contains("does not exist or has exited");
  }

  @Test
  @DisplayName("family 'cgroup' on this host selects cgroup-v1 (cgroup-v2 has no controllers here); all three are discovered")
  void registry() {
    ProviderRegistry<MetricSourceProvider> registry = ProviderRegistry.load(MetricSourceProvider.class);
    assertThat(registry.all()).extracting(MetricSourceProvider::name).contains("cgroup-v1", "cgroup-v2", "psi");
    ProviderContext ctx = ProviderContext.of(ConfigProperties.empty());
    var cgroup = ProviderRegistry.of(MetricSourceProvider.class,
        registry.all().stream().filter(p -> p.family().equals("cgroup")).toList());
    Support v1 = new CgroupV1SourceProvider().probe(SamplingTarget.self(), ctx);
    assumeTrue(v1.supported() && isHybrid(),
        () -> "needs this host's hybrid layout; cgroup-v1: " + v1.reason());
    assertThat(cgroup.select(Optional.empty(), p -> p.probe(SamplingTarget.self(), ctx)).provider().name())
        .isEqualTo("cgroup-v1");
  }
}
