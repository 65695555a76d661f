package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.checkpoint.CheckpointSchedule.Checkpoint;
import dev.presize.core.checkpoint.CheckpointSchedule.Decision;
import dev.presize.core.checkpoint.CheckpointSchedule.Wait;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.resources.Quantiles;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CheckpointScheduleTest {

  // Monday 2024-01-01 10:00 UTC.
  private static final Instant START = Instant.parse("2024-01-01T10:00:00Z");
  private static final Quantiles CALM = new Quantiles(100, 110, 120); // P(> 130) = 0.001 per 1 s horizon
  private static final Quantiles TIGHT = new Quantiles(100, 150, 200); // P(> 130) = 0.26
  private static final PressureSample HIGH = new PressureSample(60, 5, 0);
  private static final PressureSample LOW = new PressureSample(2, 0, 1);

  private final CheckpointConfig config = CheckpointConfig.from(ConfigProperties.of(Map.of(
      CheckpointConfig.MIN_INTERVAL, "5s", CheckpointConfig.MAX_INTERVAL, "1h",
      CheckpointConfig.LONG_RUNNING, "30m", CheckpointConfig.MAX_DEFERRAL, "20m",
      CheckpointConfig.LOW_PRESSURE, "10%")));

  private CheckpointSchedule schedule(HourOfWeekProfile profile) {
    return new CheckpointSchedule(config, new CostEstimate(Duration.ofMillis(500), 0.3), profile);
  }

  /** A schedule learning into a fresh calibration of the defaults. */
  private CheckpointSchedule calibrated() {
    return new CheckpointSchedule(config, new CostEstimate(Duration.ofMillis(500), 0.3), new HourOfWeekProfile(0.5),
        ExceedanceCalibration.defaults());
  }

  private static CheckpointSchedule.Input input(Instant last, Duration runtime, Quantiles q, PressureSample p) {
    return new CheckpointSchedule.Input(last, runtime, q, 130, Duration.ofSeconds(1), Optional.ofNullable(p));
  }

  @Test
  @DisplayName("a short invocation checkpoints when T = sqrt(2C/λ) has passed: C = 0.5 s, λ = 0.001/s gives 31.6 s")
  void routineWhenDue() {
    CheckpointSchedule s = schedule(new HourOfWeekProfile(0.5));
    Decision before = s.decide(START.plusSeconds(31), input(START, Duration.ofMinutes(1), CALM, HIGH));
    assertThat(before).isInstanceOf(Wait.class);
    assertThat(before.interval().toMillis()).isEqualTo(31_622);
    assertThat(((Wait) before).nextAt()).isEqualTo(START.plus(before.interval()));
    Decision due = s.decide(START.plusSeconds(32), input(START, Duration.ofMinutes(1), CALM, HIGH));
    assertThat(due).isInstanceOfSatisfying(Checkpoint.class,
        c -> assertThat(c.trigger()).isEqualTo(CheckpointTrigger.SCHEDULE));
  }

  @Test
  @DisplayName("contention (P >= 0.2) checkpoints at once, even for a long-running function under high pressure")
  void contentionNeverDeferred() {
    HourOfWeekProfile profile = new HourOfWeekProfile(1);
    profile.observe(START.plus(Duration.ofHours(1)), 0); // a calm hour is coming
    CheckpointSchedule s = schedule(profile);
    Decision d = s.decide(START.plusSeconds(6), input(START, Duration.ofHours(5), TIGHT, HIGH));
    assertThat(d).isInstanceOfSatisfying(Checkpoint.class, c -> {
      assertThat(c.trigger()).isEqualTo(CheckpointTrigger.CONTENTION);
      assertThat(c.exceedanceProbability()).isCloseTo(0.26, org.assertj.core.api.Assertions.within(1e-9));
    });
    // Within minInterval of the last checkpoint it is rate-limited, not deferred, and looks again at minInterval.
    Decision early = s.decide(START.plusSeconds(2), input(START, Duration.ofHours(5), TIGHT, HIGH));
    assertThat(early).isInstanceOfSatisfying(Wait.class, w -> {
      assertThat(w.deferred()).isFalse();
      assertThat(w.nextAt()).isEqualTo(START.plusSeconds(5));
    });
    // Before any checkpoint of the invocation there is nothing to rate-limit against: it goes at once.
    Decision first = s.decide(START.plusSeconds(2), new CheckpointSchedule.Input(START, Duration.ofHours(5), TIGHT,
        130, Duration.ofSeconds(1), Optional.of(HIGH), false));
    assertThat(first).isInstanceOfSatisfying(Checkpoint.class,
        c -> assertThat(c.trigger()).isEqualTo(CheckpointTrigger.CONTENTION));
  }

  @Test
  @DisplayName("a contention checkpoint goes only when the loss it averts, P · (time since the last checkpoint + "
      + "failure cost), is at least its cost C: with no failure cost, P = 0.26 and C = 0.2 s it waits at 0.5 s at "
      + "risk until 0.77 s; with C = 4 s it leaves the checkpoint to the interval; with the default failure cost it "
      + "goes at once")
  void contentionWorthItsCost() {
    CheckpointConfig free = CheckpointConfig.from(ConfigProperties.of(Map.of(
        CheckpointConfig.MIN_INTERVAL, "100ms", CheckpointConfig.MAX_INTERVAL, "1h", CheckpointConfig.FAILURE_COST,
        "0s")));
    CheckpointSchedule cheap = new CheckpointSchedule(free, new CostEstimate(Duration.ofMillis(200), 0.3),
        new HourOfWeekProfile(0.5));
    Decision early = cheap.decide(START.plusMillis(500), input(START, Duration.ofMinutes(1), TIGHT, HIGH));
    // 0.26 · 0.5 s = 0.13 s < 0.2 s; worth it from 0.2 s / 0.26 = 0.77 s on, before T = sqrt(2 · 0.2 s / 0.26)
    // = 1.24 s.
    assertThat(early).isInstanceOfSatisfying(Wait.class, w -> {
      assertThat(w.nextAt()).isBetween(START.plusMillis(768), START.plusMillis(770));
      assertThat(w.reason()).contains("not_worth_its_cost");
    });
    assertThat(cheap.decide(START.plusMillis(800), input(START, Duration.ofMinutes(1), TIGHT, HIGH)))
        .isInstanceOfSatisfying(Checkpoint.class, c -> assertThat(c.trigger()).isEqualTo(CheckpointTrigger.CONTENTION));

    CheckpointSchedule dear = new CheckpointSchedule(free, new CostEstimate(Duration.ofSeconds(4), 0.3),
        new HourOfWeekProfile(0.5));
    // 0.26 · 3 s < 4 s: no contention checkpoint; the interval, sqrt(2 · 4 s / 0.26) = 5.5 s, takes one then.
    assertThat(dear.decide(START.plusSeconds(3), input(START, Duration.ofMinutes(1), TIGHT, HIGH)))
        .isInstanceOfSatisfying(Wait.class,
            w -> assertThat(w.nextAt()).isBetween(START.plusMillis(5546), START.plusMillis(5548)));
    assertThat(dear.decide(START.plusSeconds(6), input(START, Duration.ofMinutes(1), TIGHT, HIGH)))
        .isInstanceOfSatisfying(Checkpoint.class, c -> assertThat(c.trigger()).isEqualTo(CheckpointTrigger.SCHEDULE));

    // The default failure cost (1 minute): 0.26 · (3 s + 60 s) > 4 s, so contention goes at once.
    CheckpointConfig live = CheckpointConfig.from(ConfigProperties.of(Map.of(
        CheckpointConfig.MIN_INTERVAL, "100ms", CheckpointConfig.MAX_INTERVAL, "1h")));
    assertThat(new CheckpointSchedule(live, new CostEstimate(Duration.ofSeconds(4), 0.3), new HourOfWeekProfile(0.5))
        .decide(START.plusSeconds(3), input(START, Duration.ofMinutes(1), TIGHT, HIGH)))
        .isInstanceOfSatisfying(Checkpoint.class, c -> assertThat(c.trigger()).isEqualTo(CheckpointTrigger.CONTENTION));
  }

  @Test
  @DisplayName("once outcomes show that a forecast's P = 0.26 is exceeded only 1% of the time, the calibrated schedule "
      + "no longer calls it contention and checkpoints at the interval of P = 0.01")
  void calibratedProbability() {
    CheckpointSchedule s = calibrated();
    Decision before = s.decide(START.plusSeconds(6), input(START, Duration.ofMinutes(1), TIGHT, HIGH));
    assertThat(before).isInstanceOfSatisfying(Checkpoint.class,
        c -> assertThat(c.trigger()).isEqualTo(CheckpointTrigger.CONTENTION));
    double raw = ExceedanceModel.probabilityAbove(TIGHT, 130);
    for (int i = 0; i < 10_000; i++) {
      s.observeOutcome(raw, i % 100 == 0);
    }
    Decision after = s.decide(START.plusSeconds(6), input(START, Duration.ofMinutes(1), TIGHT, HIGH));
    assertThat(after).isInstanceOf(Wait.class);
    assertThat(after.exceedanceProbability()).isCloseTo(0.01, org.assertj.core.api.Assertions.within(0.001));
    // T = sqrt(2 * 0.5 s / 0.01/s) = 10 s.
    assertThat(after.interval().toMillis()).isCloseTo(10_000, org.assertj.core.api.Assertions.within(600L));
  }

  @Test
  @DisplayName("a crossing model's own P replaces the one read off the quantiles: P = 0.3 over calm quantiles is "
      + "contention, P = 0.001 over tight ones is not; it is calibrated the same way; out of [0, 1] is refused")
  void givenExceedance() {
    CheckpointSchedule s = schedule(new HourOfWeekProfile(0.5));
    Decision hot = s.decide(START.plusSeconds(6), input(START, Duration.ofMinutes(1), CALM, HIGH).withExceedance(0.3));
    assertThat(hot).isInstanceOfSatisfying(Checkpoint.class, c -> {
      assertThat(c.trigger()).isEqualTo(CheckpointTrigger.CONTENTION);
      assertThat(c.exceedanceProbability()).isEqualTo(0.3);
    });
    Decision calm = s.decide(START.plusSeconds(6), input(START, Duration.ofMinutes(1), TIGHT, HIGH)
        .withExceedance(0.001));
    assertThat(calm).isInstanceOf(Wait.class);
    assertThat(calm.interval().toMillis()).isEqualTo(31_622); // sqrt(2 * 0.5 s / 0.001/s)
    assertThat(input(START, Duration.ofMinutes(1), TIGHT, HIGH).withExceedance(0.001).rawExceedance())
        .isEqualTo(0.001);
    assertThat(input(START, Duration.ofMinutes(1), TIGHT, HIGH).rawExceedance())
        .isEqualTo(ExceedanceModel.probabilityAbove(TIGHT, 130));

    CheckpointSchedule learned = calibrated();
    for (int i = 0; i < 10_000; i++) {
      learned.observeOutcome(0.3, i % 100 == 0);
    }
    Decision after = learned.decide(START.plusSeconds(6), input(START, Duration.ofMinutes(1), CALM, HIGH)
        .withExceedance(0.3));
    assertThat(after).isInstanceOf(Wait.class);
    assertThat(after.exceedanceProbability()).isCloseTo(0.01, org.assertj.core.api.Assertions.within(0.001));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> input(START, Duration.ofMinutes(1), CALM, HIGH)
        .withExceedance(1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> input(START, Duration.ofMinutes(1), CALM, HIGH)
        .withExceedance(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the calibration context of the input is used: the same forecast is contention one jump from the "
      + "maximum, where it came true 30% of the time, and routine far from it, where it came true 0.1% of the time")
  void calibrationContext() {
    CheckpointSchedule s = calibrated();
    double raw = ExceedanceModel.probabilityAbove(CALM, 130);
    int near = ExceedanceCalibration.context(5, 10);
    int far = ExceedanceCalibration.context(500, 1);
    for (int i = 0; i < 5000; i++) {
      s.observeOutcome(raw, near, i % 10 < 3);
      s.observeOutcome(raw, far, i % 1000 == 0);
    }
    Decision nearD = s.decide(START.plusSeconds(6), input(START, Duration.ofMinutes(1), CALM, HIGH).withContext(near));
    assertThat(nearD).isInstanceOfSatisfying(Checkpoint.class,
        c -> assertThat(c.trigger()).isEqualTo(CheckpointTrigger.CONTENTION));
    Decision farD = s.decide(START.plusSeconds(6), input(START, Duration.ofMinutes(1), CALM, HIGH).withContext(far));
    assertThat(farD).isInstanceOf(Wait.class);
    assertThat(farD.exceedanceProbability()).isLessThan(0.01);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> input(START, Duration.ofMinutes(1), CALM, HIGH)
        .withContext(ExceedanceCalibration.CONTEXTS)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a long-running function's due checkpoint waits for a calmer hour but never past due + maxDeferral")
  void deferralBounded() {
    HourOfWeekProfile profile = new HourOfWeekProfile(1);
    for (int h = -2; h < 166; h++) {
      profile.observe(START.plus(Duration.ofHours(h)), h % 2 == 0 ? 80 : 1); // calm odd hours, busy even ones
    }
    CheckpointSchedule s = schedule(profile);
    int totalDeferrals = 0;
    for (int offsetMinutes = 0; offsetMinutes < 180; offsetMinutes += 7) {
      Instant last = START.plus(Duration.ofMinutes(offsetMinutes));
      Duration t = s.decide(last, input(last, Duration.ofHours(5), CALM, null)).interval();
      Instant due = last.plus(t);
      Instant deadline = due.plus(config.maxDeferral());
      Instant now = due;
      Decision d;
      while ((d = s.decide(now, input(last, Duration.ofHours(5), CALM, null))) instanceof Wait w) {
        assertThat(w.deferred()).isTrue();
        assertThat(w.nextAt()).isAfter(now).isBeforeOrEqualTo(deadline);
        totalDeferrals++;
        now = now.plusSeconds(30);
      }
      assertThat(now).as("checkpoint taken by the deadline for last=%s", last).isBeforeOrEqualTo(deadline);
      assertThat(((Checkpoint) d).trigger()).isEqualTo(CheckpointTrigger.SCHEDULE);
    }
    assertThat(totalDeferrals).as("some due checkpoints fell in busy hours and were deferred").isPositive();
    // Low pressure now: goes at once; the same function expected to run briefly is never deferred.
    Instant busy = START.plus(Duration.ofMinutes(50)); // 10:50, in a busy hour, a calm one from 11:00
    Duration t = s.decide(busy, input(busy, Duration.ofHours(5), CALM, HIGH)).interval();
    Instant due = busy.plus(t);
    assertThat(s.decide(due, input(busy, Duration.ofHours(5), CALM, HIGH))).isInstanceOf(Wait.class);
    assertThat(s.decide(due, input(busy, Duration.ofHours(5), CALM, LOW))).isInstanceOf(Checkpoint.class);
    assertThat(s.decide(due, input(busy, Duration.ofMinutes(5), CALM, HIGH))).isInstanceOf(Checkpoint.class);
    assertThat(s.decide(due.plus(config.maxDeferral()), input(busy, Duration.ofHours(5), CALM, HIGH)))
        .isInstanceOfSatisfying(Checkpoint.class, c -> assertThat(c.reason()).contains("max_deferral_reached"));
  }

  @Test
  @DisplayName("with pressure high now and no calmer hour learned before the deadline, the due checkpoint goes now")
  void noBetterWindowGoesNow() {
    HourOfWeekProfile profile = new HourOfWeekProfile(1);
    profile.observe(START.plus(Duration.ofHours(1)), 90);
    CheckpointSchedule s = schedule(profile);
    Duration t = s.decide(START, input(START, Duration.ofHours(5), CALM, HIGH)).interval();
    assertThat(s.decide(START.plus(t), input(START, Duration.ofHours(5), CALM, HIGH)))
        .isInstanceOfSatisfying(Checkpoint.class, c -> assertThat(c.reason()).contains("no_lower_window"));
  }

  @Test
  @DisplayName("the hour-of-week profile learns an EWMA per UTC hour of the week from observed pressure")
  void hourOfWeekLearning() {
    HourOfWeekProfile p = new HourOfWeekProfile(0.5);
    assertThat(HourOfWeekProfile.bucket(Instant.parse("2024-01-01T00:00:00Z"))).isZero(); // Monday 00h
    assertThat(HourOfWeekProfile.bucket(Instant.parse("2024-01-07T23:59:59Z"))).isEqualTo(167); // Sunday 23h
    Instant mon10 = START;
    assertThat(p.expected(mon10)).isNaN();
    p.observe(mon10, 40);
    p.observe(mon10.plusSeconds(600), 20); // same hour: 40 + 0.5 * (20 - 40)
    assertThat(p.expected(mon10.plusSeconds(1200))).isEqualTo(30);
    p.observe(mon10.plus(Duration.ofDays(7)), 10); // a week later, the same bucket
    assertThat(p.expected(mon10)).isEqualTo(20);
    assertThat(p.observations(mon10)).isEqualTo(3);
    p.observe(mon10.plus(Duration.ofHours(3)), 5);
    p.observe(mon10.plus(Duration.ofHours(2)), 8);
    HourOfWeekProfile.Window w = p.lowestAfter(mon10, mon10.plus(Duration.ofHours(4)));
    assertThat(w.pressurePercent()).isEqualTo(5);
    assertThat(w.start()).isEqualTo(Instant.parse("2024-01-01T13:00:00Z"));
    assertThat(p.lowestAfter(mon10, mon10.plus(Duration.ofMinutes(150))).pressurePercent()).isEqualTo(8);
    // The schedule feeds the profile with the highest of the three pressures.
    CheckpointSchedule s = schedule(p);
    s.observePressure(mon10.plus(Duration.ofHours(5)), new PressureSample(3, 7, Double.NaN));
    assertThat(p.expected(mon10.plus(Duration.ofHours(5)))).isEqualTo(7);
  }

  // Lead: 100 ms horizon, a lead of 400 ms (the default prior), so k = 5; 130 available.
  private static final Quantiles RAMP = new Quantiles(104, 108, 112); // over the horizon P(> 130) = 3.2e-7

  /** One second into an invocation that took no checkpoint yet: nothing is due, contention goes at once. */
  private static CheckpointSchedule.Input soon(Quantiles q) {
    return new CheckpointSchedule.Input(START, Duration.ofMinutes(1), q, 130, Duration.ofMillis(100),
        Optional.of(HIGH), false);
  }

  @Test
  @DisplayName("the contention trigger looks a checkpoint's lead further ahead: a need rising 10 a step from 100 "
      + "will be near 150 one horizon after a checkpoint asked now lands 400 ms later, over the 130 available; so "
      + "now")
  void leadTime() {
    CheckpointSchedule s = schedule(new HourOfWeekProfile(0.5));
    assertThat(s.lead()).isEqualTo(Duration.ofMillis(400));
    // Over the horizon alone (no need now given, as in the simulation): no contention.
    Decision plain = s.decide(START.plusSeconds(1), soon(RAMP));
    assertThat(plain).isInstanceOf(Wait.class);
    assertThat(plain.exceedanceProbability()).isLessThan(1e-6);
    // With the need now and its recent rise: median moved to 100 + 5 * 10 = 150, so P(> 130) > 0.5.
    Decision ahead = s.decide(START.plusSeconds(1), soon(RAMP).withCurrent(100, 10));
    assertThat(ahead).isInstanceOfSatisfying(Checkpoint.class, c -> {
      assertThat(c.trigger()).isEqualTo(CheckpointTrigger.CONTENTION);
      assertThat(c.exceedanceProbability()).isLessThan(1e-6); // the hazard (and interval) still read the horizon
      assertThat(c.reason()).contains("p_exceed_with_lead=").contains("lead=400ms");
    });
    // The forecast's own rise (4 a step) carries the need to 120 only: moved to (120, 124, 128), P = 0.0032.
    assertThat(s.decide(START.plusSeconds(1), soon(RAMP).withCurrent(100, 0))).isInstanceOf(Wait.class);
    // A need neither rising nor forecast to rise is left as it is, however long the lead.
    Quantiles flat = new Quantiles(95, 125, 129);
    s.observeLead(Duration.ofSeconds(30).toNanos());
    assertThat(s.decide(START.plusSeconds(1), soon(flat).withCurrent(100, 0))).isInstanceOf(Wait.class);
  }

  @Test
  @DisplayName("the lead is learned from the checkpoints measured (LeadEstimate): a 100 ms lead (k = 2) lands the "
      + "same ramp at 120, so no contention")
  void leadLearned() {
    CheckpointSchedule s = schedule(new HourOfWeekProfile(0.5));
    s.observeLead(Duration.ofMillis(900).toNanos());
    assertThat(s.lead()).isEqualTo(Duration.ofMillis(900));
    s.observeLead(Duration.ofMillis(100).toNanos());
    assertThat(s.lead()).isEqualTo(Duration.ofMillis(200));
    s.observeLead(Duration.ofMillis(100).toNanos());
    assertThat(s.lead()).isEqualTo(Duration.ofMillis(200));
    for (int i = 0; i < LeadEstimate.KEEP; i++) {
      s.observeLead(Duration.ofMillis(100).toNanos());
    }
    assertThat(s.lead()).isEqualTo(Duration.ofMillis(100));
    assertThat(s.decide(START.plusSeconds(1), soon(RAMP).withCurrent(100, 10))).isInstanceOf(Wait.class);
  }

  @Test
  @DisplayName("a given P over one step is taken as a constant hazard over the horizon and the lead while the need "
      + "rises: 0.06 per 100 ms is 1 - 0.94^5 = 0.27 over the 500 ms, over the 0.2 threshold; a flat need is judged "
      + "over the horizon alone")
  void leadWithGivenExceedance() {
    CheckpointSchedule s = schedule(new HourOfWeekProfile(0.5));
    assertThat(s.decide(START.plusSeconds(1), soon(CALM).withExceedance(0.06))).isInstanceOf(Wait.class);
    assertThat(s.decide(START.plusSeconds(1), soon(CALM).withExceedance(0.06).withCurrent(100, 5)))
        .isInstanceOfSatisfying(Checkpoint.class, c -> assertThat(c.reason()).contains("p_exceed_with_lead=0.2661"));
    // CALM's median is the need now: neither it nor the need rises
    assertThat(s.decide(START.plusSeconds(1), soon(CALM).withExceedance(0.06).withCurrent(100, 0)))
        .isInstanceOf(Wait.class);
  }
}
