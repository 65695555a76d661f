package dev.presize.adapter.cgroups.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.adapter.cgroups.input.CgroupV1SourceProvider;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.host.ResourceGroup;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.testkit.RecordingSampleWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real cgroup v1 groups on this host: created under this JVM's own groups, a child joined through
 * {@code wrap(...)}, sampled with the {@code cgroup-v1} source, removed afterwards (also on failure).
 */
@Timeout(20)
class CgroupV1RealTest {

  private static final long MIB = 1L << 20;

  private final ProviderContext ctx = ProviderContext.of(ConfigProperties.empty());
  private final CgroupV1GroupProvider groups = new CgroupV1GroupProvider();

  @BeforeEach
  void writableV1() {
    Support s = groups.probe(ctx);
    assumeTrue(s.supported(), () -> "no writable cgroup v1 hierarchy here: " + s.reason());
  }

  private static List<String> java(int mebibytes, long burnMillis, String maxHeap) {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String classes = Path.of(Hog.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    return List.of(java, "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-cp", classes, Hog.class.getName(), Integer.toString(mebibytes), Long.toString(burnMillis));
  }

  private static MetricSource source(Process p, ResourceGroup g, ProviderContext ctx) throws Exception {
    SamplingTarget t = SamplingTarget.processTree(p.pid()).withCgroupPaths(g.cgroupPaths());
    return new CgroupV1SourceProvider().create(t, ctx);
  }

  /** Samples enough times that every rotated file has been re-read. */
  private static RecordingSampleWriter fresh(MetricSource s, RecordingSampleWriter out) throws Exception {
    s.sampleComplete(out); // every rotated file too
    return out;
  }

  @Test
  @DisplayName("1 core / 512Mi: the child joins before exec; usage ≥ 100 MiB, CPU usage grows, the limit reads back")
  void memoryAndCpu() throws Exception {
    try (ResourceGroup g = groups.create("presize-test-mem", Optional.of(ResourceProfile.of(1000, 512 * MIB)), ctx)) {
      assertThat(g.limitsInForce()).containsEntry("memory.limit", Long.toString(512 * MIB))
          .containsEntry("cpu.quota.micros", "100000").containsEntry("cpu.period.micros", "100000");
      assertThat(g.cgroupPaths()).containsKeys("cpu", "cpuacct", "memory");
      Process p = new ProcessBuilder(g.wrap(java(150, 400, "256m"))).redirectErrorStream(true).start();
      try (MetricSource s = source(p, g, ctx)) {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("ready");
        String procCgroup = Files.readString(Path.of("/proc/" + p.pid() + "/cgroup"));
        assertThat(procCgroup).contains("memory:" + g.cgroupPaths().get("memory"))
            .contains("cpu:" + g.cgroupPaths().get("cpu"));
        RecordingSampleWriter out = fresh(s, new RecordingSampleWriter());
        assertThat(out.get(Metric.CGROUP_MEMORY_USAGE_BYTES)).isGreaterThanOrEqualTo(100 * MIB);
        assertThat(out.get(Metric.CGROUP_MEMORY_WORKING_SET_BYTES)).isGreaterThanOrEqualTo(100 * MIB);
        assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_BYTES)).isEqualTo(512 * MIB);
        assertThat(out.get(Metric.CGROUP_CPU_LIMIT_MILLICORES)).isEqualTo(1000);
        long cpu0 = out.get(Metric.CGROUP_CPU_USAGE_NANOS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long cpu1 = cpu0;
        while (cpu1 < cpu0 + 100_000_000L && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(20);
          s.sample(out);
          cpu1 = out.get(Metric.CGROUP_CPU_USAGE_NANOS);
        }
        assertThat(cpu1).as("cpu usage after burning").isGreaterThanOrEqualTo(cpu0 + 100_000_000L);

        ((CgroupV1Group) g).setMemoryLimit(1024 * MIB); // grow: memsw first
        ((CgroupV1Group) g).setMemoryLimit(384 * MIB); // shrink: limit first
        assertThat(g.limitsInForce()).containsEntry("memory.limit", Long.toString(384 * MIB));
        p.getOutputStream().close();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
      } finally {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("200 millicores: a busy loop is throttled (throttled time and periods > 0)")
  void cpuQuotaThrottles() throws Exception {
    try (ResourceGroup g = groups.create("presize-test-cpu", Optional.of(ResourceProfile.of(200, 64 * MIB)), ctx)) {
      assertThat(g.limitsInForce()).containsEntry("cpu.quota.micros", "20000");
      Process p = new ProcessBuilder(g.wrap(List.of("/bin/sh", "-c", "while :; do :; done"))).start();
      try (MetricSource s = source(p, g, ctx)) {
        RecordingSampleWriter out = fresh(s, new RecordingSampleWriter());
        assertThat(out.get(Metric.CGROUP_CPU_LIMIT_MILLICORES)).isEqualTo(200);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(3);
        while ((!out.has(Metric.CGROUP_CPU_THROTTLED_NANOS) || out.get(Metric.CGROUP_CPU_THROTTLED_NANOS) == 0
            || out.get(Metric.CGROUP_CPU_PERIODS) < 5) && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(20);
          s.sample(out);
        }
        long wallNanos = System.nanoTime() - start;
        assertThat(out.get(Metric.CGROUP_CPU_THROTTLED_NANOS)).isPositive();
        assertThat(out.get(Metric.CGROUP_CPU_THROTTLED_PERIODS)).isPositive();
        assertThat((double) out.get(Metric.CGROUP_CPU_USAGE_NANOS) / wallNanos).as("cores used")
            .isLessThan(0.5);
      } finally {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("64Mi and a child touching 200 MiB: the kernel OOM-kills it (SIGKILL) and CGROUP_OOM_KILLS ≥ 1")
  void oomKill() throws Exception {
    try (ResourceGroup g = groups.create("presize-test-oom", Optional.of(ResourceProfile.of(1000, 64 * MIB)), ctx)) {
      Process p = new ProcessBuilder(g.wrap(java(200, 0, "512m"))).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try (MetricSource s = source(p, g, ctx)) {
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("child ended").isTrue();
        assertThat(p.exitValue()).as("exit status of a SIGKILLed child").isEqualTo(128 + 9);
        RecordingSampleWriter out = fresh(s, new RecordingSampleWriter());
        assertThat(out.get(Metric.CGROUP_OOM_KILLS)).isGreaterThanOrEqualTo(1);
        assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_BYTES)).isEqualTo(64 * MIB);
      } finally {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("groups are made under this process's own group (never the memory root), named uniquely, removed on close")
  void placementUniquenessRemoval() throws Exception {
    Map<String, String> own = dev.presize.adapter.cgroups.ProcCgroups.read(Path.of("/proc/self/cgroup"));
    List<Path> dirs = new ArrayList<>();
    try (ResourceGroup a = groups.create("presize-test-same", Optional.empty(), ctx);
        ResourceGroup b = groups.create("presize-test-same", Optional.empty(), ctx)) {
      assertThat(a.name()).isNotEqualTo(b.name());
      String ownMemory = own.get("memory");
      assertThat(a.cgroupPaths().get("memory"))
          .isEqualTo((ownMemory.endsWith("/") ? ownMemory : ownMemory + "/") + a.name());
      dirs.addAll(((CgroupGroup) a).dirs());
      dirs.addAll(((CgroupGroup) b).dirs());
      assertThat(dirs).allMatch(Files::isDirectory);
    }
    assertThat(dirs).noneMatch(Files::exists);
  }

  @Test
  @DisplayName("groups left by a process that is gone (SIGKILLed before its clean-up) are removed when empty; one whose "
      + "maker runs, or with a process in it, is left alone")
  void abandonedGroupsRemoved() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    long dead = gone.pid();
    long alive = ProcessHandle.current().pid();
    List<Path> parents = CgroupV1GroupProvider.parents(CgroupConfig.from(ConfigProperties.empty())).values().stream()
        .distinct().toList();
    String abandoned = "presize-abandoned-" + dead + "-1";
    String mine = "presize-abandoned-" + alive + "-2";
    String busy = "presize-abandoned-" + dead + "-3";
    List<Path> made = new java.util.ArrayList<>();
    Process sleeper = null;
    try {
      for (Path parent : parents) {
        for (String name : List.of(abandoned, mine, busy)) {
          made.add(Files.createDirectory(parent.resolve(name)));
        }
      }
      sleeper = new ProcessBuilder("sleep", "30").start();
      Path memory = CgroupV1GroupProvider.parents(CgroupConfig.from(ConfigProperties.empty())).get("memory");
      Files.writeString(memory.resolve(busy).resolve("cgroup.procs"), Long.toString(sleeper.pid()));
      assertThat(groups.removeAbandoned("presize-abandoned-", ctx)).containsExactly(abandoned);
      for (Path parent : parents) {
        assertThat(parent.resolve(abandoned)).doesNotExist();
        assertThat(parent.resolve(mine)).isDirectory();
      }
      assertThat(memory.resolve(busy)).isDirectory();
    } finally {
      if (sleeper != null) {
        sleeper.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
      for (int i = made.size() - 1; i >= 0; i--) {
        for (int tries = 0; tries < 100 && Files.exists(made.get(i)); tries++) {
          try {
            Files.delete(made.get(i));
          } catch (java.io.IOException busyStill) {
            Thread.sleep(20); // the killed sleeper leaves its group a moment later
          }
        }
      }
    }
  }

}
