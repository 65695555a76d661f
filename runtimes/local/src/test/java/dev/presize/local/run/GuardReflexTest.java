package dev.presize.local.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.input.proc.Hog;
import dev.presize.core.policy.PolicyConfig;
import dev.presize.local.RecordOptions;
import dev.presize.local.Recorder;
import dev.presize.local.Recording;
import dev.presize.local.run.RunControllerTest.FakeActuator;
import dev.presize.local.CgroupsHere;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage guard's reflex between decisions ({@link Sizer#keepsGuard}): driven by hand with an actuator in memory,
 * and on this host's real cgroup with a process ramping under a loop that is a second late.
 */
class GuardReflexTest {

  private static final long MIB = 1L << 20;
  private static final long MS = 1_000_000L;
  private static final List<String> COLUMNS = List.of("cgroup.cpu.usage", "proc.rss", "cgroup.memory.usage");
  private static final long GUARD = 64 * MIB; // PolicyConfig.DEFAULTS below 640 MiB of usage

  /** A sizer whose forecast stays at {@code flatBytes} whatever happens, after {@code before} of each decision. */
  private static Sizer flat(long flatBytes, boolean keepsGuard, Runnable before) {
    return new Sizer() {
      @Override
      public String name() {
        return keepsGuard ? "presize" : "baseline";
      }

      @Override
      public boolean keepsGuard() {
        return keepsGuard;
      }

      @Override
      public Sizing next(List<Step> steps, ResourceProfile inForce) {
        before.run();
        return Sizing.of(new Forecast("f", Instant.EPOCH, Duration.ofMillis(100), Map.of(Resource.MEMORY,
            new Quantiles(flatBytes, flatBytes, flatBytes), Resource.CPU, new Quantiles(500, 600, 700)), "flat",
            "v0"));
      }
    };
  }

