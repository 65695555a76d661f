package dev.presize.local.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.core.policy.MemoryGuard;
import dev.presize.core.policy.PolicyConfig;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.Support;
import dev.presize.spi.actuate.ActuationResult;
import dev.presize.spi.actuate.ActuationTarget;
import dev.presize.spi.actuate.Actuator;
import dev.presize.spi.actuate.ActuatorProvider;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.host.ResourceGroup;
import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control loop on synthetic samples with an in-memory actuator: what it asks for, and what it keeps. */
class RunControllerTest {

  private static final long MIB = 1L << 20;
  private static final long MS = 1_000_000L;
  private static final List<String> COLUMNS = List.of("cgroup.cpu.usage", "proc.rss", "cgroup.memory.usage");

  /** A group's limits in memory; records every profile asked for, with the usage at that moment. */
  static class FakeActuator implements Actuator {
    volatile ResourceProfile inForce;
    volatile long usage;
    final List<long[]> asked = new ArrayList<>(); // {asked memory, usage, limit before}

    FakeActuator(ResourceProfile initial) {
      inForce = initial;
    }

    @Override
    public ActuationResult apply(ResourceProfile requested) {
      asked.add(new long[] {requested.memoryBytes(), usage, inForce.memoryBytes()});
      inForce = ResourceProfile.of(requested.cpuMillicores(), requested.memoryBytes());
      return new ActuationResult.Applied(inForce, Duration.ofMillis(1));
    }

    @Override
    public Optional<ResourceProfile> current() {
      return Optional.of(inForce);
    }

    @Override
    public void close() {}
  }

  static ProviderRegistry<ActuatorProvider> registry(Actuator a) {
    return ProviderRegistry.of(ActuatorProvider.class, List.of(new ActuatorProvider() {
      @Override
      public String name() {
        return "fake";
      }

      @Override
      public Support probe(ActuationTarget target, ProviderContext context) {
        return Support.yes("in memory");
      }

      @Override
      public Actuator create(ActuationTarget target, ProviderContext context) {
        return a;
      }
    }));
  }

  static ResourceGroup group() {
    return new ResourceGroup() {
      @Override
      public String name() {
        return "g";
      }

      @Override
      public Map<String, String> cgroupPaths() {
        return Map.of();
      }

      @Override
      public List<String> wrap(List<String> command) {
        return command;
      }

      @Override
      public List<Long> processes() {
        return List.of();
      }

      @Override
      public Map<String, String> limitsInForce() {
        return Map.of();
      }

      @Override
      public void close() {}
    };
  }

  private static RunController controller(Sizer sizer, FakeActuator a) {
    return controller(sizer, a, Optional.empty());
  }

  private static RunController controller(Sizer sizer, FakeActuator a, Optional<Path> calibration) {
    ResourceProfile initial = ResourceProfile.of(1000, 256 * MIB);
    RunController.Settings s = new RunController.Settings("f", Duration.ofMillis(100), initial, 1024 * MIB, 2000,
        PolicyConfig.DEFAULTS, CheckpointConfig.defaults(), 0.9, Optional.empty(), Optional.empty(), calibration);
    return new RunController(s, sizer, ProviderContext.of(ConfigProperties.empty()), registry(a), Optional.empty(),
        Optional.empty());
  }

  /** A sizer named like Presize's whose sizing is {@code next} of the steps so far. */
  static Sizer presize(java.util.function.Function<List<Step>, Sizer.Sizing> next) {
    return new Sizer() {
      @Override
      public String name() {
        return "presize";
      }

      @Override
      public Sizing next(List<Step> steps, ResourceProfile inForce) {
        return next.apply(steps);
      }
    };
  }

  /** A sizer forecasting random quantiles around (often far below) the last step's memory. */
  private static Sizer randomForecasts(Random rnd) {
    return presize(steps -> {
      double m = steps.get(steps.size() - 1).memoryBytes() * (0.05 + 2 * rnd.nextDouble());
      double c = 50 + 3000 * rnd.nextDouble();
      return Sizer.Sizing.of(new Forecast("f", Instant.EPOCH, Duration.ofMillis(100), Map.of(Resource.MEMORY,
          Quantiles.sorted(m * 0.8, m, m * (1 + rnd.nextDouble())), Resource.CPU, Quantiles.sorted(c / 2, c, c)),
          "random", "v0"));
    });
  }

