package dev.presize.adapter.cgroups.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.adapter.cgroups.Fixture;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Ticker;
import dev.presize.spi.actuate.ActuationResult;
import dev.presize.spi.actuate.ActuationTarget;
import dev.presize.spi.actuate.Actuator;
import dev.presize.spi.actuate.ActuatorProvider;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cgroup-v2} actuator on a {@code @TempDir} tree shaped like {@code /sys/fs/cgroup}. */
class CgroupV2ActuatorTest {

  private static final long MIB = 1L << 20;

  @TempDir
  Path tmp;
  Path v2;
  Path group;
  ProviderContext ctx;
  final AtomicLong nanos = new AtomicLong(1_000);

  @BeforeEach
  void tree() {
    v2 = tmp.resolve("sys/fs/cgroup");
    Fixture.write(tmp, "proc/self/cgroup", "0::/presize.slice\n");
    group = v2.resolve("presize.slice/fn-1");
    Fixture.write(group, "cpu.max", "max 100000\n");
    Fixture.write(group, "memory.max", "max\n");
    Fixture.write(group, "memory.high", "max\n");
    Fixture.write(group, "memory.current", Long.toString(100 * MIB) + "\n");
    Fixture.write(group, "cgroup.procs", "");
    // every read of the ticker advances it 7 µs: the actuation latency is measured with the injected ticker
    Ticker ticker = () -> nanos.addAndGet(7_000);
    ctx = new ProviderContext(ConfigProperties.of(Map.of("presize.cgroup.v2.root", v2.toString(),
        "presize.proc.root", tmp.resolve("proc").toString())), ticker);
  }

  private Actuator actuator() {
    return new CgroupV2ActuatorProvider().create(new ActuationTarget("fn-1", Map.of()), ctx);
  }

  private String file(String name) throws Exception {
    return Files.readString(group.resolve(name)).strip();
  }

  @Test
  @DisplayName("found by ServiceLoader as cgroup-v1 and cgroup-v2; v2 supported on the fixture, naming the group")
  void discovered() {
    assertThat(ServiceLoader.load(ActuatorProvider.class).stream().map(p -> p.get().name()))
        .contains("cgroup-v1", "cgroup-v2");
    var s = new CgroupV2ActuatorProvider().probe(new ActuationTarget("fn-1", Map.of()), ctx);
    assertThat(s.supported()).as(s.reason()).isTrue();
    assertThat(s.reason()).contains("fn-1");
  }

  @Test
  @DisplayName("apply writes cpu.max 'quota period', memory.max and memory.high at 90% of it; reads back; ticker latency")
  void applies() throws Exception {
    ActuationResult r = actuator().apply(ResourceProfile.of(500, 512 * MIB));
    assertThat(r).isEqualTo(new ActuationResult.Applied(ResourceProfile.of(500, 512 * MIB), Duration.ofNanos(7_000)));
    assertThat(file("cpu.max")).isEqualTo("50000 100000");
    assertThat(file("memory.max")).isEqualTo(Long.toString(512 * MIB));
    assertThat(file("memory.high")).isEqualTo(Long.toString((long) Math.floor(512 * MIB * 0.9)));
    assertThat(actuator().current()).contains(ResourceProfile.of(500, 512 * MIB));
  }

  @Test
  @DisplayName("'max' reads back as no limit; the group's own period is kept; the 1 ms minimum quota applies")
  void readsMaxKeepsPeriod() throws Exception {
    assertThat(actuator().current()).contains(ResourceProfile.of(Long.MAX_VALUE, Long.MAX_VALUE));
    Fixture.write(group, "cpu.max", "max 50000\n");
    Fixture.write(group, "memory.max", Long.toString(256 * MIB));
    var r = actuator().apply(ResourceProfile.of(5, 256 * MIB));
    assertThat(file("cpu.max")).isEqualTo("1000 50000");
    assertThat(r).isInstanceOfSatisfying(ActuationResult.Applied.class,
        a -> assertThat(a.inForce().cpuMillicores()).as("rounded to the kernel's minimum").isEqualTo(20));
  }

  @Test
  @DisplayName("memory.high is never put below usage + guard, and never above memory.max")
  void highAboveUsage() throws Exception {
    Fixture.write(group, "memory.current", Long.toString(200 * MIB));
    actuator().apply(ResourceProfile.of(1000, 220 * MIB));
    assertThat(file("memory.high")).isEqualTo(Long.toString(216 * MIB)); // usage 200 + guard 16 > 90% of 220
    Fixture.write(group, "memory.current", Long.toString(210 * MIB));
    actuator().apply(ResourceProfile.of(1000, 220 * MIB));
    assertThat(file("memory.high")).isEqualTo(Long.toString(220 * MIB));
  }

  @Test
  @DisplayName("a shrink below usage + guard is Rejected naming usage, guard and the asked limit; nothing is written")
  void refusesShrinkBelowUsage() throws Exception {
    Fixture.write(group, "memory.max", Long.toString(512 * MIB));
    Fixture.write(group, "cpu.max", "100000 100000");
    ActuationResult r = actuator().apply(ResourceProfile.of(300, 110 * MIB));
    assertThat(r).isInstanceOfSatisfying(ActuationResult.Rejected.class, rej -> assertThat(rej.reason())
        .contains("usage " + 100 * MIB).contains("guard " + 16 * MIB).contains("memory " + 110 * MIB)
        .contains("fn-1"));
    assertThat(file("memory.max")).isEqualTo(Long.toString(512 * MIB));
    assertThat(file("cpu.max")).isEqualTo("100000 100000");
    assertThat(actuator().apply(ResourceProfile.of(300, 116 * MIB))).isInstanceOf(ActuationResult.Applied.class);
  }

  @Test
  @DisplayName("a raise still below usage + guard is applied (raising can only help)")
  void raiseBelowGuardApplies() throws Exception {
    Fixture.write(group, "memory.max", Long.toString(100 * MIB));
    assertThat(actuator().apply(ResourceProfile.of(300, 105 * MIB))).isInstanceOf(ActuationResult.Applied.class);
    assertThat(file("memory.max")).isEqualTo(Long.toString(105 * MIB));
  }

  @Test
  @DisplayName("without memory.high only memory.max is written")
  void noHigh() throws Exception {
    Files.delete(group.resolve("memory.high"));
    assertThat(actuator().apply(ResourceProfile.of(300, 512 * MIB))).isInstanceOf(ActuationResult.Applied.class);
    assertThat(group.resolve("memory.high")).doesNotExist();
  }

  @Test
  @DisplayName("a missing control file is Failed naming the file and the errno text, not retryable, never created")
  void missingFile() throws Exception {
    Actuator a = actuator();
    Files.delete(group.resolve("cpu.max"));
    ActuationResult r = a.apply(ResourceProfile.of(300, 512 * MIB));
    assertThat(r).isInstanceOfSatisfying(ActuationResult.Failed.class, f -> {
      assertThat(f.message()).contains("cpu.max").contains("fn-1");
      assertThat(f.retryable()).isFalse();
    });
    assertThat(group.resolve("cpu.max")).doesNotExist();
    assertThat(a.current()).isEmpty();
  }

  @Test
  @DisplayName("a group missing memory.current is unsupported, naming the file")
  void unsupported() throws Exception {
    Files.delete(group.resolve("memory.current"));
    var s = new CgroupV2ActuatorProvider().probe(new ActuationTarget("fn-1", Map.of()), ctx);
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("memory.current");
  }
}
