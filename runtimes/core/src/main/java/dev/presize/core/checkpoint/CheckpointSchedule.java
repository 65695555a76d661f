package dev.presize.core.checkpoint;

import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.resources.Quantiles;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The adaptive checkpoint schedule of one invocation: pure decisions, with time passed in.
 *
 * <p>Each {@link #decide} does, in order:
 * <ol>
 *   <li><b>Contention.</b> {@code P = P(need > available over the horizon)} from the memory forecast
 *       ({@link ExceedanceModel}) or given by a model of the crossing ({@link Input#exceedance}), calibrated against the outcomes seen so far ({@link ExceedanceCalibration},
 *       fed by {@link #observeOutcome}). If {@code P >= contentionThreshold}, at least {@code minInterval} has
 *       passed since the last checkpoint, and the checkpoint is worth what it costs, checkpoint now
 *       ({@link CheckpointTrigger#CONTENTION}); never deferred. <b>Worth it:</b> the loss a checkpoint now averts
 *       in expectation, {@code P · (time since the last checkpoint + failureCost)} (the work a failure would
 *       take back, and what the failure costs beyond it: {@link CheckpointConfig#failureCost}), is at least the
 *       checkpoint's cost C. With the default failure cost (a minute) that holds whenever P passes the threshold
 *       unless a checkpoint costs seconds; where a failure costs nothing beyond the work since the last checkpoint
 *       (the simulation's failure model), a checkpoint just after one, or one costing more than the work it
 *       guards, is not taken.
 *       <b>Lead:</b> a checkpoint is not safe the moment it is asked for: it lands a lead time {@code L} later (the
 *       function reaches a consistent point, writes its state durably and, when it is to give way, is stopped), and
 *       the need goes on growing meanwhile. When the input carries the need now ({@link Input#withCurrent}), the
 *       trigger also looks {@code L} further ahead: with {@code k = 1 + L / horizon} and the need's rate of rise
 *       {@code r} per horizon (the larger of what the forecast expects, {@code p50 - now}, and what the need has
 *       steadily done lately; 0 when both fall), the need when a checkpoint asked now would have landed, one
 *       horizon on, is about {@code now + k · r}, and the forecast's quantiles are moved up so that their median is
 *       there (never down: a forecast that leads the need already is left as it is); a given {@code P} is taken as
 *       a constant hazard over the horizon and the lead, {@code 1 - (1 - P)^k}. Either only while {@code r > 0}:
 *       a need that does not rise is judged over the horizon alone. The moved quantiles' {@code P} is calibrated as
 *       {@code P} is; the larger of the two decides. (A learned forecast trails
 *       a steep ramp: on memory-ramp it expected 7-10 MiB a step where the need rose 18-27, so its own rise alone
 *       lands the checkpoint too late.) {@code L} is the longest
 *       of the last leads measured, at most twice their median ({@link LeadEstimate}, {@link #observeLead}: the
 *       loop feeds contention checkpoints' leads), {@code lead.initial} until one is.</li>
 *   <li><b>Interval.</b> {@code λ = P / horizon}; {@code T = sqrt(2 C / λ)} ({@link YoungDaly}) with C the EWMA of
 *       measured costs ({@link CostEstimate}), clamped to {@code [minInterval, maxInterval]}. Before
 *       {@code last + T}: wait.</li>
 *   <li><b>Deferral.</b> When due and the invocation is expected to run at least {@code longRunningThreshold}, a
 *       routine checkpoint waits for a low-contention window: it goes now when host pressure is at most
 *       {@code lowPressurePercent}, or when the learned hour-of-week profile ({@link HourOfWeekProfile}) expects no
 *       lower pressure in any hour before the deadline, or at the deadline {@code due + maxDeferral} at the latest.
 *       Shorter invocations checkpoint as soon as due.</li>
 * </ol>
 * Not thread-safe: one schedule per invocation, driven from the checkpoint thread.
 */
public final class CheckpointSchedule {

  private final CheckpointConfig config;
  private final CostEstimate cost;
  private final HourOfWeekProfile profile;
  private final ExceedanceCalibration calibration;
  private final LeadEstimate lead;

  /**
   * A schedule that takes the forecast's exceedance probability as it is ({@link ExceedanceCalibration#identity()}).
   *
   * @param config the settings
   * @param cost the cost estimate (shared by the invocations of a function, since they checkpoint alike)
   * @param profile the host's contention profile (shared by everything on the host)
   */
  public CheckpointSchedule(CheckpointConfig config, CostEstimate cost, HourOfWeekProfile profile) {
    this(config, cost, profile, ExceedanceCalibration.identity());
  }

  /**
   * @param config the settings
   * @param cost the cost estimate (shared by the invocations of a function, since they checkpoint alike)
   * @param profile the host's contention profile (shared by everything on the host)
   * @param calibration the calibration of exceedance probabilities (shared by the invocations of a function)
   */
  public CheckpointSchedule(CheckpointConfig config, CostEstimate cost, HourOfWeekProfile profile,
      ExceedanceCalibration calibration) {
    this(config, cost, profile, calibration, new LeadEstimate(config.initialLead()));
  }

  /**
   * @param config the settings
   * @param cost the cost estimate (shared by the invocations of a function, since they checkpoint alike)
   * @param profile the host's contention profile (shared by everything on the host)
   * @param calibration the calibration of exceedance probabilities (shared by the invocations of a function)
   * @param lead how long the function's checkpoints take to land (shared by its invocations)
   */
  public CheckpointSchedule(CheckpointConfig config, CostEstimate cost, HourOfWeekProfile profile,
      ExceedanceCalibration calibration, LeadEstimate lead) {
    this.config = Objects.requireNonNull(config, "config");
    this.cost = Objects.requireNonNull(cost, "cost");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.calibration = Objects.requireNonNull(calibration, "calibration");
    this.lead = Objects.requireNonNull(lead, "lead");
  }

  /**
   * What the schedule knows at one moment.
   *
   * @param lastCheckpointAt the last checkpoint, or the invocation's start when none was taken
   * @param expectedRuntime how long the invocation is expected to run in total
   * @param memory the forecast of memory need over {@code horizon}, in bytes
   * @param availableMemoryBytes what the invocation can have
   * @param horizon the forecast's horizon
   * @param pressure host pressure now, if read
   * @param anyTaken whether a checkpoint of the invocation was taken yet; when none was, a contention checkpoint
   *     is not rate-limited (there is nothing to be {@code minInterval} away from)
   * @param exceedance a model's own probability that the need exceeds {@code availableMemoryBytes} over the horizon
   *     (a classifier of the crossing), used as the raw {@code P} instead of the one read off {@code memory}'s
   *     quantiles; calibrated the same way. Empty: read off the quantiles
   * @param context the calibration context ({@link ExceedanceCalibration#context}: the headroom over the need's
   *     recent changes), or {@link ExceedanceCalibration#NO_CONTEXT}
   * @param currentMemoryBytes the need now, in the forecast's terms (the last step's peak), from which the forecast
   *     goes on; given, the contention trigger looks a checkpoint's lead time further ahead. Empty: over the
   *     horizon only (as the simulation, whose checkpoints land at once)
   * @param recentRiseBytes how much the need rose per horizon lately, steadily (e.g. the least change over the last
   *     few steps, so one jump is not taken for a ramp; scaled to the horizon; 0 when it fell or is not known),
   *     read with {@code currentMemoryBytes}
   */
  public record Input(Instant lastCheckpointAt, Duration expectedRuntime, Quantiles memory,
      double availableMemoryBytes, Duration horizon, Optional<PressureSample> pressure, boolean anyTaken,
      OptionalDouble exceedance, int context, OptionalDouble currentMemoryBytes, double recentRiseBytes) {

    /** An input whose raw {@code P} is read off the memory quantiles, without a calibration context. */
    public Input(Instant lastCheckpointAt, Duration expectedRuntime, Quantiles memory, double availableMemoryBytes,
        Duration horizon, Optional<PressureSample> pressure, boolean anyTaken) {
      this(lastCheckpointAt, expectedRuntime, memory, availableMemoryBytes, horizon, pressure, anyTaken,
          OptionalDouble.empty(), ExceedanceCalibration.NO_CONTEXT, OptionalDouble.empty(), 0);
    }

    /** An input whose {@code lastCheckpointAt} is a checkpoint taken (contention checkpoints are rate-limited). */
    public Input(Instant lastCheckpointAt, Duration expectedRuntime, Quantiles memory, double availableMemoryBytes,
        Duration horizon, Optional<PressureSample> pressure) {
      this(lastCheckpointAt, expectedRuntime, memory, availableMemoryBytes, horizon, pressure, true);
    }

    public Input {
      Objects.requireNonNull(lastCheckpointAt, "lastCheckpointAt");
      Objects.requireNonNull(expectedRuntime, "expectedRuntime");
      Objects.requireNonNull(memory, "memory");
      Objects.requireNonNull(horizon, "horizon");
      Objects.requireNonNull(pressure, "pressure");
      if (!(availableMemoryBytes >= 0) || Double.isInfinite(availableMemoryBytes)) {
        throw new IllegalArgumentException("availableMemoryBytes must be finite and >= 0, was "
            + availableMemoryBytes);
      }
      if (horizon.isZero() || horizon.isNegative()) {
        throw new IllegalArgumentException("horizon must be positive, was " + horizon);
      }
      Objects.requireNonNull(exceedance, "exceedance");
      if (exceedance.isPresent() && !(exceedance.getAsDouble() >= 0 && exceedance.getAsDouble() <= 1)) {
        throw new IllegalArgumentException("exceedance must be a probability in [0, 1], was "
            + exceedance.getAsDouble());
      }
      if (context < 0 || context >= ExceedanceCalibration.CONTEXTS) {
        throw new IllegalArgumentException("context must be in [0, " + ExceedanceCalibration.CONTEXTS + "), was "
            + context);
      }
      Objects.requireNonNull(currentMemoryBytes, "currentMemoryBytes");
      if (currentMemoryBytes.isPresent() && !(currentMemoryBytes.getAsDouble() >= 0
          && currentMemoryBytes.getAsDouble() < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("currentMemoryBytes must be finite and >= 0, was "
            + currentMemoryBytes.getAsDouble());
      }
      if (!(recentRiseBytes >= 0 && recentRiseBytes < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("recentRiseBytes must be finite and >= 0, was " + recentRiseBytes);
      }
    }

    /** This input with the raw {@code P} given by a model of the crossing (see {@link #exceedance}). */
    public Input withExceedance(double probability) {
      return new Input(lastCheckpointAt, expectedRuntime, memory, availableMemoryBytes, horizon, pressure, anyTaken,
          OptionalDouble.of(probability), context, currentMemoryBytes, recentRiseBytes);
    }

    /** This input in calibration context {@code c} ({@link ExceedanceCalibration#context}). */
    public Input withContext(int c) {
      return new Input(lastCheckpointAt, expectedRuntime, memory, availableMemoryBytes, horizon, pressure, anyTaken,
          exceedance, c, currentMemoryBytes, recentRiseBytes);
    }

    /**
     * This input with the need now and its recent rise per horizon (see {@link #currentMemoryBytes}): the contention
     * trigger allows for a checkpoint's lead time.
     */
    public Input withCurrent(double memoryBytes, double recentRise) {
      return new Input(lastCheckpointAt, expectedRuntime, memory, availableMemoryBytes, horizon, pressure, anyTaken,
          exceedance, context, OptionalDouble.of(memoryBytes), recentRise);
    }

    /** The raw {@code P}: {@link #exceedance} when given, else read off the memory quantiles. */
    public double rawExceedance() {
      return exceedance.isPresent() ? exceedance.getAsDouble()
          : ExceedanceModel.probabilityAbove(memory, availableMemoryBytes);
    }
  }

  /** What to do now. */
  public sealed interface Decision permits Checkpoint, Wait {
    /** P(need &gt; available over the horizon) this decision used, after calibration. */
    double exceedanceProbability();

    /** The clamped Young/Daly interval this decision used. */
    Duration interval();
  }

  /**
   * Take a checkpoint now.
   *
   * @param trigger why ({@code CONTENTION} or {@code SCHEDULE})
   * @param reason in words, {@code key=value}
   */
  public record Checkpoint(CheckpointTrigger trigger, double exceedanceProbability, Duration interval,
      String reason) implements Decision {
    public Checkpoint {
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Not now: decide again at {@code nextAt} at the latest (earlier when the forecast or pressure changes).
   *
   * @param deferred whether a due routine checkpoint is being deferred to a low-contention window
   * @param reason in words, {@code key=value}
   */
  public record Wait(Instant nextAt, boolean deferred, double exceedanceProbability, Duration interval,
      String reason) implements Decision {
    public Wait {
      Objects.requireNonNull(nextAt, "nextAt");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Decides at {@code now}. */
  public Decision decide(Instant now, Input in) {
    double raw = in.rawExceedance();
    double p = calibration.calibrate(raw, in.context());
    double lambda = p / (in.horizon().toNanos() / 1e9);
    Duration t = YoungDaly.interval(cost.cost(), lambda, config.minInterval(), config.maxInterval());
    Duration since = Duration.between(in.lastCheckpointAt(), now);
    double ahead = aheadProbability(in, p);
    double contention = Math.max(p, ahead);
    boolean contended = contention >= config.contentionThreshold();
    boolean allowed = !in.anyTaken() || since.compareTo(config.minInterval()) >= 0;
    // Expected loss averted, P · (work at risk + what a failure costs beyond it), against the checkpoint's cost.
    double averted = contention * (since.toNanos() + (double) config.failureCost().toNanos());
    boolean worth = averted >= cost.cost().toNanos();
    if (contended && allowed && worth) {
      return new Checkpoint(CheckpointTrigger.CONTENTION, p, t,
          "p_exceed=" + fmt(p) + " raw=" + fmt(raw) + (ahead > p ? " p_exceed_with_lead=" + fmt(ahead) + " lead="
              + lead.lead().toMillis() + "ms" : "") + " threshold=" + fmt(config.contentionThreshold()));
    }
    Instant due = in.lastCheckpointAt().plus(t);
    if (now.isBefore(due)) {
      if (contended && !allowed) {
        // Contention, but a checkpoint was taken less than minInterval ago: look again as soon as allowed.
        Instant at = in.lastCheckpointAt().plus(config.minInterval());
        return new Wait(at.isBefore(due) ? at : due, false, p, t,
            "p_exceed=" + fmt(p) + " rate_limited_until=" + at);
      }
      if (contended) {
        // Contention, but too little is at risk yet for a checkpoint to pay: look again when it would.
        long worthNanos = (long) Math.min(Long.MAX_VALUE / 2.0,
            cost.cost().toNanos() / contention - config.failureCost().toNanos());
        Instant at = in.lastCheckpointAt().plus(Duration.ofNanos(Math.max(worthNanos, since.toNanos())));
        return new Wait(at.isBefore(due) ? at : due, false, p, t, "p_exceed=" + fmt(p)
            + " not_worth_its_cost=" + cost.cost() + " at_risk=" + since);
      }
      return new Wait(due, false, p, t, "interval=" + t + " lambda_per_s=" + fmt(lambda) + " cost=" + cost.cost());
    }
    if (in.expectedRuntime().compareTo(config.longRunningThreshold()) < 0) {
      return new Checkpoint(CheckpointTrigger.SCHEDULE, p, t, "due interval=" + t);
    }
    Instant deadline = due.plus(config.maxDeferral());
    if (!now.isBefore(deadline)) {
      return new Checkpoint(CheckpointTrigger.SCHEDULE, p, t, "due max_deferral_reached=" + config.maxDeferral());
    }
    double pressureNow = in.pressure().map(PressureSample::maxPercent).orElse(Double.NaN);
    if (!Double.isNaN(pressureNow) && pressureNow <= config.lowPressurePercent()) {
      return new Checkpoint(CheckpointTrigger.SCHEDULE, p, t, "due pressure_now=" + fmt(pressureNow) + "% low");
    }
    double current = Double.isNaN(pressureNow) ? profile.expected(now) : pressureNow;
    HourOfWeekProfile.Window later = profile.lowestAfter(now, deadline);
    if (Double.isNaN(current) || Double.isNaN(later.pressurePercent()) || later.pressurePercent() >= current) {
      return new Checkpoint(CheckpointTrigger.SCHEDULE, p, t, "due pressure_now=" + fmt(current)
          + "% no_lower_window_before=" + deadline);
    }
    Instant nextHour = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    Instant next = nextHour.isBefore(deadline) ? nextHour : deadline;
    return new Wait(next, true, p, t, "deferred pressure_now=" + fmt(current) + "% expected="
        + fmt(later.pressurePercent()) + "% at=" + later.start() + " deadline=" + deadline);
  }

  /**
   * P(need &gt; available before a checkpoint asked now would land), calibrated ({@code NaN}-free; 0 when the input
   * does not carry the need now or the lead is 0): see the class comment. {@code p} is the calibrated P over the
   * horizon.
   */
  private double aheadProbability(Input in, double p) {
    if (in.currentMemoryBytes().isEmpty() || lead.lead().isZero()) {
      return 0;
    }
    double k = 1 + (double) lead.lead().toNanos() / in.horizon().toNanos();
    Quantiles q = in.memory();
    double now = in.currentMemoryBytes().getAsDouble();
    double rate = Math.max(Math.max(0, q.p50() - now), in.recentRiseBytes());
    if (rate == 0) {
      return 0; // neither the forecast nor the need rises: nothing grows while a checkpoint lands
    }
    if (in.exceedance().isPresent()) {
      return 1 - Math.pow(1 - p, k);
    }
    double shift = now + k * rate - q.p50();
    if (!(shift > 0)) {
      return 0;
    }
    Quantiles moved = new Quantiles(q.p50() + shift, q.p90() + shift, q.p99() + shift);
    return calibration.calibrate(ExceedanceModel.probabilityAbove(moved, in.availableMemoryBytes()), in.context());
  }

  /**
   * Records how long a checkpoint took to land: from the end of the step whose forecast asked for it until the
   * state was safe (and the function stopped, when it was to give way). The contention trigger looks this much
   * further ahead ({@link LeadEstimate}).
   */
  public void observeLead(long leadNanos) {
    lead.observe(leadNanos);
  }

  /** The lead time the contention trigger allows for now ({@link #observeLead}, or {@code lead.initial}). */
  public Duration lead() {
    return lead.lead();
  }

  /**
   * Records what became of a forecast once its horizon has passed: the raw exceedance probability it gave for
   * {@code availableMemoryBytes} ({@link Input#rawExceedance}) and whether the need exceeded that amount. The
   * calibration learns from it.
   */
  public void observeOutcome(double rawProbability, boolean exceeded) {
    calibration.observe(rawProbability, exceeded);
  }

  /** {@link #observeOutcome(double, boolean)} of a forecast decided in calibration context {@code context}. */
  public void observeOutcome(double rawProbability, int context, boolean exceeded) {
    calibration.observe(rawProbability, context, exceeded);
  }

  /** Records a measured checkpoint cost. */
  public void observeCost(long costNanos) {
    cost.observe(costNanos);
  }

  /** Records host pressure at {@code at} into the hour-of-week profile (missing readings are ignored). */
  public void observePressure(Instant at, PressureSample sample) {
    double v = sample.maxPercent();
    if (!Double.isNaN(v)) {
      profile.observe(at, v);
    }
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.4g", v);
  }
}