  @Test
  @DisplayName("over 300 random traces and forecasts, memory is never asked below usage plus the guard unless it "
      + "rises; the summary counts what happened")
  void neverBelowUsagePlusGuard() throws Exception {
    MemoryGuard guard = PolicyConfig.DEFAULTS.guard();
    Random rnd = new Random(42);
    int lowered = 0;
    for (int trace = 0; trace < 300; trace++) {
      FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
      RunController c = controller(randomForecasts(rnd), a);
      c.started(Optional.of(group()), COLUMNS, 1);
      long usage = (20 + rnd.nextInt(200)) * MIB;
      long cpu = 0;
      for (int i = 0; i <= 100; i++) {
        usage = Math.max(MIB, usage + (long) ((rnd.nextGaussian() * 30 + (rnd.nextDouble() < 0.05 ? 200 : 0))
            * MIB));
        cpu += (long) (rnd.nextDouble() * 20 * MS);
        a.usage = usage;
        c.sample(i * 10 * MS * 5, new long[] {cpu, usage - 4 * MIB, usage});
      }
      RunSummary s = c.finish(0);
      assertThat(s.forecasts()).isPositive();
      for (long[] ask : a.asked) {
        if (ask[0] < ask[2]) {
          lowered++;
          assertThat(ask[0]).as("asked %d below usage %d + guard (limit was %d)", ask[0], ask[1], ask[2])
              .isGreaterThanOrEqualTo(guard.floorBytes(ask[1]));
        }
      }
    }
    assertThat(lowered).as("the traces do exercise decreases").isGreaterThan(100);
  }

