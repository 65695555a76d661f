package dev.presize.adapter.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupMountsTest {

  private static final String SEPARATE = """
      22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw
      30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
      31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
      32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
      34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
      39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
      40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
      """;

  private static final String CO_MOUNTED = """
      25 21 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
      29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
      30 25 0:27 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
      """;

  private static final String V2_ONLY = """
      24 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
      28 24 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
      """;

  @Test
  @DisplayName("separate v1 hierarchies (this host's layout) map each controller to its own mount; cgroup2 too")
  void separate() {
    CgroupMounts m = CgroupMounts.parse(SEPARATE);
    assertThat(m.v1("cpu").orElseThrow().point()).isEqualTo(Path.of("/sys/fs/cgroup/cpu"));
    assertThat(m.v1("cpuacct").orElseThrow().point()).isEqualTo(Path.of("/sys/fs/cgroup/cpuacct"));
    assertThat(m.v1("memory").orElseThrow().point()).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
    assertThat(m.v1("name=systemd")).isPresent();
    assertThat(m.v1()).doesNotContainKeys("rw", "xattr");
    assertThat(m.v2().orElseThrow().point()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  @DisplayName("co-mounted cpu,cpuacct share one mount; no cgroup2 means no v2")
  void coMounted() {
    CgroupMounts m = CgroupMounts.parse(CO_MOUNTED);
    assertThat(m.v1("cpu")).isEqualTo(m.v1("cpuacct"));
    assertThat(m.v1("cpu").orElseThrow().point()).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
    assertThat(m.v2()).isEmpty();
  }

  @Test
  @DisplayName("a v2-only host has no v1 controllers and its cgroup2 mount at /sys/fs/cgroup")
  void v2Only() {
    CgroupMounts m = CgroupMounts.parse(V2_ONLY);
    assertThat(m.v1()).isEmpty();
    assertThat(m.v2().orElseThrow().point()).isEqualTo(Path.of("/sys/fs/cgroup"));
  }

  @Test
  @DisplayName("hybrid: v1 controllers and cgroup2 at /sys/fs/cgroup/unified, each group path resolved under its mount")
  void hybrid() {
    CgroupMounts m = CgroupMounts.parse(SEPARATE);
    assertThat(m.v1("memory").orElseThrow().dir("/process_api/abc"))
        .isEqualTo(Path.of("/sys/fs/cgroup/memory/process_api/abc"));
    assertThat(m.v1("cpu").orElseThrow().dir("/")).isEqualTo(Path.of("/sys/fs/cgroup/cpu"));
    assertThat(m.v2().orElseThrow().dir("/")).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  @DisplayName("a mount of a sub-group (container) strips its root from group paths; octal escapes are decoded")
  void mountRootAndEscapes() {
    CgroupMounts m = CgroupMounts.parse(
        "40 30 0:37 /docker/abc /sys/fs/cgroup/my\\040mem rw - cgroup cgroup rw,memory\n");
    CgroupMounts.Mount mem = m.v1("memory").orElseThrow();
    assertThat(mem.point()).isEqualTo(Path.of("/sys/fs/cgroup/my mem"));
    assertThat(mem.dir("/docker/abc/fn")).isEqualTo(Path.of("/sys/fs/cgroup/my mem/fn"));
    assertThat(mem.dir("/docker/abc")).isEqualTo(Path.of("/sys/fs/cgroup/my mem"));
  }

  @Test
  @DisplayName("a configured v1 root maps controller directories, co-mounted names included")
  void configuredV1Root(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("cpu,cpuacct"));
    Files.createDirectories(root.resolve("memory"));
    Files.createDirectories(root.resolve("unified"));
    CgroupMounts m = CgroupMounts.ofV1Root(root);
    assertThat(m.v1()).containsOnlyKeys("cpu", "cpuacct", "memory");
    assertThat(m.v1("cpuacct").orElseThrow().point()).isEqualTo(root.resolve("cpu,cpuacct"));
    assertThat(CgroupMounts.ofV1Root(root.resolve("absent")).v1()).isEmpty();
  }

  @Test
  @DisplayName("/proc/pid/cgroup: v1 lines per controller (co-mounted split), v2 under the empty key")
  void procCgroup() {
    Map<String, String> p = ProcCgroups.parse("""
        9:name=systemd:/
        4:memory:/process_api/9647
        2:cpu,cpuacct:/fn
        0::/user.slice
        """);
    assertThat(p).containsEntry("memory", "/process_api/9647").containsEntry("cpu", "/fn")
        .containsEntry("cpuacct", "/fn").containsEntry("", "/user.slice").containsEntry("name=systemd", "/");
  }

  @Test
  @DisplayName("config roots replace mountinfo; the defaults come from /proc")
  void config(@TempDir Path root) {
    Fixture.write(root, "proc/self/mountinfo", V2_ONLY);
    CgroupConfig c = CgroupConfig.from(dev.presize.spi.config.ConfigProperties.of(Map.of(
        CgroupConfig.PROC_ROOT, root.resolve("proc").toString(),
        CgroupConfig.V2_ROOT, root.resolve("v2").toString())));
    assertThat(c.mounts().v2().orElseThrow().point()).isEqualTo(root.resolve("v2"));
    assertThat(c.mounts().v1()).isEmpty();
    assertThat(c.procCgroup(42)).isEqualTo(root.resolve("proc/42/cgroup"));
    CgroupConfig defaults = CgroupConfig.from(dev.presize.spi.config.ConfigProperties.empty());
    assertThat(defaults.procRoot()).isEqualTo(Path.of("/proc"));
    assertThat(defaults.joinShell()).isEqualTo("/bin/sh");
  }
}
