package dev.presize.adapter.cgroups.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.adapter.cgroups.Fixture;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.actuate.ActuationResult;
import dev.presize.spi.actuate.ActuationTarget;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Function ids cannot reach outside the configured cgroup parent, on v1 and v2 fixture trees. */
class GroupPathTest {

  @TempDir
  Path tmp;
  Path v2;
  Path v1;
  Map<String, String> config = new HashMap<>();

  @BeforeEach
  void tree() {
    v2 = tmp.resolve("v2");
    v1 = tmp.resolve("v1");
    Fixture.write(tmp, "proc/self/cgroup", "4:memory:/parent\n1:cpu,cpuacct:/parent\n0::/parent\n");
    v2Group(v2.resolve("parent/ok"));
    v2Group(v2.resolve("secret")); // a sibling of the parent: must be unreachable
    v2Group(tmp.resolve("outside"));
    for (String c : new String[] {"memory", "cpu,cpuacct"}) {
      v1Group(v1.resolve(c).resolve("parent/ok"));
      v1Group(v1.resolve(c).resolve("secret"));
    }
    config.put("presize.cgroup.v2.root", v2.toString());
    config.put("presize.cgroup.v1.root", v1.toString());
    config.put("presize.proc.root", tmp.resolve("proc").toString());
  }

  private static void v2Group(Path g) {
    Fixture.write(g, "cpu.max", "max 100000");
    Fixture.write(g, "memory.max", "max");
    Fixture.write(g, "memory.current", "1048576");
  }

  private static void v1Group(Path g) {
    Fixture.write(g, "cpu.cfs_quota_us", "-1");
    Fixture.write(g, "cpu.cfs_period_us", "100000");
    Fixture.write(g, "memory.limit_in_bytes", "9223372036854771712");
    Fixture.write(g, "memory.usage_in_bytes", "1048576");
  }

  private ProviderContext ctx() {
    return Fixture.context(config);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "../secret", "a/b", "/etc", "ok/..", "a\0b", "", ".hidden", "a b", "é",
      "x\\y"})
  @DisplayName("ids that are not one plain path segment are refused by both providers, naming the rule")
  void badIds(String id) {
    for (var p : new dev.presize.spi.actuate.ActuatorProvider[] {new CgroupV1ActuatorProvider(),
        new CgroupV2ActuatorProvider()}) {
      var target = new ActuationTarget(id, Map.of());
      var s = p.probe(target, ctx());
      assertThat(s.supported()).as(p.name() + " " + id).isFalse();
      assertThat(s.reason()).contains("function id");
      assertThatThrownBy(() -> p.create(target, ctx())).isInstanceOf(PresizeException.class)
          .hasMessageContaining("function id");
    }
  }

  @Test
  @DisplayName("an overly long id is refused; 128 characters are fine when the group exists")
  void length() {
    String longest = "a".repeat(128);
    v2Group(v2.resolve("parent").resolve(longest));
    assertThat(new CgroupV2ActuatorProvider().probe(new ActuationTarget(longest, Map.of()), ctx()).supported())
        .isTrue();
    var s = new CgroupV2ActuatorProvider().probe(new ActuationTarget("a".repeat(129), Map.of()), ctx());
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("longer than 128");
  }

  @Test
  @DisplayName("the cgroup.name coordinate is validated the same way")
  void nameCoordinate() {
    var target = new ActuationTarget("ok", Map.of("cgroup.name", "../secret"));
    assertThat(new CgroupV2ActuatorProvider().probe(target, ctx()).reason()).contains("function id '../secret'");
    assertThat(new CgroupV1ActuatorProvider().probe(new ActuationTarget("x", Map.of("cgroup.name", "ok")), ctx())
        .supported()).isTrue();
  }

  @Test
  @DisplayName("a group that is a symlink pointing outside the parent is refused")
  void symlinkedGroup() throws Exception {
    Files.createSymbolicLink(v2.resolve("parent/evil"), tmp.resolve("outside"));
    Files.createSymbolicLink(v2.resolve("parent/evil2"), v2.resolve("secret"));
    for (String id : new String[] {"evil", "evil2"}) {
      var s = new CgroupV2ActuatorProvider().probe(new ActuationTarget(id, Map.of()), ctx());
      assertThat(s.supported()).isFalse();
      assertThat(s.reason()).contains("symbolic link");
    }
  }

  @Test
  @DisplayName("a control file that is a symlink is neither followed by the probe nor written through")
  void symlinkedControlFile() throws Exception {
    Path group = v2.resolve("parent/ok");
    Path victim = Fixture.write(tmp, "victim", "untouched");
    Files.delete(group.resolve("memory.max"));
    Files.createSymbolicLink(group.resolve("memory.max"), victim);
    var s = new CgroupV2ActuatorProvider().probe(new ActuationTarget("ok", Map.of()), ctx());
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("memory.max").contains("symbolic link");
    // and if the link appears after creation, the write fails (O_NOFOLLOW) rather than following it
    Files.delete(group.resolve("memory.max"));
    Fixture.write(group, "memory.max", "max");
    var actuator = new CgroupV2ActuatorProvider().create(new ActuationTarget("ok", Map.of()), ctx());
    Files.delete(group.resolve("memory.max"));
    Files.createSymbolicLink(group.resolve("memory.max"), victim);
    ActuationResult r = actuator.apply(ResourceProfile.of(100, 64L << 20));
    assertThat(r).isInstanceOf(ActuationResult.Failed.class);
    assertThat(Files.readString(victim)).isEqualTo("untouched");
  }

  @Test
  @DisplayName("a configured parent climbing out of the mount is refused")
  void parentOutsideMount() {
    config.put("presize.cgroup.actuate.parent", "/../../outside/..");
    var s = new CgroupV2ActuatorProvider().probe(new ActuationTarget("ok", Map.of()), ctx());
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("outside the cgroup mount");
    config.put("presize.cgroup.actuate.parent", "/");
    assertThat(new CgroupV2ActuatorProvider().probe(new ActuationTarget("secret", Map.of()), ctx()).supported())
        .as("the mount root itself may be configured as parent").isTrue();
  }

  @Test
  @DisplayName("the v1 provider resolves the group in the cpu and memory hierarchies under this process's groups")
  void v1Resolves() {
    var s = new CgroupV1ActuatorProvider().probe(new ActuationTarget("ok", Map.of()), ctx());
    assertThat(s.supported()).as(s.reason()).isTrue();
    assertThat(s.reason()).contains(v1.resolve("cpu,cpuacct/parent/ok").toString())
        .contains(v1.resolve("memory/parent/ok").toString());
    assertThat(new CgroupV1ActuatorProvider().probe(new ActuationTarget("missing", Map.of()), ctx()).reason())
        .contains("no such group");
  }
}
