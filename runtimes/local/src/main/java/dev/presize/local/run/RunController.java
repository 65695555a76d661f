package dev.presize.local.run;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.checkpoint.CheckpointSchedule;
import dev.presize.core.checkpoint.CostEstimate;
import dev.presize.core.checkpoint.CrossingFeatures;
import dev.presize.core.checkpoint.ExceedanceCalibration;
import dev.presize.core.checkpoint.ExceedanceModel;
import dev.presize.core.checkpoint.HourOfWeekProfile;
import dev.presize.core.checkpoint.LeadEstimate;
import dev.presize.core.checkpoint.PressureReader;
import dev.presize.core.checkpoint.PressureSample;
import dev.presize.core.model.CrossingModel;
import dev.presize.core.policy.AllocationDecision;
import dev.presize.core.policy.AllocationPolicy;
import dev.presize.core.policy.Bounds;
import dev.presize.core.policy.PolicyConfig;
import dev.presize.core.policy.PolicyInput;
import dev.presize.core.policy.StandardPolicy;
import dev.presize.local.Recorder;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.actuate.ActuationResult;
import dev.presize.spi.actuate.ActuationTarget;
import dev.presize.spi.actuate.Actuator;
import dev.presize.spi.actuate.ActuatorProvider;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.config.Quantities;
import dev.presize.spi.feedback.FeedbackRecord;
import dev.presize.spi.feedback.FeedbackSink;
import dev.presize.spi.host.ResourceGroup;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The control loop of {@code presize run}, driven by a {@link Recorder} as its {@link Recorder.Observer}: every
 * decision step it asks the {@link Sizer} what the command needs next, turns that into limits with the allocation
 * policy, applies them to the command's cgroup through the {@link Actuator} found for it, and checkpoints the
 * command at once (through the {@link CheckpointHandler}) when the forecast says the need will exceed what can be
 * had ({@link CheckpointSchedule}: contention first, then the adaptive routine interval).
 *
 * <p>Every forecast is later paired with what happened over its horizon: the pair goes to the {@link FeedbackSink}
 * and into the online coverage of the p90; when that coverage falls below its target the policy's headroom is
 * widened (and narrowed back when coverage is comfortably above).
 *
 * <p>Memory is never set below the group's usage plus the guard: Presize's policy ends with its usage guard, and
 * the actuator refuses any lowering below the usage it reads itself, whatever the sizing method. Between decisions a
 * reflex keeps it so for Presize's own sizing ({@link Sizer#keepsGuard}): the sampler hands every sample to {@link
 * #sampled}, and when less than half the guard is left between usage (the group's working set) and the limit, a
 * thread of its own raises the limit to usage plus the guard at once, without waiting for the recording's thread
 * (which may be deciding, or late under load while memory ramps).
 *
 * <p>All callbacks come from the recording's thread, except {@link #sampled} (the sampler's) and the reflex's raises
 * (its own thread; actuation is serialized with the loop's); {@link CheckpointHandler#checkpoint} runs on a thread
 * of its own so the loop keeps resizing while the function takes its checkpoint (its answer is taken in at the next
 * step, or by {@link #finish}); {@link #close} stops both threads if the run ends otherwise.
 */
public final class RunController implements Recorder.Observer {

  private static final System.Logger LOG = System.getLogger(RunController.class.getName());
  /** Forecasts whose coverage is tracked (the most recent ones). */
  public static final int COVERAGE_WINDOW = 50;
  /**
   * How long {@link #finish} waits for a checkpoint still under way: the handler has its own timeout (a function
   * that never answers), this only bounds a handler that ignores it.
   */
  static final Duration FINISH_WAIT = Duration.ofSeconds(60);
  /** Paired forecasts needed before coverage may move the headroom. */
  static final int COVERAGE_MIN = 20;
  /** Steps whose changes {@link #recentRise} reads. */
  private static final int RISE_STEPS = 3;
  /** Coverage this far under target widens the headroom; this far over (up to 1) narrows it back. */
  static final double COVERAGE_TOLERANCE = 0.05;
  static final double WIDEN = 1.05;
  static final double NARROW = 1 / 1.05;
  /** Host pressure is observed for the hour-of-week profile every this many steps. */
  static final int PRESSURE_EVERY_STEPS = 10;

  /**
   * What the controller runs with.
   *
   * @param functionId the function's id (in forecasts, feedback and checkpoints)
   * @param step the decision step (the step of the model's training data; default 100 ms)
   * @param initial the limits the group starts with
   * @param maxMemoryBytes the most memory the command may be given here (the policy's maximum; above it: contention)
   * @param maxCpuMillicores the most CPU it may be given
   * @param policy the allocation policy's settings (its memory and CPU maximum are replaced by the two above)
   * @param checkpoint the checkpoint settings (contention threshold, interval bounds, deferral)
   * @param coverageTarget the p90 coverage the feedback loop keeps (0.9)
   * @param status the live status line, if any ({@link #finish} closes it with the last status)
   * @param pressureProfile the file of the host's learned hour-of-week pressure profile (read at start, host PSI
   *     observed every second of the run, saved at the end), if any
   * @param calibrationDir where the learned calibrations of exceedance probabilities are kept ({@link
   *     ExceedanceCalibration}): {@code pooled.txt} over every function, {@code functions/<function id>.txt} for
   *     this one (its prior is the pooled one); read at start, fed with every forecast's outcome, saved at the end.
   *     Without it the run still calibrates, from its own outcomes only. {@code functions/<function id>.lead} keeps
   *     how long the function's checkpoints took to land ({@link LeadEstimate}), which the contention trigger
   *     allows for
   * @param crossingModel a model of the crossing of the maximum memory in the next step ({@link CrossingModel},
   *     trained at this step): its probability replaces the one read off the memory forecast in the checkpoint
   *     schedule, with the features computed from this run's steps; it is calibrated as the forecast's is, but
   *     apart from it ({@code calibrationDir/crossing/})
   */
  public record Settings(String functionId, Duration step, ResourceProfile initial, long maxMemoryBytes,
      long maxCpuMillicores, PolicyConfig policy, CheckpointConfig checkpoint, double coverageTarget,
      Optional<StatusLine> status, Optional<Path> pressureProfile, Optional<Path> calibrationDir,
      Optional<CrossingModel> crossingModel) {

    /** Settings without a crossing model. */
    public Settings(String functionId, Duration step, ResourceProfile initial, long maxMemoryBytes,
        long maxCpuMillicores, PolicyConfig policy, CheckpointConfig checkpoint, double coverageTarget,
        Optional<StatusLine> status, Optional<Path> pressureProfile, Optional<Path> calibrationDir) {
      this(functionId, step, initial, maxMemoryBytes, maxCpuMillicores, policy, checkpoint, coverageTarget, status,
          pressureProfile, calibrationDir, Optional.empty());
    }

    /** The same with a crossing model. */
    public Settings withCrossingModel(CrossingModel model) {
      return new Settings(functionId, step, initial, maxMemoryBytes, maxCpuMillicores, policy, checkpoint,
          coverageTarget, status, pressureProfile, calibrationDir, Optional.of(model));
    }

    public Settings {
      Objects.requireNonNull(functionId, "functionId");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(checkpoint, "checkpoint");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(pressureProfile, "pressureProfile");
      Objects.requireNonNull(calibrationDir, "calibrationDir");
      Objects.requireNonNull(crossingModel, "crossingModel");
      if (crossingModel.isPresent() && !crossingModel.get().step().equals(step)) {
        throw new IllegalArgumentException("the crossing model " + crossingModel.get().directory()
            + " was trained at a step of " + Quantities.formatDuration(crossingModel.get().step())
            + ", the run decides every " + Quantities.formatDuration(step));
      }
      if (maxMemoryBytes < initial.memoryBytes()) {
        throw new IllegalArgumentException("the maximum memory " + Quantities.formatBytes(maxMemoryBytes)
            + " is below the initial " + Quantities.formatBytes(initial.memoryBytes()));
      }
      if (maxCpuMillicores < initial.cpuMillicores()) {
        throw new IllegalArgumentException("the maximum CPU " + maxCpuMillicores + "m is below the initial "
            + initial.cpuMillicores() + "m");
      }
      if (!(coverageTarget > 0 && coverageTarget < 1)) {
        throw new IllegalArgumentException("coverageTarget must be in (0, 1), was " + coverageTarget);
      }
    }
  }

  /** Takes a checkpoint of the running command. */
  public interface CheckpointHandler {
    /**
     * Checkpoints the command now. Called on the controller's checkpoint thread, one call at a time, while the
     * recording's thread goes on calling the controller: what it touches besides its arguments must be thread-safe.
     * The profile it is given is the one in force when the checkpoint was asked for; the loop may resize meanwhile.
     *
     * @param trigger why
     * @param inForce the profile in force (recorded in the manifest)
     * @param reason the schedule's reason, in words
     * @param metrics what the command used since the previous checkpoint (or its start), for the manifest
     * @return what it cost and whether the command is to be stopped now (to be restored elsewhere, bigger)
     * @throws IOException when no checkpoint could be taken (the run goes on; the next decision may try again)
     */
    Taken checkpoint(CheckpointTrigger trigger, ResourceProfile inForce, String reason, Map<String, String> metrics)
        throws IOException;

    /** A checkpoint taken: its cost and whether the command was stopped after it. */
    record Taken(long sequence, Duration cost, boolean stopped) {}
  }

  /** One step as the report plots it: use, limits in force during the step, and the forecast made at its end. */
  public record Point(int step, double seconds, double memoryUsedBytes, long groupMemoryBytes,
      long memoryLimitBytes, double cpuCores, long cpuLimitMillicores, double forecastMemoryP50,
      double forecastMemoryP90, double forecastMemoryP99, double forecastCpuP90Cores) {}

  /**
   * A checkpoint in the run's log: {@code cost} is what the function reported, {@code lead} how long it took to land,
   * from the end of the step that asked for it to the handler's answer (a stop included; zero when the sample clock
   * was not known).
   */
  public record CheckpointEvent(int step, CheckpointTrigger trigger, long sequence, Duration cost, Duration lead,
      boolean stopped, String reason) {}

  private final Settings settings;
  private final Sizer sizer;
  private final ProviderContext context;
  private final ProviderRegistry<ActuatorProvider> actuators;
  private final Optional<FeedbackSink> feedback;
  private final Optional<CheckpointHandler> checkpoints;
  private final StandardPolicy presizePolicy;
  private final AllocationPolicy limitsPolicy;
  private final CheckpointSchedule schedule;
  private final PressureReader pressure;
  private final Kept<HourOfWeekProfile> profile;
  private final Kept<ExceedanceCalibration> pooledCalibration;
  private final Kept<ExceedanceCalibration> calibration;
  private final Kept<LeadEstimate> lead;

  private StepAggregator aggregator;
  private Actuator actuator;
  /**
   * The limits in force: written under {@link #actuation} only (the loop's resizes and the reflex's), read without
   * it by {@link #sampled} on the sampler's thread.
   */
  private volatile ResourceProfile inForce;
  /** Serializes the actuator's calls and what they update (the loop's and the reflex's). */
  private final Object actuation = new Object();
  /**
   * The group's working set in the latest sample (-1: none yet), which no lowering may go below plus the guard: its
   * usage less the inactive file cache, which the kernel reclaims before it kills (usage itself where the working
   * set is not sampled). Usage alone would let a command that writes files ratchet its limit up at the sample rate,
   * its page cache filling every raise.
   */
  private volatile long latestUsage = -1;
  /** The highest usage the sampler saw near the limit since the reflex last ran (-1: none). */
  private final java.util.concurrent.atomic.AtomicLong reflexUsage = new java.util.concurrent.atomic.AtomicLong(-1);
  private int usageColumn = -1;
  private volatile boolean reflexOn;
  private Thread reflexThread;
  /** Raises the reflex made (each also counted in {@link #resizes}). */
  private int guardRaises;
  /** After a raise that did not take, the reflex waits a step before it tries again (ticker time). */
  private long reflexQuietUntil = Long.MIN_VALUE;
  private final List<Step> steps = new ArrayList<>();
  private final List<Step> stepsView = Collections.unmodifiableList(steps);
  private final List<Point> timeline = new ArrayList<>();
  private final List<CheckpointEvent> checkpointEvents = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Coverage memoryCoverage = new Coverage();
  private final Coverage cpuCoverage = new Coverage();
  private Sizer.Sizing lastLimits = Sizer.Sizing.KEEP;
  private long startNanos;
  private Instant startedAt;
  private Instant lastCheckpointAt;
  /** Checkpoints failed in a row, and when the next may be asked (null: at once). */
  private int checkpointFailures;
  private Instant retryCheckpointAt;
  private boolean anyCheckpoint;
  /** The calibration context of the latest forecast's step. */
  private int decisionContext = ExceedanceCalibration.NO_CONTEXT;
  /** The crossing model's inputs (with a crossing model), its latest row and probability (NaN: none). */
  private final CrossingFeatures crossingFeatures;
  private final float[] crossingRow = new float[CrossingFeatures.WIDTH];
  private double crossingRaw = Double.NaN;
  private boolean crossingFailed;
  private int windowStart;
  private volatile boolean stopped;
  /**
   * The checkpoint under way, if any: it is taken on a thread of its own, so the loop keeps resizing (the usage guard
   * above all) while the function reaches its next step boundary and writes its state, which under load can take
   * several steps; a loop that waited for it left the limit where it was while memory kept growing.
   */
  private InFlight inFlight;
  /** The ticker reading sample timestamps (and so steps' ends) count from ({@link #clock}). */
  private long sampleOriginNanos = Long.MIN_VALUE;
  private java.util.concurrent.ExecutorService checkpointThread;

  /**
   * A checkpoint requested and not yet answered: what the schedule decided, when, for which step (and when that step
   * ended, on the ticker), and the answer to come.
   */
  private record InFlight(CheckpointSchedule.Checkpoint decision, Instant at, int step, long stepEndNanos,
      java.util.concurrent.Future<Answered> answer) {}

  /** The handler's answer and when it returned (on the ticker): the checkpoint had landed by then. */
  private record Answered(CheckpointHandler.Taken taken, long atNanos) {}
  private int resizes;
  private int refusals;
  /** Resizes that set the memory limit above the maximum (usage plus the guard needed it), and the highest. */
  private int overMaxResizes;
  private long overMaxPeakBytes;
  /**
   * The most the command used (RSS: the group's usage and working set also count file cache) in a step whose limit
   * was above the maximum (the guard kept it there), or in the step the loop raised the limit above it for: a raise
   * just before the command ended or gave way to a checkpoint has no step of its own. A raise of the reflex between
   * steps counts from the next step, if there is one.
   */
  private long overMaxPeakUsedBytes;
  private long actuationNanos;
  private long lastStatusNanos;
  private long forecasts;
  private long sizerFailures;

  /**
   * @param settings how to run
   * @param sizer the sizing method
   * @param context configuration and ticker for the actuator providers
   * @param providers where to find the actuator providers
   * @param feedback where forecast/outcome pairs go, if anywhere
   * @param checkpoints how to checkpoint the command, if it can be
   */
  public RunController(Settings settings, Sizer sizer, ProviderContext context, ClassLoader providers,
      Optional<FeedbackSink> feedback, Optional<CheckpointHandler> checkpoints) {
    this(settings, sizer, context, ProviderRegistry.load(ActuatorProvider.class, Objects.requireNonNull(providers,
        "providers")), feedback, checkpoints);
  }

  /** With the actuator providers given (tests). */
  RunController(Settings settings, Sizer sizer, ProviderContext context, ProviderRegistry<ActuatorProvider> actuators,
      Optional<FeedbackSink> feedback, Optional<CheckpointHandler> checkpoints) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sizer = Objects.requireNonNull(sizer, "sizer");
    this.context = Objects.requireNonNull(context, "context");
    this.actuators = Objects.requireNonNull(actuators, "actuators");
    this.feedback = Objects.requireNonNull(feedback, "feedback");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    PolicyConfig p = settings.policy().withMaximum(settings.maxMemoryBytes(), settings.maxCpuMillicores());
    this.presizePolicy = new StandardPolicy(p);
    // A method that decides limits itself gets only the bounds; lowering memory below usage plus the guard is
    // refused for it by the actuator (as for every resize), but nothing raises its limits for it.
    this.limitsPolicy = new Bounds(this::directLimits, p.memoryMinBytes(), p.memoryMaxBytes(),
        p.cpuMinMillicores(), p.cpuMaxMillicores());
    double weight = settings.checkpoint().profileWeight();
    this.profile = keep(settings.pressureProfile(), new HourOfWeekProfile(weight),
        f -> HourOfWeekProfile.load(f, weight), "pressure profile");
    // A crossing model's probabilities are calibrated apart from the forecast's (other outcomes: the next step, not
    // the horizon's peak), in files of their own, so runs without the model never read them as their prior.
    Optional<Path> calibrationDir = settings.crossingModel().isPresent()
        ? settings.calibrationDir().map(d -> d.resolve("crossing")) : settings.calibrationDir();
    this.pooledCalibration = keep(calibrationDir.map(d -> d.resolve("pooled.txt")),
        ExceedanceCalibration.defaults(), ExceedanceCalibration::load, "pooled exceedance calibration");
    ExceedanceCalibration pooled = pooledCalibration.value();
    this.calibration = keep(calibrationDir.map(d -> d.resolve("functions").resolve(fileName(settings.functionId())
        + ".txt")), pooled.child(), pooled::loadChild,
        "exceedance calibration of " + settings.functionId());
    Duration initialLead = settings.checkpoint().initialLead();
    this.lead = keep(settings.calibrationDir().map(d -> d.resolve("functions").resolve(fileName(settings
        .functionId()) + ".lead")), new LeadEstimate(initialLead), f -> LeadEstimate.load(f, initialLead),
        "checkpoint lead time of " + settings.functionId());
    this.schedule = new CheckpointSchedule(settings.checkpoint(), new CostEstimate(settings.checkpoint()
        .initialCost(), settings.checkpoint().costWeight()), profile.value(), calibration.value(), lead.value());
    this.pressure = new PressureReader(settings.checkpoint().pressureRoot());
    this.inForce = settings.initial();
    this.crossingFeatures = settings.crossingModel().isPresent() ? new CrossingFeatures(settings.step()) : null;
  }

  @Override
  public void clock(long originNanos) {
    sampleOriginNanos = originNanos;
  }

  @Override
  public void started(Optional<ResourceGroup> group, List<String> columns, long pid) {
    ResourceGroup g = group.orElseThrow(() -> new PresizeException("run", settings.functionId(),
        "the command has no cgroup of its own, so nothing can resize it; run as root on a host with cgroup v1 "
        + "or v2 (see presize run --help)"));
    aggregator = new StepAggregator(columns, settings.step());
    ActuationTarget target = new ActuationTarget(g.name(), Map.of("cgroup.name", g.name()));
    ProviderRegistry.Selection<ActuatorProvider> selection = actuators.select(Optional.empty(),
        p -> p.probe(target, context));
    warnings.addAll(selection.warnings());
    actuator = selection.provider().create(target, context);
    synchronized (actuation) {
      inForce = actuator.current().orElse(settings.initial());
    }
    usageColumn = columns.indexOf(Metric.CGROUP_MEMORY_WORKING_SET_BYTES.key());
    if (usageColumn < 0) {
      usageColumn = columns.indexOf(Metric.CGROUP_MEMORY_USAGE_BYTES.key());
    }
    if (sizer.keepsGuard() && usageColumn < 0) {
      warn("the group's memory usage is not sampled here, so the usage guard is kept at each decision only, not"
          + " between decisions");
    }
    if (sizer.keepsGuard() && usageColumn >= 0) {
      reflexOn = true;
      reflexThread = new Thread(this::reflexLoop, "presize-guard-" + settings.functionId());
      reflexThread.setDaemon(true);
      reflexThread.start();
    }
    startNanos = Long.MIN_VALUE; // set by the first sample: steps are timed by the sampler's clock
    startedAt = Instant.now();
    lastCheckpointAt = startedAt;
    lastStatusNanos = context.ticker().read();
  }

  @Override
  public void sample(long timestampNanos, long[] values) throws IOException {
    if (stopped) {
      return;
    }
    if (startNanos == Long.MIN_VALUE) {
      startNanos = timestampNanos;
    }
    Step s = aggregator.accept(timestampNanos, values);
    if (s != null) {
      decide(s);
    }
  }

  /**
   * The sampler's thread: when less than half the guard is left between this sample's working set ({@link
   * #latestUsage}) and the limit, wakes the reflex, which raises the limit to it plus the guard. Allocation-free;
   * returns at once.
   */
  @Override
  public void sampled(long timestampNanos, long[] values) {
    if (!reflexOn) {
      return;
    }
    long used = values[usageColumn];
    if (used <= 0) {
      return;
    }
    latestUsage = used;
    if (inForce.memoryBytes() - used < settings.policy().guard().guardBytes(used) / 2) {
      reflexUsage.accumulateAndGet(used, Math::max);
      LockSupport.unpark(reflexThread);
    }
  }

  private void reflexLoop() {
    boolean warned = false;
    while (reflexOn) {
      LockSupport.park(this);
      long used = reflexUsage.getAndSet(-1);
      if (used > 0 && reflexOn) {
        try {
          raise(used);
        } catch (RuntimeException e) {
          // an actuator must not throw (its errors are results); if one does, the loop's own resizes go on, and
          // the reflex waits a step before it tries again, as after a refusal
          reflexQuietUntil = context.ticker().read() + settings.step().toNanos();
          if (!warned) {
            warned = true;
            warn("the usage guard's raise failed: " + e);
          }
        }
      }
    }
  }

  /**
   * The command has ended: the reflex stops (nothing to guard), before the recording removes the group. A raise
   * under way finishes first.
   */
  @Override
  public void ended() {
    synchronized (actuation) {
      reflexOn = false;
    }
  }

  /** The reflex: memory to usage plus the guard, if the limit in force is below that (the loop may have raised it). */
  private void raise(long used) {
    synchronized (actuation) {
      if (stopped || !reflexOn) {
        return;
      }
      ResourceProfile before = inForce;
      long floor = settings.policy().guard().floorBytes(used);
      long now = context.ticker().read();
      if (floor <= before.memoryBytes() || (reflexQuietUntil != Long.MIN_VALUE && now - reflexQuietUntil < 0)) {
        return;
      }
      apply(before.withMemoryBytes(floor), before);
      if (inForce.memoryBytes() > before.memoryBytes()) {
        guardRaises++;
        reflexQuietUntil = Long.MIN_VALUE;
      } else { // refused or failed (said by apply): not again at every sample, the loop decides meanwhile
        reflexQuietUntil = now + settings.step().toNanos();
      }
    }
  }

  @Override
  public void tick(long nowNanos) {
    settings.status().ifPresent(line -> {
      if (nowNanos - lastStatusNanos >= 250_000_000L && !steps.isEmpty()) {
        lastStatusNanos = nowNanos;
        line.show(statusLine());
      }
    });
  }

  private void decide(Step step) throws IOException {
    collectCheckpoint(false);
    if (stopped) {
      return; // the command is going away to be restored elsewhere: no more resizing here
    }
    steps.add(step);
    addCrossingStep(step);
    if (step.index() % PRESSURE_EVERY_STEPS == 0) {
      schedule.observePressure(Instant.now(), pressure.read()); // the host's PSI, for the hour-of-week profile
    }
    ResourceProfile during = inForce;
    pairFeedback(step);
    Sizer.Sizing sizing;
    try {
      sizing = sizer.next(stepsView, during);
    } catch (RuntimeException e) {
      // A failed forecast must not hurt the function: keep the limits in force (usage + guard still holds, the
      // actuator never lowers below it) and say so once in a while.
      sizerFailures++;
      if (sizerFailures == 1 || sizerFailures % 100 == 0) {
        warn("sizing failed at step " + step.index() + " (" + sizerFailures + " so far), limits kept: " + e);
      }
      sizing = Sizer.Sizing.KEEP;
    }
    Forecast forecast = sizing.forecast().orElse(null);
    long now = context.ticker().read();
    AllocationDecision decision;
    if (forecast != null) {
      forecasts++;
      int horizonSteps = (int) Math.max(1, Math.round((double) forecast.horizon().toNanos()
          / settings.step().toNanos()));
      decisionContext = calibrationContext();
      crossingRaw = crossingProbability();
      pending.add(new Pending(step.index(), step.index() + horizonSteps, forecast, "f" + step.index(),
          decisionContext, crossingRaw));
      decision = presizePolicy.decide(new PolicyInput(forecast, step.usedMemoryBytes(), during, now));
    } else if (sizing.memoryBytes() > 0 || sizing.cpuMillicores() > 0) {
      lastLimits = sizing;
      decision = limitsPolicy.decide(new PolicyInput(placeholder(during), step.usedMemoryBytes(), during, now));
    } else {
      decision = AllocationDecision.keep(during); // static: the limits stay as they are
    }
    timeline.add(point(step, during, forecast));
    notePeakOverMax(step, during);
    if (decision.changed()) {
      apply(decision.profile(), during);
      if (inForce.memoryBytes() > settings.maxMemoryBytes()) {
        noteOverMaxUsed((long) step.memoryBytes()); // what this raise was made for: the command may end before a
        // step runs with it
      }
    }
    if (forecast != null && checkpoints.isPresent()) {
      maybeCheckpoint(forecast);
    }
  }

  /**
   * Keeps the most the command used (its processes' RSS: the group's usage also counts page cache the kernel would
   * reclaim before an OOM kill) in a step whose limit was above the maximum.
   */
  private void notePeakOverMax(Step step, ResourceProfile during) {
    if (during.memoryBytes() > settings.maxMemoryBytes()) {
      noteOverMaxUsed((long) step.memoryBytes());
    }
  }

  /** Keeps {@code used} if it is the most seen with a limit above the maximum (the loop's thread only). */
  private void noteOverMaxUsed(long used) {
    overMaxPeakUsedBytes = Math.max(overMaxPeakUsedBytes, used);
  }

  /**
   * What a run whose memory limit went above {@code max} is told: usage plus the guard needed it (a limit is never
   * set below that). Whether a host that cannot give more would have OOM-killed the command depends on usage itself,
   * the most the command used while the limit was above the maximum or in the step it was raised there for
   * ({@code peakUsed}; 0 when not measured): over the maximum, yes; below it, the command would only have run with
   * less than the guard to spare.
   */
  static String overMaxWarning(long max, int resizes, long peakLimit, long peakUsed) {
    String limit = "the memory limit went above the maximum " + Quantities.formatBytes(max) + " (" + resizes
        + " resize" + (resizes == 1 ? "" : "s") + ", up to " + Quantities.formatBytes(peakLimit) + "): usage plus"
        + " the guard needed it, and a limit is never set below that; ";
    if (peakUsed <= 0) {
      return limit + "the command ended before its usage was measured with that limit";
    }
    return peakUsed > max
        ? limit + "usage itself went over the maximum, to " + Quantities.formatBytes(peakUsed) + ": where the host"
            + " cannot give more, the command would have been OOM-killed there"
        : limit + "usage itself stayed below it (at most " + Quantities.formatBytes(peakUsed) + " then): where the"
            + " host cannot give more, the command would have run with less than the guard to spare there, not"
            + " been killed";
  }

  /**
   * Applies {@code wanted}. With the reflex on, a decision (made from a step's usage, which may be old when the loop
   * is late) never lowers memory below the latest sample's usage plus the guard, nor undoes a raise of the reflex
   * made since it was decided from {@code basis}.
   */
  private void apply(ResourceProfile wanted, ResourceProfile basis) {
    synchronized (actuation) {
      ResourceProfile now = inForce;
      long used = latestUsage;
      if (reflexOn && wanted.memoryBytes() < now.memoryBytes()) {
        long floor = now.memoryBytes() > basis.memoryBytes() ? now.memoryBytes()
            : used > 0 ? Math.min(now.memoryBytes(), settings.policy().guard().floorBytes(used)) : 0;
        if (wanted.memoryBytes() < floor) {
          wanted = wanted.withMemoryBytes(floor);
        }
      }
      if (wanted.equals(now)) {
        return;
      }
      applyNow(wanted);
    }
  }

  private void applyNow(ResourceProfile wanted) {
    ActuationResult r = actuator.apply(wanted);
    if (r instanceof ActuationResult.Applied a) {
      inForce(a.inForce());
      actuationNanos += a.took().toNanos();
    } else if (r instanceof ActuationResult.Rejected rej) {
      refusals++;
      LOG.log(System.Logger.Level.DEBUG, () -> "resize refused: " + rej.reason());
    } else if (r instanceof ActuationResult.Failed f) {
      refusals++;
      if (!f.retryable()) {
        warn("resize failed: " + f.message());
      }
      // Part of the request may have taken effect (memory written, then CPU refused): the limits in force are the
      // platform's, read back, so that the reflex and the next decision compare usage with the limit the kernel
      // has, not with the one before (a lowered limit taken for the old one would keep the reflex from raising it).
      actuator.current().ifPresent(this::inForce);
    }
  }

  /** Takes {@code now} as the limits in force, counting a change as a resize. */
  private void inForce(ResourceProfile now) {
    if (!now.equals(inForce)) {
      resizes++;
      if (now.memoryBytes() > settings.maxMemoryBytes() && now.memoryBytes() != Long.MAX_VALUE) {
        overMaxResizes++;
        overMaxPeakBytes = Math.max(overMaxPeakBytes, now.memoryBytes());
      }
    }
    inForce = now;
  }

  private void maybeCheckpoint(Forecast forecast) throws IOException {
    if (inFlight != null) {
      return; // one checkpoint at a time; the schedule decides again once it is answered
    }
    Instant now = Instant.now();
    if (retryCheckpointAt != null && now.isBefore(retryCheckpointAt)) {
      return; // the last one failed: not again before its back-off
    }
    Duration ran = Duration.between(startedAt, now);
    Optional<PressureSample> psi = Optional.of(pressure.read());
    // the crossing model's P is for the next step: its hazard is over one step, not the forecast's horizon
    Duration horizon = Double.isNaN(crossingRaw) ? forecast.horizon() : settings.step();
    CheckpointSchedule.Input in = new CheckpointSchedule.Input(lastCheckpointAt, ran.multipliedBy(2),
        forecast.memory(), settings.maxMemoryBytes(), horizon, psi, anyCheckpoint).withContext(decisionContext)
        // the need now and how fast it rose: the trigger allows for the checkpoint's lead time
        .withCurrent(steps.get(steps.size() - 1).memoryBytes(), recentRise() * horizon.toNanos()
            / settings.step().toNanos());
    if (!Double.isNaN(crossingRaw)) {
      in = in.withExceedance(crossingRaw);
    }
    CheckpointSchedule.Decision d = schedule.decide(now, in);
    if (!(d instanceof CheckpointSchedule.Checkpoint c)) {
      return;
    }
    if (checkpointThread == null) {
      checkpointThread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "presize-checkpoint-" + settings.functionId());
        t.setDaemon(true);
        return t;
      });
    }
    ResourceProfile profile = inForce;
    Map<String, String> window = window(forecast);
    Step asked = steps.get(steps.size() - 1);
    inFlight = new InFlight(c, now, steps.size() - 1, asked.endNanos(), checkpointThread.submit(() -> {
      CheckpointHandler.Taken taken = checkpoints.get().checkpoint(c.trigger(), profile, c.reason(), window);
      return new Answered(taken, context.ticker().read());
    }));
  }

  /**
   * Takes in the answer to the checkpoint under way once there is one ({@code wait}: waits for it, at the end of the
   * run; the handler has its own timeout), as the synchronous call did: its cost, the new window, a stop.
   */
  private void collectCheckpoint(boolean wait) {
    if (inFlight == null || (!wait && !inFlight.answer().isDone())) {
      return;
    }
    InFlight f = inFlight;
    inFlight = null;
    CheckpointSchedule.Checkpoint c = f.decision();
    Answered answered;
    try {
      answered = f.answer().get(FINISH_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      // Not a checkpoint: the schedule still wants one (the function may not be listening yet, a store may be
      // briefly full), so it is asked again after a back-off of a step, doubling up to the shortest interval.
      checkpointFailures++;
      Duration backOff = settings.step().multipliedBy(1L << Math.min(20, checkpointFailures - 1));
      retryCheckpointAt = f.at().plus(backOff.compareTo(settings.checkpoint().minInterval()) < 0 ? backOff
          : settings.checkpoint().minInterval());
      if (Long.bitCount(checkpointFailures) == 1) { // the 1st, 2nd, 4th, 8th ... failure in a row
        warn("checkpoint (" + c.trigger() + ") failed" + (checkpointFailures == 1 ? "" : " (" + checkpointFailures
            + " times in a row)") + ": " + (cause.getMessage() != null ? cause.getMessage()
            : cause.getClass().getSimpleName()));
      }
      return;
    } catch (java.util.concurrent.TimeoutException e) {
      f.answer().cancel(true);
      warn("checkpoint (" + c.trigger() + ") not answered within " + Quantities.formatDuration(FINISH_WAIT)
          + " of the run's end; given up");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      warn("checkpoint (" + c.trigger() + ") not waited for: interrupted");
      return;
    }
    CheckpointHandler.Taken taken = answered.taken();
    schedule.observeCost(taken.cost().toNanos());
    // The lead is learned from contention checkpoints only (what the trigger allows for; a routine one that does
    // not stop the command lands sooner), and only when the sample clock's origin is known (clock())
    Duration lead = sampleOriginNanos == Long.MIN_VALUE ? Duration.ZERO
        : Duration.ofNanos(Math.max(0, answered.atNanos() - (sampleOriginNanos + f.stepEndNanos())));
    if (c.trigger() == CheckpointTrigger.CONTENTION && sampleOriginNanos != Long.MIN_VALUE) {
      schedule.observeLead(lead.toNanos());
    }
    lastCheckpointAt = Instant.now();
    windowStart = f.step() + 1;
    anyCheckpoint = true;
    checkpointFailures = 0;
    retryCheckpointAt = null;
    checkpointEvents.add(new CheckpointEvent(f.step(), c.trigger(), taken.sequence(), taken.cost(), lead,
        taken.stopped(), c.reason()));
    if (taken.stopped()) {
      stopped = true; // the command is going away to be restored elsewhere: no more resizing here
    }
  }

  /**
   * How much memory rose per step, steadily, over the last {@value #RISE_STEPS} steps: the least of their changes
   * (0 when any fell or stayed, or before there are that many), so one jump (a heap expanding) is not taken for a
   * ramp that goes on while a checkpoint lands.
   */
  private double recentRise() {
    int last = steps.size() - 1;
    if (last < RISE_STEPS) {
      return 0;
    }
    double least = Double.MAX_VALUE;
    for (int i = last - RISE_STEPS + 1; i <= last; i++) {
      least = Math.min(least, steps.get(i).memoryBytes() - steps.get(i - 1).memoryBytes());
    }
    return Math.max(0, least);
  }

  /** The metrics window since the last checkpoint, as manifest attributes ({@code metrics.<key>}). */
  private Map<String, String> window(Forecast forecast) {
    double peak = 0;
    double cpu = 0;
    long throttled = 0;
    int n = 0;
    for (int i = windowStart; i < steps.size(); i++) {
      Step s = steps.get(i);
      peak = Math.max(peak, s.memoryBytes());
      cpu += s.cpuCores();
      throttled += s.throttledNanos();
      n++;
    }
    Map<String, String> m = new java.util.LinkedHashMap<>();
    // The window's bounds on the wall clock (from the steps' sample times): the manifest's metrics-from and
    // metrics.to, so they bound what the window counts, not the function process's own start and checkpoint times.
    long firstStart = windowStart == 0 ? startNanos : steps.get(windowStart - 1).endNanos();
    m.put("from", startedAt.plusNanos(firstStart - startNanos).toString());
    m.put("to", startedAt.plusNanos(steps.get(steps.size() - 1).endNanos() - startNanos).toString());
    m.put("steps", Integer.toString(n));
    m.put("step", settings.step().toString());
    m.put("memory.peak-bytes", Long.toString((long) peak));
    m.put("cpu.mean-millicores", Long.toString(n == 0 ? 0 : Math.round(cpu / n * 1000)));
    m.put("cpu.throttled-millis", Long.toString(throttled / 1_000_000));
    m.put("forecast.memory.p99-bytes", Long.toString((long) forecast.memory().p99()));
    m.put("forecast.model", forecast.modelName() + "/" + forecast.modelVersion());
    return m;
  }

  /** The sizer's own limits, for {@link #limitsPolicy}; the forecast of its input is a placeholder. */
  private AllocationDecision directLimits(PolicyInput in) {
    AllocationDecision d = AllocationDecision.keep(in.current());
    if (lastLimits.memoryBytes() > 0) {
      d = d.with(sizer.name(), Resource.MEMORY, lastLimits.memoryBytes(), "asked by " + sizer.name());
    }
    if (lastLimits.cpuMillicores() > 0) {
      d = d.with(sizer.name(), Resource.CPU, lastLimits.cpuMillicores(), "asked by " + sizer.name());
    }
    return d;
  }

  private Forecast placeholder(ResourceProfile inForce) {
    Quantiles mem = new Quantiles(inForce.memoryBytes(), inForce.memoryBytes(), inForce.memoryBytes());
    Quantiles cpu = new Quantiles(inForce.cpuMillicores(), inForce.cpuMillicores(), inForce.cpuMillicores());
    return new Forecast(settings.functionId(), Instant.EPOCH, settings.step(), Map.of(Resource.MEMORY, mem,
        Resource.CPU, cpu), sizer.name(), "-");
  }

  /** Pairs every forecast whose horizon has now ended with what was seen over it. */
  private void pairFeedback(Step step) {
    while (!pending.isEmpty() && pending.peek().lastStep() <= step.index()) {
      Pending p = pending.poll();
      double memory = 0;
      double cpu = 0;
      int n = 0;
      for (int i = p.fromStep() + 1; i <= p.lastStep() && i < steps.size(); i++) {
        memory = Math.max(memory, steps.get(i).memoryBytes());
        cpu += steps.get(i).cpuCores();
        n++;
      }
      if (n == 0) {
        continue;
      }
      double cpuMillicores = cpu / n * 1000;
      Map<Resource, Double> observed = new EnumMap<>(Resource.class);
      observed.put(Resource.MEMORY, memory);
      observed.put(Resource.CPU, cpuMillicores);
      observeExceedance(p, memory, steps.size() > p.fromStep() + 1 ? steps.get(p.fromStep() + 1).memoryBytes()
          : memory);
      memoryCoverage.add(memory <= p.forecast().memory().p90());
      cpuCoverage.add(cpuMillicores <= p.forecast().cpu().p90());
      adjust(Resource.MEMORY, memoryCoverage);
      adjust(Resource.CPU, cpuCoverage);
      String id = settings.functionId() + "/" + startedAt.toEpochMilli() + "/" + p.id();
      feedback.ifPresent(sink -> sink.accept(new FeedbackRecord(id,
          p.forecast(), observed, Instant.now())));
    }
  }

  /**
   * The calibration context of the step just seen ({@link ExceedanceCalibration#context}): the headroom to the
   * maximum over the mean absolute step-to-step change of memory over the last
   * {@value ExceedanceCalibration#CONTEXT_STEPS} steps.
   */
  private int calibrationContext() {
    int last = steps.size() - 1;
    double sum = 0;
    int k = 0;
    for (int i = last; i >= Math.max(1, last - ExceedanceCalibration.CONTEXT_STEPS + 1); i--) {
      sum += Math.abs(steps.get(i).memoryBytes() - steps.get(i - 1).memoryBytes());
      k++;
    }
    return k == 0 ? ExceedanceCalibration.NO_CONTEXT
        : ExceedanceCalibration.context(settings.maxMemoryBytes() - steps.get(last).memoryBytes(), sum / k);
  }

  /**
   * Tells the checkpoint schedule's calibration what became of a forecast's exceedance probability. Usage cannot be
   * seen past a limit (the kernel reclaims or kills first), so a peak within the usage guard of the maximum counts
   * as exceeded: the calibration must not learn from censored outcomes that contention never comes.
   */
  private void observeExceedance(Pending p, double peakMemoryBytes, double nextStepMemoryBytes) {
    double max = settings.maxMemoryBytes();
    if (!Double.isNaN(p.crossingRaw())) {
      // the crossing model's P is about the next step only
      long guard = settings.policy().guard().guardBytes((long) nextStepMemoryBytes);
      schedule.observeOutcome(p.crossingRaw(), p.context(), nextStepMemoryBytes + guard > max);
      return;
    }
    if (settings.crossingModel().isPresent()) {
      return; // the forecast's P stood in (after a step over the maximum): not the model's to learn from
    }
    double raw = ExceedanceModel.probabilityAbove(p.forecast().memory(), max);
    long guard = settings.policy().guard().guardBytes((long) peakMemoryBytes);
    schedule.observeOutcome(raw, p.context(), peakMemoryBytes + guard > max);
  }

  /**
   * Feeds a step to the crossing model's inputs. A step counts as over the maximum when its memory plus the usage
   * guard is above it, as for the calibration (usage cannot be seen past a limit).
   */
  private void addCrossingStep(Step step) {
    if (crossingFeatures == null || crossingFailed) {
      return;
    }
    double memory = Double.isFinite(step.memoryBytes()) && step.memoryBytes() >= 0 ? step.memoryBytes()
        : Math.max(0, step.usedMemoryBytes());
    long guard = settings.policy().guard().guardBytes((long) memory);
    double available = Math.max(1, (double) settings.maxMemoryBytes() - guard);
    long endMillis = startedAt.toEpochMilli() + (step.index() + 1L) * settings.step().toMillis();
    try {
      crossingFeatures.add(endMillis, memory, step.cpuCores(), step.networkBytesPerSecond(), step.diskBytesPerSecond(),
          available);
    } catch (RuntimeException e) {
      crossingFailed(e);
    }
  }

  /** The crossing model cannot go on: said once, and the forecast's own probability is used from now on. */
  private void crossingFailed(RuntimeException e) {
    crossingFailed = true;
    warn("the crossing model failed at step " + steps.size() + " (" + e + "); the forecast's exceedance probability"
        + " drives the checkpoint schedule from now on");
  }

  /**
   * The crossing model's probability that the next step crosses the maximum; NaN without a model, or when the step
   * just seen is already over the maximum (no crossing can follow it; the forecast's own probability is used).
   */
  private double crossingProbability() {
    if (crossingFeatures == null || crossingFailed || crossingFeatures.steps() == 0) {
      return Double.NaN;
    }
    Step last = steps.get(steps.size() - 1);
    if (last.memoryBytes() + settings.policy().guard().guardBytes((long) last.memoryBytes())
        > settings.maxMemoryBytes()) {
      return Double.NaN;
    }
    try {
      // the same amount the steps were counted over against: the maximum less the usage guard
      double available = Math.max(1, (double) settings.maxMemoryBytes()
          - settings.policy().guard().guardBytes((long) last.memoryBytes()));
      crossingFeatures.features(available, crossingRow);
      return settings.crossingModel().orElseThrow().probability(crossingRow);
    } catch (RuntimeException e) {
      crossingFailed(e);
      return Double.NaN;
    }
  }

  private void adjust(Resource r, Coverage c) {
    if (c.count() < COVERAGE_MIN || c.sinceAdjust < COVERAGE_MIN / 2) { // one step per 10 pairs at most
      return;
    }
    double coverage = c.coverage();
    if (coverage < settings.coverageTarget() - COVERAGE_TOLERANCE) {
      presizePolicy.widen(r, WIDEN);
      c.sinceAdjust = 0;
    } else if (coverage > settings.coverageTarget() + COVERAGE_TOLERANCE) {
      presizePolicy.widen(r, NARROW);
      c.sinceAdjust = 0;
    }
  }

  private Point point(Step s, ResourceProfile during, Forecast f) {
    double seconds = (s.endNanos() - startNanos) / 1e9;
    return new Point(s.index(), seconds, s.memoryBytes(), s.groupMemoryBytes(), during.memoryBytes(), s.cpuCores(),
        during.cpuMillicores(), f == null ? Double.NaN : f.memory().p50(), f == null ? Double.NaN
        : f.memory().p90(), f == null ? Double.NaN : f.memory().p99(), f == null ? Double.NaN
        : f.cpu().p90() / 1000);
  }

  /** The live status line: time, memory used / limit (and the forecast's p99), CPU used / limit, counts. */
  String statusLine() {
    Step s = steps.get(steps.size() - 1);
    Point p = timeline.get(timeline.size() - 1);
    String forecast = Double.isNaN(p.forecastMemoryP99()) ? ""
        : " (p99 " + Quantities.formatBytes((long) p.forecastMemoryP99()) + ")";
    return String.format(Locale.ROOT, "[%s %5.1fs] mem %s / %s%s  cpu %.2f / %.2f  resizes %d  checkpoints %d",
        sizer.name(), p.seconds(), Quantities.formatBytes((long) s.memoryBytes()),
        Quantities.formatBytes(inForce.memoryBytes()), forecast, s.cpuCores(), inForce.cpuMillicores() / 1000.0,
        resizes, checkpointEvents.size());
  }

  /**
   * Ends the run: closes the last partial step (no decision is made on it) and summarizes.
   *
   * @param exitCode the command's exit code
   */
  public RunSummary finish(int exitCode) {
    collectCheckpoint(true);
    close();
    if (aggregator != null) {
      Step last = aggregator.flush();
      if (last != null) {
        steps.add(last);
        timeline.add(point(last, inForce, null));
        notePeakOverMax(last, inForce);
      }
    }
    settings.status().ifPresent(line -> line.close(steps.isEmpty() ? null : statusLine()));
    if (overMaxResizes > 0) {
      warn(overMaxWarning(settings.maxMemoryBytes(), overMaxResizes, overMaxPeakBytes, overMaxPeakUsedBytes));
    }
    feedback.ifPresent(FeedbackSink::close);
    save(profile, HourOfWeekProfile::save);
    save(pooledCalibration, ExceedanceCalibration::save);
    save(calibration, ExceedanceCalibration::save);
    save(lead, LeadEstimate::save);
    // The group was made for this command (Recorder), so its counter is the command's kills: all of them, also one
    // before the first step closed or before the first sample (a process killed as it starts, e.g. a JVM below its
    // footprint), which a count from the first step's value on would miss.
    long oomKills = aggregator == null ? 0 : aggregator.oomKills();
    return RunSummary.of(sizer.name(), exitCode, timeline, steps, settings.step(), resizes, refusals, guardRaises,
        checkpointEvents, oomKills, actuationNanos, memoryCoverage
        .coverageOrNaN(), cpuCoverage.coverageOrNaN(), presizePolicy.widening(Resource.MEMORY), forecasts,
        warnings);
  }

  /**
   * Learned state kept in a file across runs: {@code saveTo} is where it goes at the end, empty when there is no
   * file or the file was unreadable (left as it is for inspection, not overwritten).
   */
  private record Kept<T>(T value, Optional<Path> saveTo, String what) {}

  /** A function id as a file name: characters other than {@code [A-Za-z0-9._-]} become {@code _}. */
  private static String fileName(String functionId) {
    return functionId.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private interface Loader<T> {
    T load(Path file) throws IOException;
  }

  private interface Saver<T> {
    void save(T value, Path file) throws IOException;
  }

  /** {@code file}'s state, or {@code fresh} when there is no file or it cannot be read (with a warning). */
  private <T> Kept<T> keep(Optional<Path> file, T fresh, Loader<T> loader, String what) {
    if (file.isEmpty()) {
      return new Kept<>(fresh, Optional.empty(), what);
    }
    try {
      return new Kept<>(loader.load(file.get()), file, what);
    } catch (IOException e) {
      warn(what + " not used: " + e.getMessage());
      return new Kept<>(fresh, Optional.empty(), what);
    }
  }

  private <T> void save(Kept<T> kept, Saver<T> saver) {
    if (kept.saveTo().isPresent()) {
      try {
        saver.save(kept.value(), kept.saveTo().get());
      } catch (IOException e) {
        warn("could not save the " + kept.what() + ": " + e.getMessage());
      }
    }
  }

  /**
   * Stops the checkpoint thread, if one was started (a checkpoint under way is interrupted): {@link #finish} does it,
   * and a caller whose recording failed before it could call {@code finish} must. Idempotent.
   */
  public void close() {
    if (checkpointThread != null) {
      checkpointThread.shutdownNow();
    }
    Thread reflex = reflexThread;
    if (reflex != null) {
      synchronized (actuation) { // a raise under way finishes first; none starts after
        reflexOn = false;
      }
      LockSupport.unpark(reflex);
      try {
        reflex.join(1000); // a raise under way is a few file writes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether a checkpoint stopped the command (to be restored elsewhere). */
  public boolean stoppedForRestore() {
    return stopped;
  }

  /** The timeline so far (for reports). */
  public List<Point> timeline() {
    return Collections.unmodifiableList(timeline);
  }

  /** Any thread (the reflex's too). */
  private void warn(String message) {
    synchronized (warnings) {
      if (warnings.size() < 20) {
        warnings.add(message);
      }
    }
    LOG.log(System.Logger.Level.WARNING, message);
  }

  @Override
  public String toString() {
    return "RunController[" + settings.functionId() + " " + sizer.name() + "]";
  }

  private record Pending(int fromStep, int lastStep, Forecast forecast, String id, int context,
      double crossingRaw) {}

  /** The share of the last {@link #COVERAGE_WINDOW} forecasts whose p90 covered what happened. */
  private static final class Coverage {
    private final boolean[] window = new boolean[COVERAGE_WINDOW];
    private int count;
    private int next;
    private int covered;
    int sinceAdjust;

    void add(boolean hit) {
      if (count == COVERAGE_WINDOW) {
        covered -= window[next] ? 1 : 0;
      } else {
        count++;
      }
      window[next] = hit;
      covered += hit ? 1 : 0;
      next = (next + 1) % COVERAGE_WINDOW;
      sinceAdjust++;
    }

    int count() {
      return count;
    }

    double coverage() {
      return (double) covered / count;
    }

    double coverageOrNaN() {
      return count == 0 ? Double.NaN : coverage();
    }
  }
}