  private static RunController.Settings settings(ResourceProfile initial) {
    return new RunController.Settings("f", Duration.ofMillis(100), initial, 1024 * MIB, 2000, PolicyConfig.DEFAULTS,
        CheckpointConfig.defaults(), 0.9, Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static RunController inMemory(Sizer sizer, FakeActuator a) throws Exception {
    RunController c = new RunController(settings(a.inForce), sizer, ProviderContext.of(ConfigProperties.empty()),
        RunControllerTest.registry(a), Optional.empty(), Optional.empty());
    c.started(Optional.of(RunControllerTest.group()), COLUMNS, 1);
    return c;
  }

  private static long waitForLimitAtLeast(FakeActuator a, long bytes) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (a.inForce.memoryBytes() < bytes && System.nanoTime() < end) {
      java.util.concurrent.locks.LockSupport.parkNanos(MS);
    }
    return a.inForce.memoryBytes();
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("while the loop is stuck deciding, a sample with less than half the guard left raises memory to usage"
      + " plus the guard at once; the late decision, made from older usage, does not take it back down")
  void raisesWhileTheLoopIsLate() throws Exception {
    CountDownLatch deciding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    int[] calls = {0};
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController c = inMemory(flat(100 * MIB, true, () -> {
      if (++calls[0] == 2) { // the second decision takes as long as the test says
        deciding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }), a);
    for (int i = 0; i < 10; i++) { // the first step: 100 MiB, decided at once
      c.sampled(i * 10 * MS, new long[] {i * MS, 100 * MIB, 100 * MIB});
      c.sample(i * 10 * MS, new long[] {i * MS, 100 * MIB, 100 * MIB});
    }
    c.sample(100 * MS, new long[] {10 * MS, 100 * MIB, 100 * MIB}); // closes step 0: decision 1
    long afterFirst = a.inForce.memoryBytes();
    assertThat(afterFirst).as("the first decision keeps usage plus the guard").isGreaterThanOrEqualTo(164 * MIB);
    int asked = a.asked.size();
    c.sampled(110 * MS, new long[] {11 * MS, 100 * MIB, 100 * MIB});
    java.util.concurrent.locks.LockSupport.parkNanos(100 * MS); // time for a raise, were one woken
    assertThat(a.asked).as("with the guard's room left, the reflex does nothing").hasSize(asked);

    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread loop = new Thread(() -> {
      try {
        for (int i = 11; i <= 20; i++) { // step 1 closes at 200 ms: decision 2, which blocks
          c.sample(i * 10 * MS, new long[] {i * MS, 110 * MIB, 110 * MIB});
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "recording");
    loop.start();
    assertThat(deciding.await(10, TimeUnit.SECONDS)).isTrue();
    long ramped = afterFirst - 20 * MIB; // less than half the guard left below the limit
    c.sampled(210 * MS, new long[] {21 * MS, ramped, ramped});
    long raised = waitForLimitAtLeast(a, ramped + GUARD);
    assertThat(release.getCount()).as("still deciding").isOne();
    assertThat(raised).as("raised to usage plus the guard while the loop was stuck").isGreaterThanOrEqualTo(ramped
        + GUARD);
    release.countDown();
    loop.join(10_000);
    assertThat(failed.get()).isNull();
    assertThat(a.inForce.memoryBytes()).as("the late decision (from 110 MiB) did not lower it in the same step")
        .isGreaterThanOrEqualTo(ramped + GUARD);
    RunSummary s = c.finish(0);
    assertThat(s.guardRaises()).isEqualTo(1);
    assertThat(s.resizes()).isGreaterThanOrEqualTo(2);
    assertThat(s.toJson()).containsEntry("guardRaises", 1);
  }

  @Test
  @DisplayName("a late loop deciding from an old step's usage does not lower memory below the latest sample's usage"
      + " plus the guard")
  void lateDecisionsKeepTheLatestUsage() throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 1024 * MIB));
    RunController c = inMemory(flat(100 * MIB, true, () -> {}), a);
    c.sampled(0, new long[] {0, 600 * MIB, 600 * MIB}); // the sampler is ahead: 600 MiB now
    for (int i = 0; i <= 10; i++) { // the loop drains an old step at 100 MiB and decides from it
      c.sample(i * 10 * MS, new long[] {i * MS, 100 * MIB, 100 * MIB});
    }
    assertThat(a.asked).as("the decision lowered the limit").isNotEmpty();
    assertThat(a.inForce.memoryBytes()).as("not below 600 MiB + the guard").isGreaterThanOrEqualTo(600 * MIB
        + GUARD).isLessThan(1024 * MIB);
    c.finish(0);
  }

  @Test
  @DisplayName("a baseline's sizing (keepsGuard false) gets no reflex: its limits are its own decisions")
  void noReflexForBaselines() throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController c = inMemory(flat(100 * MIB, false, () -> {}), a);
    c.sampled(0, new long[] {0, 250 * MIB, 250 * MIB});
    java.util.concurrent.locks.LockSupport.parkNanos(200 * MS);
    assertThat(a.asked).isEmpty();
    assertThat(c.finish(0).guardRaises()).isZero();
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("a raise the platform refuses is a warning, and the reflex waits a step before it tries again (not at"
      + " every sample)")
  void failedRaiseBacksOff() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ResourceProfile initial = ResourceProfile.of(1000, 256 * MIB);
    dev.presize.spi.actuate.Actuator refusing = new dev.presize.spi.actuate.Actuator() {
      @Override
      public dev.presize.spi.actuate.ActuationResult apply(ResourceProfile requested) {
        calls.incrementAndGet();
        return new dev.presize.spi.actuate.ActuationResult.Failed(requested, "memory.limit_in_bytes: Permission "
            + "denied", null, false);
      }

      @Override
      public Optional<ResourceProfile> current() {
        return Optional.of(initial);
      }
    };
    RunController c = new RunController(settings(initial), flat(100 * MIB, true, () -> {}),
        ProviderContext.of(ConfigProperties.empty()), RunControllerTest.registry(refusing), Optional.empty(),
        Optional.empty());
    c.started(Optional.of(RunControllerTest.group()), COLUMNS, 1);
    long end = System.nanoTime() + 250 * MS;
    for (int i = 0; System.nanoTime() < end; i++) { // a sample every millisecond, each with 10 MiB left
      c.sampled(i * MS, new long[] {i, 246 * MIB, 246 * MIB});
      java.util.concurrent.locks.LockSupport.parkNanos(MS);
    }
    RunSummary s = c.finish(0);
    assertThat(calls.get()).as("tries in 250 ms, one a step at most").isBetween(1, 4);
    assertThat(s.guardRaises()).isZero();
    assertThat(s.warnings()).anySatisfy(w -> assertThat(w).contains("resize failed").contains("Permission denied"));
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("a resize that fails after its memory took effect (CPU refused, as v1 refuses a quota above the "
      + "enclosing group's) leaves in force what the platform reports: the reflex guards the lowered limit")
  void partlyAppliedResizeIsReadBack() throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 1024 * MIB)) {
      @Override
      public dev.presize.spi.actuate.ActuationResult apply(ResourceProfile requested) {
        asked.add(new long[] {requested.memoryBytes(), usage, inForce.memoryBytes()});
        inForce = ResourceProfile.of(inForce.cpuMillicores(), requested.memoryBytes()); // memory goes first
        if (requested.cpuMillicores() > 1500) {
          return new dev.presize.spi.actuate.ActuationResult.Failed(requested, "set cpu "
              + requested.cpuMillicores() + "m (memory limit " + requested.memoryBytes() + " is already in force): "
              + "Invalid argument", null, false);
        }
        return new dev.presize.spi.actuate.ActuationResult.Applied(inForce, Duration.ofMillis(1));
      }
    };
    Sizer busy = new Sizer() { // memory flat at 100 MiB, CPU above what the platform gives
      @Override
      public String name() {
        return "presize";
      }

      @Override
      public boolean keepsGuard() {
        return true;
      }

      @Override
      public Sizing next(List<Step> steps, ResourceProfile inForce) {
        return Sizing.of(new Forecast("f", Instant.EPOCH, Duration.ofMillis(100), Map.of(Resource.MEMORY,
            new Quantiles(100 * MIB, 100 * MIB, 100 * MIB), Resource.CPU, new Quantiles(1800, 1900, 2000)), "flat",
            "v0"));
      }
    };
    RunController c = inMemory(busy, a);
    for (int i = 0; i <= 10; i++) { // one step at 100 MiB: the decision lowers memory and raises CPU
      c.sample(i * 10 * MS, new long[] {i * MS, 100 * MIB, 100 * MIB});
    }
    long lowered = a.inForce.memoryBytes();
    assertThat(a.asked).hasSize(1);
    assertThat(lowered).as("memory lowered though the resize failed").isLessThan(256 * MIB);
    long near = lowered - 20 * MIB; // less than half the guard left below the lowered limit
    c.sampled(110 * MS, new long[] {11 * MS, near, near});
    assertThat(waitForLimitAtLeast(a, near + GUARD)).as("the reflex raised the limit the kernel has")
        .isGreaterThanOrEqualTo(near + GUARD);
    RunSummary s = c.finish(0);
    assertThat(s.warnings()).anySatisfy(w -> assertThat(w).contains("resize failed").contains("Invalid argument"));
    assertThat(s.guardRaises()).isEqualTo(1);
  }

