package dev.presize.adapter.cgroups.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.Fixture;
import dev.presize.adapter.cgroups.input.CgroupV2SourceProvider;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.host.ResourceGroup;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.testkit.RecordingSampleWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup v2 resource group on a {@code @TempDir} tree (this host's v2 hierarchy has no controllers). */
class CgroupV2GroupTest {

  private static final long MIB = 1L << 20;

  @TempDir Path root;
  private Path v2;
  private ProviderContext ctx;

  @BeforeEach
  void tree() {
    v2 = root.resolve("v2");
    Fixture.write(root, "proc/self/cgroup", "0::/sandbox\n");
    Fixture.write(v2, "sandbox/cgroup.controllers", "cpuset cpu io memory pids\n");
    Fixture.write(v2, "sandbox/cgroup.subtree_control", "\n");
    ctx = Fixture.context(Map.of(CgroupConfig.V2_ROOT, v2.toString(), CgroupConfig.PROC_ROOT,
        root.resolve("proc").toString(), CgroupConfig.REMOVE_TIMEOUT, "0s"));
  }

  @Test
  @DisplayName("create: a child of this process's group, controllers enabled for children, cpu.max and memory.max written")
  void createWritesLimits() throws Exception {
    try (ResourceGroup g = new CgroupV2GroupProvider().create("fn 1", Optional.of(ResourceProfile.of(250, 512 * MIB)),
        ctx)) {
      assertThat(g.name()).isEqualTo("fn-1");
      assertThat(g.cgroupPaths()).isEqualTo(Map.of("", "/sandbox/fn-1"));
      Path dir = v2.resolve("sandbox/fn-1");
      assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("25000 100000");
      assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo(Long.toString(512 * MIB));
      assertThat(Files.readString(v2.resolve("sandbox/cgroup.subtree_control"))).isEqualTo("+cpu +memory");
      assertThat(g.limitsInForce()).containsEntry("memory.limit", Long.toString(512 * MIB))
          .containsEntry("cpu.quota.micros", "25000").containsEntry("cpu.period.micros", "100000");

      Files.writeString(dir.resolve("memory.max"), "max\n"); // as the kernel shows "no limit"
      Files.writeString(dir.resolve("cpu.max"), "max 100000\n");
      assertThat(g.limitsInForce()).containsEntry("memory.limit", "max").containsEntry("cpu.quota.micros", "max");
      emptyLikeKernelRmdir(dir);
    }
  }

  @Test
  @DisplayName("wrap: the child writes its own pid into cgroup.procs and then execs the command with its arguments")
  void wrapJoinsBeforeExec() throws Exception {
    try (ResourceGroup g = new CgroupV2GroupProvider().create("fn", Optional.empty(), ctx)) {
      Path out = root.resolve("out.txt");
      List<String> cmd = g.wrap(List.of("/bin/sh", "-c", "echo \"$$ $1\" > \"$0\"", out.toString(), "a b"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      String procs = Files.readString(v2.resolve("sandbox/fn/cgroup.procs")).strip();
      assertThat(procs).isEqualTo(Long.toString(p.pid()));
      assertThat(Files.readString(out).strip()).isEqualTo(p.pid() + " a b"); // same pid after exec
      emptyLikeKernelRmdir(v2.resolve("sandbox/fn"));
    }
  }

  @Test
  @DisplayName("wrap: a group that cannot be joined runs nothing and exits 125")
  void wrapRefusesToRunOutside() throws Exception {
    try (ResourceGroup g = new CgroupV2GroupProvider().create("fn", Optional.empty(), ctx)) {
      Path dir = v2.resolve("sandbox/fn");
      Files.delete(dir); // the group vanished
      Path marker = root.resolve("ran");
      Process p = new ProcessBuilder(g.wrap(List.of("/usr/bin/touch", marker.toString()))).start();
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(125);
      assertThat(new String(p.getErrorStream().readAllBytes())).contains("cannot join cgroup");
      assertThat(marker).doesNotExist();
    }
  }

  @Test
  @DisplayName("names are unique: a taken name gets a suffix; close removes the group and is idempotent")
  void uniqueNamesAndClose() throws Exception {
    Files.createDirectories(v2.resolve("sandbox/fn"));
    ResourceGroup g = new CgroupV2GroupProvider().create("fn", Optional.empty(), ctx);
    assertThat(g.name()).isEqualTo("fn-2");
    Path dir = v2.resolve("sandbox/fn-2");
    assertThat(dir).isDirectory();
    g.close();
    assertThat(dir).doesNotExist();
    assertThatCode(g::close).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("close never throws: a group that cannot be removed is left in place with a warning")
  void closeLeavesBusyGroup() throws Exception {
    ResourceGroup g = new CgroupV2GroupProvider().create("fn", Optional.of(ResourceProfile.of(1000, 64 * MIB)), ctx);
    assertThatCode(g::close).doesNotThrowAnyException(); // regular files make rmdir fail, like EBUSY would
    assertThat(v2.resolve("sandbox/fn")).isDirectory();
  }

  @Test
  @DisplayName("probe: unsupported naming the controller when cgroup.controllers lacks it (this host's v2)")
  void probeWithoutControllers() throws Exception {
    Files.writeString(v2.resolve("sandbox/cgroup.controllers"), "pids\n");
    Support s = new CgroupV2GroupProvider().probe(ctx);
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("'cpu' controller is not available").contains("cgroup.controllers");
    assertThatThrownBy(() -> new CgroupV2GroupProvider().create("fn", Optional.empty(), ctx))
        .isInstanceOf(PresizeException.class).hasMessageContaining(v2.resolve("sandbox").toString());
  }

  @Test
  @DisplayName("the cgroup-v2 source samples a group this provider made (fixture files filled in as the kernel would)")
  void sourceOnCreatedGroup() throws Exception {
    try (ResourceGroup g = new CgroupV2GroupProvider().create("fn", Optional.of(ResourceProfile.of(500, 256 * MIB)),
        ctx)) {
      Fixture.v2Group(v2, g.cgroupPaths().get(""), null, "ignored");
      Files.writeString(v2.resolve("sandbox/fn/memory.max"), Long.toString(256 * MIB));
      Files.writeString(v2.resolve("sandbox/fn/cpu.max"), "50000 100000");
      SamplingTarget t = SamplingTarget.self().withCgroupPaths(g.cgroupPaths());
      try (MetricSource s = new CgroupV2SourceProvider().create(t, ctx)) {
        RecordingSampleWriter out = new RecordingSampleWriter();
        for (int i = 0; i < 5; i++) {
          s.sample(out);
        }
        assertThat(out.get(Metric.CGROUP_MEMORY_LIMIT_BYTES)).isEqualTo(256 * MIB);
        assertThat(out.get(Metric.CGROUP_CPU_LIMIT_MILLICORES)).isEqualTo(500);
      }
      emptyLikeKernelRmdir(v2.resolve("sandbox/fn"));
    }
  }

  /** cgroupfs lets rmdir remove a group whose only entries are control files; a plain directory needs them gone. */
  private static void emptyLikeKernelRmdir(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
  }
}