  @Test
  @DisplayName("static sizing asks for nothing; a sizer that throws keeps the limits and is reported, not fatal")
  void staticAndFailingSizers() throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController fixed = controller(Sizer.fixed(), a);
    fixed.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 50; i++) {
      a.usage = (100 + i) * MIB;
      fixed.sample(i * 10 * MS, new long[] {i * 5 * MS, a.usage, a.usage});
    }
    RunSummary s = fixed.finish(0);
    assertThat(a.asked).isEmpty();
    assertThat(s.resizes()).isZero();
    assertThat(s.meanAllocatedBytes()).isEqualTo(256.0 * MIB);
    assertThat(s.memorySlack()).isBetween(0.4, 0.7);

    FakeActuator b = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController failing = controller(presize(steps -> {
      throw new IllegalStateException("model gave no number");
    }), b);
    failing.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 50; i++) {
      failing.sample(i * 10 * MS, new long[] {i * 5 * MS, 100 * MIB, 100 * MIB});
    }
    RunSummary f = failing.finish(0);
    assertThat(b.asked).isEmpty();
    assertThat(f.warnings()).hasSize(1).allMatch(w -> w.contains("model gave no number"));
  }

  /** A sizer whose memory forecast puts its median at {@code medianBytes} (P = 0.5 of exceeding it). */
  private static Sizer medianAt(long medianBytes) {
    return presize(steps -> Sizer.Sizing.of(new Forecast("f", Instant.EPOCH, Duration.ofMillis(100), Map.of(
        Resource.MEMORY, new Quantiles(medianBytes, medianBytes * 1.5, medianBytes * 2.0), Resource.CPU,
        new Quantiles(500, 600, 700)), "median", "v0")));
  }

  /** A 100 ms step from {@code initial} up to 1 GiB, default policy and checkpoint settings. */
  private static RunController.Settings settings(ResourceProfile initial) {
    return new RunController.Settings("f", Duration.ofMillis(100), initial, 1024 * MIB, 2000, PolicyConfig.DEFAULTS,
        CheckpointConfig.defaults(), 0.9, Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static double runAndCalibrate(Path dir, long usage) throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController c = controller(medianAt(1024 * MIB), a, Optional.of(dir));
    c.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 400; i++) {
      a.usage = usage;
      c.sample(i * 50 * MS, new long[] {i * 20 * MS, usage, usage});
    }
    c.finish(0);
    ExceedanceCalibration pooled = ExceedanceCalibration.load(dir.resolve("pooled.txt"));
    return pooled.loadChild(dir.resolve("functions/f.txt")).calibrate(0.5);
  }

  @Test
  @DisplayName("every forecast's outcome calibrates the exceedance probability, pooled and per function, saved across "
      + "runs: P = 0.5 never exceeded falls; usage within the guard of the maximum counts as exceeded (it cannot be "
      + "seen past a limit)")
  void calibratesExceedance(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("calibration");
    double afterCalm = runAndCalibrate(file, 100 * MIB);
    assertThat(afterCalm).isLessThan(0.15);
    double afterSecond = runAndCalibrate(file, 100 * MIB);
    assertThat(afterSecond).as("the second run starts from the first's outcomes").isLessThan(afterCalm);
    assertThat(ExceedanceCalibration.load(file.resolve("pooled.txt")).observations()).isGreaterThan(300);
    assertThat(ExceedanceCalibration.load(file.resolve("functions/f.txt")).observations()).isGreaterThan(300);
    double afterFull = runAndCalibrate(file, 1000 * MIB); // 24 MiB under the maximum: within the 64 MiB guard
    assertThat(afterFull).isGreaterThan(afterSecond * 2);
  }

  @Test
  @DisplayName("when usage plus the guard needs more than the maximum, the limit follows it (never below usage) and "
      + "the summary says so, with how high it went; a run within the maximum says nothing of it")
  void overMaximumReported() throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController c = controller(medianAt(100 * MIB), a);
    c.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 60; i++) {
      a.usage = Math.min(1100, 200 + 20 * i) * MIB; // past the 1024 MiB maximum from step 42
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, a.usage, a.usage});
    }
    RunSummary s = c.finish(0);
    assertThat(a.inForce.memoryBytes()).isGreaterThan(1100 * MIB);
    assertThat(s.warnings()).anySatisfy(w -> assertThat(w).contains("above the maximum").contains("usage plus the "
        + "guard"));

    FakeActuator b = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController within = controller(medianAt(100 * MIB), b);
    within.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 60; i++) {
      b.usage = (200 + 5 * i) * MIB;
      within.sample(i * 100 * MS, new long[] {i * 20 * MS, b.usage, b.usage});
    }
    assertThat(within.finish(0).warnings()).noneMatch(w -> w.contains("above the maximum"));

    // raised above the maximum at the last step, the run ending before a step ran with that limit: the usage that
    // needed the raise is what the summary reports, not nothing
    FakeActuator last = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController late = controller(medianAt(100 * MIB), last);
    late.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 40; i++) {
      last.usage = (i < 39 ? 200 : 1000) * MIB;
      late.sample(i * 100 * MS, new long[] {i * 20 * MS, last.usage, last.usage});
    }
    assertThat(last.inForce.memoryBytes()).isGreaterThan(1024 * MIB);
    assertThat(late.finish(0).warnings()).anySatisfy(w -> assertThat(w).contains("above the maximum",
        "usage itself stayed below it (at most 1000Mi then)"));
  }

  /**
   * Checkpoints of a run with the given memory, sized by forecasts far below the maximum, with or without the
   * crossing model of {@code src/test/resources/crossing-100ms} (XGBoost binary:logistic, three stumps on
   * {@code mem_to_limit}: P high above 0.85 of the maximum, low below; written by {@code CrossingModel.write}).
   */
  private static List<String> checkpointsWith(long usage, boolean withModel) throws Exception {
    ResourceProfile initial = ResourceProfile.of(1000, 256 * MIB);
    RunController.Settings s = settings(initial);
    if (withModel) {
      s = s.withCrossingModel(dev.presize.core.model.CrossingModel.load(Path.of(RunControllerTest.class
          .getResource("/crossing-100ms/metadata.json").toURI()).getParent()));
    }
    List<String> taken = new ArrayList<>();
    FakeActuator a = new FakeActuator(initial);
    RunController c = new RunController(s, medianAt(100 * MIB), ProviderContext.of(ConfigProperties.empty()),
        registry(a), Optional.empty(), Optional.of((trigger, inForce, reason, metrics) -> {
          taken.add(trigger + " " + reason);
          return new RunController.CheckpointHandler.Taken(taken.size(), Duration.ofMillis(5), false);
        }));
    c.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 100; i++) {
      a.usage = usage;
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, usage, usage});
    }
    c.finish(0);
    return taken;
  }

  @Test
  @DisplayName("with a crossing model, its probability drives the contention trigger: memory at 0.88 of the maximum"
      + " is checkpointed though the forecast says it stays far below; at 0.1 it is not; a model of another step is"
      + " refused")
  void crossingModel() throws Exception {
    List<String> near = checkpointsWith(900 * MIB, true);
    assertThat(near).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("CONTENTION"));
    assertThat(checkpointsWith(900 * MIB, false)).noneMatch(t -> t.startsWith("CONTENTION"));
    assertThat(checkpointsWith(100 * MIB, true)).noneMatch(t -> t.startsWith("CONTENTION"));
    var model = dev.presize.core.model.CrossingModel.load(Path.of(RunControllerTest.class
        .getResource("/crossing-100ms/metadata.json").toURI()).getParent());
    RunController.Settings s = new RunController.Settings("f", Duration.ofSeconds(1), ResourceProfile.of(1000,
        256 * MIB), 1024 * MIB, 2000, PolicyConfig.DEFAULTS, CheckpointConfig.defaults(), 0.9, Optional.empty(),
        Optional.empty(), Optional.empty());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.withCrossingModel(model))
        .hasMessageContaining("trained at a step of 100ms, the run decides every 1s");
  }

  @Test
  @DisplayName("a limit above the maximum says 'would have been OOM-killed' only when usage itself went over it")
  void overMaxWarning() {
    String guardOnly = RunController.overMaxWarning(256L << 20, 2, 290L << 20, 226L << 20);
    org.assertj.core.api.Assertions.assertThat(guardOnly).contains("above the maximum 256Mi (2 resizes, up to 290Mi)",
        "usage itself stayed below it (at most 226Mi then)", "less than the guard to spare")
        .doesNotContain("killed there");
    String over = RunController.overMaxWarning(256L << 20, 1, 400L << 20, 300L << 20);
    org.assertj.core.api.Assertions.assertThat(over).contains("(1 resize, up to 400Mi)",
        "usage itself went over the maximum, to 300Mi", "would have been OOM-killed there");
    org.assertj.core.api.Assertions.assertThat(RunController.overMaxWarning(256L << 20, 1, 400L << 20, 0))
        .contains("the command ended before its usage was measured with that limit").doesNotContain("0B");
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("a checkpoint the function is slow to answer does not stop the loop: the limit keeps following usage"
      + " plus the guard meanwhile, and the answer (a stop) is taken in at the next step")
  void slowCheckpointKeepsResizing() throws Exception {
    ResourceProfile initial = ResourceProfile.of(1000, 256 * MIB);
    RunController.Settings s = settings(initial);
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    FakeActuator a = new FakeActuator(initial);
    RunController c = new RunController(s, medianAt(2048 * MIB), ProviderContext.of(ConfigProperties.empty()),
        registry(a), Optional.empty(), Optional.of((trigger, inForce, reason, metrics) -> {
          entered.countDown();
          try {
            answer.await(); // the function has not reached its next step boundary yet
          } catch (InterruptedException e) {
            throw new java.io.IOException(e);
          }
          return new RunController.CheckpointHandler.Taken(1, Duration.ofMillis(300), true);
        }));
    c.started(Optional.of(group()), COLUMNS, 1);
    int i = 0;
    for (; entered.getCount() > 0 && i < 50; i++) {
      a.usage = (100 + 10L * i) * MIB;
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, a.usage, a.usage});
      if (i > 0) {
        entered.await(20, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    assertThat(entered.getCount()).as("a contention checkpoint was asked for").isZero();
    for (int k = 0; k < 6; k++, i++) { // memory keeps growing, 100 MiB a step, while the checkpoint is under way
      a.usage = (100 + 10L * i + 100L * k) * MIB;
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, a.usage, a.usage});
    }
    assertThat(a.inForce.memoryBytes()).as("the limit followed usage plus the guard during the checkpoint")
        .isGreaterThanOrEqualTo(a.usage + 64 * MIB);
    assertThat(c.stoppedForRestore()).isFalse();
    answer.countDown();
    int asked = a.asked.size();
    // the answer is taken in at the first step after it came: steps until then (bounded: 10 s on a busy host)
    for (long end = System.nanoTime() + 10_000_000_000L; !c.stoppedForRestore() && System.nanoTime() < end; i++) {
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, a.usage, a.usage});
    }
    assertThat(c.stoppedForRestore()).as("the stop was taken in").isTrue();
    int afterStop = a.asked.size();
    c.sample((i + 1) * 100 * MS, new long[] {(i + 1) * 20 * MS, a.usage, a.usage});
    c.sample((i + 2) * 100 * MS, new long[] {(i + 2) * 20 * MS, 2 * a.usage, 2 * a.usage});
    assertThat(a.asked).as("no resizing once stopped").hasSize(afterStop);
    assertThat(afterStop).isGreaterThanOrEqualTo(asked);
    RunSummary summary = c.finish(137);
    assertThat(summary.checkpoints()).isEqualTo(1);
  }

  @Test
  @DisplayName("a checkpoint handler that throws is a warning naming what failed (no class names), the run goes on;"
      + " finish takes in a checkpoint still under way")
  void failingCheckpointIsAWarning() throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    RunController c = contended(a, (trigger, inForce, reason, metrics) -> {
      throw new IllegalStateException("the store is full");
    });
    for (int i = 0; i < 30; i++) {
      a.usage = (500 + 10L * i) * MIB;
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, a.usage, a.usage});
    }
    RunSummary summary = c.finish(0);
    assertThat(summary.warnings()).anySatisfy(w -> assertThat(w).startsWith("checkpoint (CONTENTION) failed: the"
        + " store is full").doesNotContain("IllegalStateException"));
    assertThat(summary.checkpoints()).isZero();
    assertThat(a.inForce.memoryBytes()).isGreaterThanOrEqualTo(a.usage + 64 * MIB);
  }

  @Test
  @DisplayName("a contention checkpoint that fails (the function not listening yet) is asked again a step later, "
      + "not after the shortest interval (10 s): taken on the second try, and the failure is a warning")
  void failedCheckpointRetried() throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    RunController c = contended(a, (trigger, inForce, reason, metrics) -> {
      if (asked.incrementAndGet() == 1) {
        throw new java.io.UncheckedIOException(new java.io.IOException(
            "connect to /tmp/presize-1.sock: No such file or directory"));
      }
      return new RunController.CheckpointHandler.Taken(asked.get() - 1, Duration.ofMillis(5), false);
    });
    for (int i = 0; i < 20 && asked.get() < 2; i++) { // steps of 100 ms in real time: the back-off is a step
      a.usage = (500 + 10L * i) * MIB;
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, a.usage, a.usage});
      java.util.concurrent.locks.LockSupport.parkNanos(100 * MS);
    }
    RunSummary summary = c.finish(0);
    assertThat(asked.get()).as("asked again within 2 s").isEqualTo(2);
    assertThat(summary.checkpoints()).isEqualTo(1);
    assertThat(summary.warnings()).anySatisfy(w -> assertThat(w).startsWith("checkpoint (CONTENTION) failed: ")
        .contains("No such file or directory"));
  }

  @Test
  @DisplayName("a checkpoint's metrics window is bounded by the steps it counts: from the first step's start to the "
      + "last step's end, on the wall clock (what the manifest's metrics-from and metrics.to say)")
  void metricsWindowBounds() throws Exception {
    FakeActuator a = new FakeActuator(ResourceProfile.of(1000, 256 * MIB));
    List<Map<String, String>> windows = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunController c = contended(a, (trigger, inForce, reason, metrics) -> {
      windows.add(Map.copyOf(metrics));
      return new RunController.CheckpointHandler.Taken(windows.size(), Duration.ofMillis(5), false);
    });
    for (int i = 0; i < 12; i++) { // samples 100 ms apart on the sampler's clock, fed at once
      a.usage = (500 + 10L * i) * MIB;
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, a.usage, a.usage});
    }
    c.finish(0);
    assertThat(windows).isNotEmpty();
    Map<String, String> w = windows.get(0);
    Duration span = Duration.between(Instant.parse(w.get("from")), Instant.parse(w.get("to")));
    assertThat(span).as("%s", w).isEqualTo(Duration.ofMillis(100L * Integer.parseInt(w.get("steps"))));
  }

  /**
   * A started controller of {@code a}'s group (256Mi of a 1Gi maximum) whose forecast is always over the maximum, so
   * it asks {@code handler} for contention checkpoints.
   */
  private static RunController contended(FakeActuator a, RunController.CheckpointHandler handler) throws Exception {
    RunController c = new RunController(settings(a.inForce), medianAt(2048 * MIB),
        ProviderContext.of(ConfigProperties.empty()), registry(a), Optional.empty(), Optional.of(handler));
    c.started(Optional.of(group()), COLUMNS, 1);
    return c;
  }

  /** A sizer whose forecast trails a ramp, as a learned one does: 5, 10 and 15 MiB above the last step. */
  private static Sizer trailing() {
    return presize(steps -> {
      double m = steps.get(steps.size() - 1).memoryBytes();
      return Sizer.Sizing.of(new Forecast("f", Instant.EPOCH, Duration.ofMillis(100), Map.of(Resource.MEMORY,
          new Quantiles(m + 5 * MIB, m + 10 * MIB, m + 15 * MIB), Resource.CPU, new Quantiles(500, 600, 700)),
          "trailing", "v0"));
    });
  }

  /**
   * A run in real time (100 ms steps) whose memory rises 60 MiB a step from 100 MiB towards the 1 GiB maximum,
   * checkpointed by a handler that takes 150 ms; the usage at which the contention checkpoint was asked, and its
   * reason and measured lead.
   */
  private static RampRun rampRun(Path calibration) throws Exception {
    ResourceProfile initial = ResourceProfile.of(1000, 256 * MIB);
    RunController.Settings s = new RunController.Settings("f", Duration.ofMillis(100), initial, 1024 * MIB, 2000,
        PolicyConfig.DEFAULTS, CheckpointConfig.defaults(), 0.9, Optional.empty(), Optional.empty(),
        Optional.of(calibration));
    FakeActuator a = new FakeActuator(initial);
    RunController c = new RunController(s, trailing(), ProviderContext.of(ConfigProperties.empty()), registry(a),
        Optional.empty(), Optional.of((trigger, inForce, reason, metrics) -> {
          java.util.concurrent.locks.LockSupport.parkNanos(150_000_000L); // reaching a boundary, writing
          return new RunController.CheckpointHandler.Taken(1, Duration.ofMillis(20), false);
        }));
    long t0 = System.nanoTime();
    c.clock(t0);
    c.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 30; i++) {
      long at = t0 + i * 100 * MS;
      while (System.nanoTime() < at) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      a.usage = Math.min(1000, 100 + 60L * i) * MIB;
      c.sample(System.nanoTime() - t0, new long[] {i * 20 * MS, a.usage, a.usage});
    }
    RunSummary summary = c.finish(0);
    RunController.CheckpointEvent e = summary.checkpointLog().get(0);
    return new RampRun((long) c.timeline().get(e.step()).memoryUsedBytes(), e);
  }

  /** The memory of the step a ramp run's contention checkpoint was asked at, and the checkpoint. */
  private record RampRun(long askedAtBytes, RunController.CheckpointEvent checkpoint) {}

  @Test
  @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("the contention checkpoint allows for its lead: a ramp of 60 MiB a step is checkpointed about 400 ms"
      + " (the prior) before it reaches the maximum, though the forecast trails it; the lead measured (>= the "
      + "handler's 150 ms) is kept for the function's next run")
  void contentionAllowsForTheLead(@TempDir Path dir) throws Exception {
    RampRun first = rampRun(dir);
    RunController.CheckpointEvent e = first.checkpoint();
    assertThat(e.trigger()).isEqualTo(CheckpointTrigger.CONTENTION);
    assertThat(e.reason()).contains("lead=400ms");
    // Over the horizon alone P(> 1024 MiB) passes 0.2 only once the last step is within about 15 MiB of it.
    assertThat(first.askedAtBytes()).as("usage when the checkpoint was asked").isLessThanOrEqualTo(820 * MIB);
    assertThat(e.lead()).isBetween(Duration.ofMillis(150), Duration.ofSeconds(5));
    List<String> kept = java.nio.file.Files.readAllLines(dir.resolve("functions/f.lead"));
    assertThat(kept).hasSize(2).first().isEqualTo("presize-checkpoint-lead/1");
    assertThat(Long.parseLong(kept.get(1))).isEqualTo(e.lead().toNanos());
    RampRun second = rampRun(dir);
    assertThat(second.checkpoint().reason()).contains("lead=" + e.lead().toMillis() + "ms");
  }

  @Test
  @DisplayName("one jump is not a ramp: memory stepping once from 800 to 900 MiB of the 1 GiB maximum and staying "
      + "there takes no contention checkpoint, though carried on over the lead it would pass the maximum")
  void oneJumpIsNotARamp() throws Exception {
    ResourceProfile initial = ResourceProfile.of(1000, 256 * MIB);
    List<String> taken = new ArrayList<>();
    FakeActuator a = new FakeActuator(initial);
    RunController c = new RunController(settings(initial), trailing(), ProviderContext.of(ConfigProperties.empty()),
        registry(a), Optional.empty(), Optional.of((trigger, inForce, reason, metrics) -> {
          taken.add(trigger + " " + reason);
          return new RunController.CheckpointHandler.Taken(taken.size(), Duration.ofMillis(5), false);
        }));
    c.started(Optional.of(group()), COLUMNS, 1);
    for (int i = 0; i < 30; i++) {
      a.usage = (i < 15 ? 800 : 900) * MIB;
      c.sample(i * 100 * MS, new long[] {i * 20 * MS, a.usage, a.usage});
    }
    c.finish(0);
    assertThat(taken).noneMatch(t -> t.startsWith("CONTENTION"));
  }
}