  /**
   * Whether the command's holding shell ({@code pid}) still runs: once the command has ended it stops itself (so the
   * recording can read the final totals) and waits to be released, which the recording does only after the stalled
   * decision returns; gone or a zombie counts as ended too. (The recorder's own check, {@code StartHold.isStopped},
   * is package-private to {@code dev.presize.local} and takes the {@link Process}, which this test does not have.)
   */
  private static boolean running(long pid) {
    try {
      String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
      return "ZTtX".indexOf(stat.charAt(stat.lastIndexOf(')') + 2)) < 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * One run on a real cgroup: a JVM ramping to 320 MiB at 150 MiB/s from a 128Mi limit, sized by a forecast that
   * never sees the ramp (flat at 64 MiB) from a loop whose first decision does not return until the command's
   * process has exited (at most 30 s): only the reflex can keep up with the ramp. (A first decision stuck for a fixed
   * 6 s was not enough: where the JVM started slowly, the ramp came after it and the loop itself kept up.)
   */
  private static RunSummary lateLoopRun(Path out, boolean keepsGuard) throws Exception {
    ResourceProfile initial = ResourceProfile.of(2000, 128 * MIB);
    java.util.concurrent.atomic.AtomicLong pid = new java.util.concurrent.atomic.AtomicLong(-1);
    int[] decisions = {0};
    RunController c = new RunController(settings(initial), flat(64 * MIB, keepsGuard, () -> {
      if (++decisions[0] == 1) { // stuck over the whole run (as a loop early in a run on a busy host, and longer)
        long end = System.nanoTime() + 30_000 * MS;
        while (System.nanoTime() < end && (pid.get() < 0 || running(pid.get()))) {
          java.util.concurrent.locks.LockSupport.parkNanos(10 * MS);
        }
      }
    }), ProviderContext.of(ConfigProperties.empty()), GuardReflexTest.class.getClassLoader(), Optional.empty(),
        Optional.empty());
    RecordOptions options = new RecordOptions(List.of(Hog.command("ramp", "320", "150")), out, Duration.ofMillis(10),
        "ramp", OptionalLong.empty(), "auto", Optional.of(initial), ConfigProperties.empty(), Map.of(),
        Optional.empty(), Optional.of(out.resolve("output-" + keepsGuard + ".txt")),
        Optional.of(Duration.ofSeconds(60)));
    Recording r;
    try {
      r = new Recorder().record(options, new Recorder.Observer() { // the controller, telling the stall the pid
        @Override
        public void started(Optional<dev.presize.spi.host.ResourceGroup> group, List<String> columns, long command)
            throws java.io.IOException {
          c.started(group, columns, command);
          pid.set(command);
        }

        @Override
        public void clock(long originNanos) {
          c.clock(originNanos);
        }

        @Override
        public void sample(long timestampNanos, long[] values) throws java.io.IOException {
          c.sample(timestampNanos, values);
        }

        @Override
        public void sampled(long timestampNanos, long[] values) {
          c.sampled(timestampNanos, values);
        }

        @Override
        public void ended() {
          c.ended();
        }

        @Override
        public void tick(long nowNanos) throws java.io.IOException {
          c.tick(nowNanos);
        }
      });
    } finally {
      c.close();
    }
    RunSummary s = c.finish(r.exitCode());
    System.out.printf("late loop, reflex %s: exit %d, OOM kills %d (recording %d), guard raises %d, resizes %d, peak"
        + " group memory %d MiB, samples %d, warnings %s%n", keepsGuard, r.exitCode(), s.oomKills(),
        r.summary().oomKills(), s.guardRaises(), s.resizes(), r.summary().peakCgroupMemoryBytes() >> 20,
        r.summary().samples(), s.warnings());
    return s;
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("on a real cgroup, a process ramping at 150 MiB/s while the loop is stuck survives: the reflex keeps"
      + " its limit above usage plus the guard; with no reflex (a baseline's sizing) the same run is OOM-killed")
  void realRampUnderALateLoop(@TempDir Path out) throws Exception {
    assumeTrue(CgroupsHere.writable(), CgroupsHere.MISSING);
    RunSummary guarded = lateLoopRun(out.resolve("guarded"), true);
    assertThat(guarded.oomKills()).as(guarded.warnings().toString()).isZero();
    assertThat(guarded.exitCode()).isZero();
    assertThat(guarded.guardRaises()).isPositive();
    RunSummary bare = lateLoopRun(out.resolve("bare"), false);
    assertThat(bare.oomKills()).as("the same run without the reflex").isPositive();
    assertThat(bare.exitCode()).isEqualTo(137);
    assertThat(bare.guardRaises()).isZero();
  }
}
