package dev.presize.adapter.cgroups.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.host.CgroupV1GroupProvider;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.actuate.ActuationResult;
import dev.presize.spi.actuate.ActuationTarget;
import dev.presize.spi.actuate.Actuator;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.host.ResourceGroup;
import dev.presize.spi.resources.ResourceProfile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code cgroup-v1} actuator on real groups of this host: a group made under this JVM's own groups by the
 * {@code cgroup-v1} resource group provider, a real process in it, limits changed while it runs and read back
 * from the kernel; the groups are removed afterwards.
 */
@Timeout(60)
class CgroupV1ActuatorRealTest {

  private static final long MIB = 1L << 20;
  private static final List<Duration> LATENCIES = Collections.synchronizedList(new ArrayList<>());

  private final ProviderContext ctx = ProviderContext.of(ConfigProperties.empty());
  private final CgroupV1GroupProvider groups = new CgroupV1GroupProvider();
  private static String python;

  @BeforeAll
  static void findPython() throws Exception {
    // the real interpreter behind any shim (pyenv), so the group holds python and not a wrapper script
    try {
      Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
      if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
        python = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      }
    } catch (java.io.IOException e) {
      python = null; // no python3 on PATH: the memory tests are skipped by their assumption, which says so
    }
  }

  @AfterAll
  static void report() {
    if (!LATENCIES.isEmpty()) {
      List<Duration> sorted = new ArrayList<>(LATENCIES);
      Collections.sort(sorted);
      System.out.println("cgroup-v1 actuation latency: n=" + sorted.size() + " median="
          + sorted.get(sorted.size() / 2).toNanos() / 1000 + "us max=" + sorted.get(sorted.size() - 1).toNanos() / 1000
          + "us");
    }
  }

  @BeforeEach
  void writableV1() {
    Support s = groups.probe(ctx);
    assumeTrue(s.supported(), () -> "no writable cgroup v1 hierarchy here (needs root or a delegated group): "
        + s.reason());
  }

  private Actuator actuator(ResourceGroup g) {
    var target = new ActuationTarget("fn", Map.of("cgroup.name", g.name()));
    Support s = new CgroupV1ActuatorProvider().probe(target, ctx);
    assertThat(s.supported()).as(s.reason()).isTrue();
    return new CgroupV1ActuatorProvider().create(target, ctx);
  }

  private static ResourceProfile applied(ActuationResult r) {
    assertThat(r).isInstanceOf(ActuationResult.Applied.class);
    ActuationResult.Applied a = (ActuationResult.Applied) r;
    LATENCIES.add(a.took());
    assertThat(a.took()).isPositive().isLessThan(Duration.ofMillis(200));
    return a.inForce();
  }

  private static Path dir(ResourceGroup g, String controller) {
    return CgroupConfig.from(ConfigProperties.empty()).v1Mounts().v1(controller).orElseThrow()
        .dir(g.cgroupPaths().get(controller));
  }

  private static long oomKills(ResourceGroup g) throws Exception {
    for (String line : Files.readAllLines(dir(g, "memory").resolve("memory.oom_control"))) {
      if (line.startsWith("oom_kill ")) {
        return Long.parseLong(line.substring("oom_kill ".length()).strip());
      }
    }
    throw new AssertionError("memory.oom_control has no oom_kill line (kernel too old for this test)");
  }

  private static long read(ResourceGroup g, String controller, String file) throws Exception {
    return Long.parseLong(Files.readString(dir(g, controller).resolve(file)).strip());
  }

  /** Python growing by {@code stepMib} each line it reads, printing "ok <total>" after each step. */
  private static List<String> grower(int stepMib) {
    return List.of(python, "-c", "import sys\nkeep = []\nprint('ready', flush=True)\nfor line in sys.stdin:\n"
        + "    keep.append(b'\\x01' * (" + stepMib + " << 20))\n    print('ok', len(keep), flush=True)\n");
  }

  /**
   * Runs the grower in a group of {@code startMib} for {@code steps} steps of {@code stepMib}; before each step,
   * when {@code raiseAhead}, asks the actuator for usage + 2 steps + 32 MiB. Returns how many steps completed.
   */
  private int grow(ResourceGroup g, Actuator a, int steps, int stepMib, boolean raiseAhead) throws Exception {
    Process p = new ProcessBuilder(g.wrap(grower(stepMib))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      assertThat(out.readLine()).isEqualTo("ready");
      int done = 0;
      for (int i = 0; i < steps; i++) {
        if (raiseAhead) {
          long usage = read(g, "memory", "memory.usage_in_bytes");
          long want = ((usage + 2L * stepMib * MIB + 32 * MIB) / MIB) * MIB;
          long limit = read(g, "memory", "memory.limit_in_bytes");
          if (want > limit) {
            assertThat(applied(a.apply(ResourceProfile.of(1000, want))).memoryBytes()).isEqualTo(want);
          }
        }
        try {
          in.write("1\n");
          in.flush();
        } catch (java.io.IOException gone) {
          break; // killed: stdin is closed
        }
        String line = out.readLine();
        if (line == null) {
          break;
        }
        done++;
      }
      return done;
    } finally {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a process growing to 192 MiB from a 64Mi limit survives when the limit is raised ahead of need "
      + "(oom_kill stays 0), and is OOM-killed without the raise")
  void raiseAheadPreventsOomKill() throws Exception {
    assumeTrue(python != null, "python3 is not on PATH (the growing process is a python3 one-liner)");
    try (ResourceGroup g = groups.create("presize-act-grow", Optional.of(ResourceProfile.of(1000, 64 * MIB)), ctx);
        Actuator a = actuator(g)) {
      assertThat(grow(g, a, 12, 16, true)).as("steps completed with raises").isEqualTo(12);
      assertThat(oomKills(g)).as("oom_kill with raises").isZero();
      assertThat(read(g, "memory", "memory.limit_in_bytes")).isGreaterThan(192 * MIB);
      assertThat(read(g, "memory", "memory.memsw.limit_in_bytes")).as("memsw kept equal to the limit")
          .isEqualTo(read(g, "memory", "memory.limit_in_bytes"));
    }
    try (ResourceGroup g = groups.create("presize-act-nogrow", Optional.of(ResourceProfile.of(1000, 64 * MIB)), ctx);
        Actuator a = actuator(g)) {
      assertThat(grow(g, a, 12, 16, false)).as("steps completed without raises").isLessThan(12);
      assertThat(oomKills(g)).as("oom_kill without raises").isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  @DisplayName("a shrink below usage is Rejected and the limit is unchanged; the kernel's own refusal is EBUSY")
  void shrinkBelowUsageRefused() throws Exception {
    assumeTrue(python != null, "python3 is not on PATH (the process holding memory is a python3 one-liner)");
    try (ResourceGroup g = groups.create("presize-act-shrink", Optional.of(ResourceProfile.of(1000, 512 * MIB)), ctx);
        Actuator a = actuator(g)) {
      Process p = new ProcessBuilder(g.wrap(List.of(python, "-c", "import sys\nkeep = b'\\x01' * (128 << 20)\n"
          + "print('ready', flush=True)\nsys.stdin.read()\n"))).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).isEqualTo("ready");
        long usage = read(g, "memory", "memory.usage_in_bytes");
        assertThat(usage).isGreaterThan(128 * MIB);
        ActuationResult r = a.apply(ResourceProfile.of(500, 64 * MIB));
        assertThat(r).isInstanceOfSatisfying(ActuationResult.Rejected.class, rej -> assertThat(rej.reason())
            .contains("memory " + 64 * MIB).contains("guard " + 16 * MIB).contains("usage "));
        assertThat(read(g, "memory", "memory.limit_in_bytes")).isEqualTo(512 * MIB);
        assertThat(read(g, "cpu", "cpu.cfs_quota_us")).as("nothing of a rejected request is applied")
            .isEqualTo(100_000);
        // below the actuator, the kernel refuses such a write with EBUSY and keeps the limit
        CgroupV1Limits raw = CgroupV1ActuatorProvider.limits(new ActuationTarget(g.name(), Map.of()), ctx);
        assertThatThrownBy(() -> raw.setMemory(64 * MIB, 512 * MIB, usage)).isInstanceOf(PresizeException.class)
            .hasMessageContaining(ControlFiles.EBUSY);
        assertThat(read(g, "memory", "memory.limit_in_bytes")).isEqualTo(512 * MIB);
        // a shrink that leaves usage + guard fits; read back from the kernel (memsw follows, limit first)
        long fits = ((usage + 48 * MIB) / MIB) * MIB;
        assertThat(applied(a.apply(ResourceProfile.of(500, fits)))).isEqualTo(ResourceProfile.of(500, fits));
        assertThat(a.current()).contains(ResourceProfile.of(500, fits));
        assertThat(read(g, "memory", "memory.memsw.limit_in_bytes")).isEqualTo(fits);
        p.getOutputStream().close();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("never killed").isZero();
      } finally {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("a CPU-bound loop follows its quota while it runs: 200m, then 800m, then 300m (never above it by more "
      + "than 15%; within 25% below unless the busy host, not the quota, held it back)")
  void cpuFollowsQuota() throws Exception {
    try (ResourceGroup g = groups.create("presize-act-cpu", Optional.of(ResourceProfile.of(1000, 64 * MIB)), ctx);
        Actuator a = actuator(g)) {
      Process p = new ProcessBuilder(g.wrap(List.of("/bin/sh", "-c", "while :; do :; done"))).start();
      try {
        for (long millicores : new long[] {200, 800, 300}) {
          assertThat(applied(a.apply(ResourceProfile.of(millicores, 64 * MIB))))
              .isEqualTo(ResourceProfile.of(millicores, 64 * MIB));
          TimeUnit.MILLISECONDS.sleep(300); // let the new quota take hold for a few periods
          long cpu0 = read(g, "cpuacct", "cpuacct.usage");
          Map<String, Long> stat0 = cpuStat(g);
          long t0 = System.nanoTime();
          TimeUnit.MILLISECONDS.sleep(1500);
          double rate = (read(g, "cpuacct", "cpuacct.usage") - cpu0) * 1000.0 / (System.nanoTime() - t0);
          Map<String, Long> stat1 = cpuStat(g);
          long periods = stat1.get("nr_periods") - stat0.get("nr_periods");
          long throttled = stat1.get("nr_throttled") - stat0.get("nr_throttled");
          double throttledShare = periods == 0 ? 0 : (double) throttled / periods;
          System.out.println("cgroup-v1 quota " + millicores + "m: measured " + Math.round(rate) + "m, throttled in "
              + throttled + "/" + periods + " periods");
          assertThat(rate).as("millicores used at a %dm quota", millicores).isLessThan(millicores * 1.15);
          if (throttledShare >= 0.5) {
            // the quota was what held it back: then it must have had (nearly) all of it
            assertThat(rate).as("millicores used at a %dm quota, throttled in %d/%d periods", millicores, throttled,
                periods).isGreaterThan(millicores * 0.75);
          } else {
            // the host was busy (other work on its CPUs): the quota cannot be the limit, so it must be above the rate
            assertThat(rate).as("rate when the host, not the quota, limited (%d/%d periods throttled)", throttled,
                periods).isLessThan(millicores * 1.0);
          }
        }
      } finally {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("inside a group limited to 1.5 cores (as in a container), a quota of 1.98 cores is capped at 1.5 and "
      + "read back as 1500m, where the kernel refuses the write with EINVAL; below the cap the quota is as asked")
  void cpuCappedAtTheEnclosingQuota() throws Exception {
    try (ResourceGroup parent = groups.create("presize-act-capped", Optional.of(ResourceProfile.of(1500, 256 * MIB)),
        ctx)) {
      Path cpu = dir(parent, "cpu").resolve("fn");
      Path memory = dir(parent, "memory").resolve("fn");
      Files.createDirectory(cpu);
      try {
        Files.createDirectory(memory);
        try {
          // another period than the parent's: the kernel compares shares (quota over period), and so does the cap
          Files.writeString(cpu.resolve("cpu.cfs_period_us"), "50000");
          assertThatThrownBy(() -> ControlFiles.write(cpu.resolve("cpu.cfs_quota_us"), "99000"))
              .as("v1 refuses a child's share above its parent's").isInstanceOf(PresizeException.class)
              .hasMessageContaining("Invalid argument");
          CgroupV1Limits limits = new CgroupV1Limits(cpu, memory);
          assertThat(limits.ancestorCapMicros(50_000)).isEqualTo(75_000);
          Actuator a = new CgroupActuator("fn", limits, 16 * MIB, dev.presize.spi.Ticker.system());
          assertThat(applied(a.apply(ResourceProfile.of(1980, 128 * MIB)))).isEqualTo(ResourceProfile.of(1500,
              128 * MIB));
          assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("75000");
          assertThat(applied(a.apply(ResourceProfile.of(800, 128 * MIB)))).isEqualTo(ResourceProfile.of(800,
              128 * MIB));
          Files.writeString(dir(parent, "cpu").resolve("cpu.cfs_quota_us"), "-1"); // the enclosing limit lifted
          assertThat(applied(a.apply(ResourceProfile.of(1980, 128 * MIB)))).isEqualTo(ResourceProfile.of(1980,
              128 * MIB));
        } finally {
          Files.delete(memory);
        }
      } finally {
        Files.delete(cpu);
      }
    }
  }

  private static Map<String, Long> cpuStat(ResourceGroup g) throws Exception {
    Map<String, Long> m = new java.util.HashMap<>();
    for (String line : Files.readAllLines(dir(g, "cpu").resolve("cpu.stat"))) {
      String[] kv = line.split(" ");
      m.put(kv[0], Long.parseLong(kv[1]));
    }
    return m;
  }
}
