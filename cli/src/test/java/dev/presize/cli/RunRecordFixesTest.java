package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.core.sampling.SamplerStats;
import dev.presize.core.trace.RecordingSummary;
import dev.presize.local.Recording;
import dev.presize.local.run.RunController;
import dev.presize.local.run.RunSummary;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user-acceptance tour of {@code presize run}, {@code record} and {@code record-suite} found. */
class RunRecordFixesTest {

  private static final long HOST_CORES = Runtime.getRuntime().availableProcessors();

  @TempDir
  Path work;

  private static void assertRefused(CliRun r, String command, String... message) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message).contains("see presize " + command + " --help").doesNotContain("Usage:",
        "Exception", "\tat ");
  }

  @Test
  @DisplayName("run --workload refuses an --input out of the workload's own range before anything starts: no files")
  void workloadInputChecked() {
    Path out = work.resolve("out");
    assertRefused(CliRun.of("run", "--workload", "memory-ramp", "--input", "0", "--out", out.toString()), "run",
        "--input 0: workload memory-ramp refuses it: size must be 1 to 8192, was 0 (its sizes: [64, 128, 256, 512,"
        + " 768])");
    assertRefused(CliRun.of("run", "--workload", "memory-ramp", "--input", "-5", "--out", out.toString()), "run",
        "--input -5: workload memory-ramp refuses it: size must be 1 to 8192, was -5");
    assertRefused(CliRun.of("run", "--workload", "sha256-stream", "--input", "100000", "--out", out.toString()), "run",
        "--input 100000: workload sha256-stream refuses it: size must be 1 to 1024, was 100000");
    assertThat(out).doesNotExist();
  }

  @Test
  @DisplayName("record --cgroup that is no provider and a negative --input-size are usage errors naming the values")
  void recordCgroupAndInputSize() {
    String out = work.resolve("out").toString();
    assertRefused(CliRun.of("record", "--cgroup", "bogus", "--out", out, "--", "true"), "record",
        "--cgroup bogus: expected auto, none, cgroup-v1, cgroup-v2");
    assertRefused(CliRun.of("record", "--input-size", "-3", "--out", out, "--", "true"), "record",
        "--input-size -3: the function's input size is 0 or more");
    assertRefused(CliRun.of("record", "--cgroup", "none", "--cpu", "1", "--memory", "64Mi", "--out", out, "--",
        "true"), "record", "--cpu and --memory need a cgroup, but --cgroup none was given");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  @DisplayName("record --out that is a file or cannot be made is refused as run refuses it, saying why")
  void recordOut() throws Exception {
    Path file = Files.writeString(work.resolve("afile"), "x");
    assertRefused(CliRun.of("record", "--out", file.toString(), "--", "true"), "record",
        "--out " + file + ": not a directory");
    assertRefused(CliRun.of("record", "--out", "/proc/nope", "--", "true"), "record",
        "--out /proc/nope: cannot create it (");
    assertRefused(CliRun.of("record", "--out", file.resolve("sub").toString(), "--", "true"), "record",
        "--out " + file.resolve("sub") + ": cannot create it (Not a directory)");
  }

  @Test
  @DisplayName("record refuses what run refuses, with the same words: more CPU than the host has, memory no process"
      + " starts in, a function id that cannot name a file")
  void recordLimitsAsRun() {
    String out = work.resolve("out").toString();
    String more = Long.toString(HOST_CORES + 3);
    String cores = "is more than this host's " + HOST_CORES + " cores: a limit above them would never bind";
    assertRefused(CliRun.of("record", "--cpu", more, "--memory", "64Mi", "--out", out, "--", "true"), "record",
        "--cpu " + more + " " + cores);
    CliRun run = CliRun.of("run", "--cpus", more, "--out", out, "--", "true");
    assertRefused(run, "run", "--cpus " + more + " " + cores);
    assertThat(run.err()).doesNotContain("availableProcessors");
    assertRefused(CliRun.of("record", "--cpu", "1", "--memory", "1Mi", "--out", out, "--", "true"), "record",
        "--memory 1Mi is below the minimum of 16Mi");
    assertRefused(CliRun.of("record", "--function-id", "a/b", "--out", out, "--", "true"), "record",
        "--function-id 'a/b': use letters, digits");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  @DisplayName("record-suite --heap that -Xmx would refuse, and a --cgroup that is no provider, are usage errors "
      + "before any run starts")
  void recordSuiteOptions() {
    Path out = work.resolve("corpus");
    assertRefused(CliRun.of("record-suite", "--cgroup", "bogus", "--out", out.toString()), "record-suite",
        "--cgroup bogus: expected auto, none, cgroup-v1, cgroup-v2");
    assertRefused(CliRun.of("record-suite", "--heap", "12xyz", "--out", out.toString()), "record-suite",
        "--heap 12xyz: not a JVM heap size (-Xmx)");
    assertRefused(CliRun.of("record-suite", "--heap", "1m", "--out", out.toString()), "record-suite",
        "--heap 1m is below 16Mi");
    assertThat(out).doesNotExist();
    assertThat(RecordSuiteCommand.JVM_HEAP.matcher("512M").matches()).isTrue();
    assertThat(RecordSuiteCommand.JVM_HEAP.matcher("2g").matches()).isTrue();
    assertThat(RecordSuiteCommand.JVM_HEAP.matcher("1.5g").matches()).isFalse();
  }

  @Test
  @DisplayName("record says durations as they are written (1ns, 300ms), never Java's PT0.3S")
  void recordDurations() {
    String out = work.resolve("out").toString();
    CliRun fine = CliRun.of("record", "--interval", "1ns", "--out", out, "--", "true");
    assertRefused(fine, "record", "--interval 1ns is below the shortest supported interval, 1ms");
    assertThat(fine.err()).doesNotContain("PT");
    CliRun stopped = CliRun.of("record", "--timeout", "300ms", "--out", out, "--", "sleep", "30");
    assertThat(stopped.err()).contains("the command ran past its timeout of 300ms; stopped it").doesNotContain("PT");
  }

  @Test
  @DisplayName("record's 'not sampled' lines say the family, the provider in parentheses and its reason once;"
      + " sources and those lines are sorted by family")
  void recordSourcesReadable() {
    assertThat(RecordCommand.unavailable("jvm", "jvm: jvm reads this JVM's MXBeans, and pid 1 is not this JVM"))
        .isEqualTo("jvm (jvm): reads this JVM's MXBeans, and pid 1 is not this JVM");
    assertThat(RecordCommand.unavailable("code-phase", "jfr-phase: jfr-phase samples this JVM's threads"))
        .isEqualTo("code-phase (jfr-phase): samples this JVM's threads");
    assertThat(RecordCommand.unavailable("instruction-mix", "perf-counters: no hardware PMU"))
        .isEqualTo("instruction-mix (perf-counters): no hardware PMU");
    assertThat(RecordCommand.unavailable("gpu", "no source for this family")).isEqualTo("gpu: no source for this"
        + " family");

    Recording r = recording(Map.of("process", "procfs", "network", "netdev", "pressure", "psi", "cgroup",
        "cgroup-v1"), Map.of("working-set", "working-set: accessed-bit working set does not work", "jvm",
        "jvm: jvm reads this JVM's MXBeans", "code-phase", "jfr-phase: jfr-phase samples this JVM's threads"));
    String text = RecordCommand.text(r);
    assertThat(text).contains("sources        cgroup (cgroup-v1), network (netdev), pressure (psi), process (procfs)"
        + System.lineSeparator());
    assertThat(text.lines().filter(l -> l.startsWith("not sampled")).toList()).containsExactly(
        "not sampled    code-phase (jfr-phase): samples this JVM's threads",
        "not sampled    jvm (jvm): reads this JVM's MXBeans",
        "not sampled    working-set (working-set): accessed-bit working set does not work");
  }

  @Test
  @DisplayName("run's summary: forecasts none of which was scored say so (no NaN); negative CPU slack is explained")
  void runSummaryWithoutScoredForecasts() {
    RunSummary s = summary(0, 3, Double.NaN, 0.5, 0.66, List.of());
    String text = new ControlledRun.Outcome(List.of(phase(s, "fn-1"))).text();
    assertThat(text).doesNotContain("NaN").contains("forecasts 3, none scored yet (no forecast's horizon ended "
        + "before the command did)");
    assertThat(text).contains("slack -0.320 (negative: it used more than its limit;");
    assertThat(text).startsWith("presize run (presize): exit 0 after 0.3 s").contains("  trace: ")
        .contains("  feedback: ");
  }

  @Test
  @DisplayName("a run restored bigger: the first phase says it was stopped to be restored (not a failure), and the "
      + "whole run's totals follow the phases in text; JSON has trace and feedback, per phase too")
  void restoredRun() {
    ControlledRun.Outcome o = new ControlledRun.Outcome(List.of(stoppedToRestore(),
        phase(summary(0, 20, 0.8, 1, 0.5, List.of()), "fn-1-restored")));
    String text = o.text();
    assertThat(text).contains("presize run (presize), phase 1 of 2: stopped after 1.5 s, as planned, to be "
        + "restored bigger after its contention checkpoint (exit 137 (SIGKILL) is that stop, not a failure)");
    assertThat(text).contains("presize run (presize), phase 2 of 2 (restored): exit 0 after 2.0 s");
    String totals = text.substring(text.indexOf("presize run (presize), whole run (2 processes): exit 0 after 3.5 s"));
    assertThat(totals).contains("resizes 0, checkpoints 1, OOM kills 0", "memory: mean allocated 256Mi",
        "cpu:    mean allocated 1.00 cores, mean used 0.50 cores, slack 0.500");
    assertThat(text.indexOf("whole run")).isGreaterThan(text.indexOf("phase 2 of 2"));

    Map<String, Object> json = o.json();
    assertThat(json).containsEntry("trace", work.resolve("fn-1-restored.pstrace").toString())
        .containsEntry("feedback", work.resolve("fn-1-restored.feedback.jsonl").toString())
        .containsKeys("resizes", "checkpoints", "oomKills", "restored", "phases", "exitCode", "cpuSlack");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> phases = (List<Map<String, Object>>) json.get("phases");
    assertThat(phases.get(0)).containsEntry("trace", work.resolve("fn-1.pstrace").toString());

    ControlledRun.Phase fixed = new ControlledRun.Phase(summary(0, 1, 1, 1, 0.5, List.of()),
        recording(Map.of(), Map.of()), List.of(), Optional.empty());
    assertThat(new ControlledRun.Outcome(List.of(fixed)).json()).containsEntry("feedback", null)
        .containsKey("trace");
  }

  @Test
  @DisplayName("a SIGTERM after the first process was stopped to be restored: not restored, said so, and the run "
      + "exits 143; the first phase's stop is still called planned; JSON says restored false and the signal")
  void notRestoredAfterAStop() {
    ControlledRun.Outcome o = new ControlledRun.Outcome(List.of(stoppedToRestore()), Optional.of("TERM"));
    assertThat(o.exitCode()).isEqualTo(143);
    assertThat(o.text()).contains("presize run (presize): stopped after 1.5 s, as planned, to be restored bigger")
        .contains("presize run (presize): SIGTERM came before the restore, so it was not restored (exit 143 "
            + "(SIGTERM)); its checkpoint is kept in the run's checkpoint store")
        .doesNotContain("whole run");
    assertThat(o.json()).containsEntry("exitCode", 143).containsEntry("restored", false)
        .containsEntry("stoppedBy", "SIGTERM");
  }

  @Test
  @DisplayName("a process stopped after its contention checkpoint is restored only if the stop ended it: one that "
      + "finished first (exit 0, its result given) is not run again")
  void finishedBeforeTheStopIsNotRestored() {
    assertThat(stoppedToRestore().toRestore()).isTrue();
    RunController.CheckpointEvent stop = new RunController.CheckpointEvent(12, CheckpointTrigger.CONTENTION, 1,
        Duration.ofMillis(40), Duration.ofMillis(120), true, "need above max");
    ControlledRun.Phase finished = phase(summary(0, 15, 0.9, 1, 0.5, List.of(stop)), "fn-1");
    assertThat(finished.stoppedToRestore()).isTrue();
    assertThat(finished.toRestore()).isFalse();
  }

  @Test
  @DisplayName("run --help says the forecast is for the next decision step, not the next second")
  void runHelpHorizon() {
    CliRun help = CliRun.of("run", "--help");
    assertThat(help.out().replaceAll("\\s+", " ")).doesNotContain("next second")
        .contains("the model forecasts the need over the next step");
  }

  /** A first phase of 1.5 s that a contention checkpoint stopped (SIGKILL) to be restored bigger. */
  private ControlledRun.Phase stoppedToRestore() {
    RunController.CheckpointEvent stop = new RunController.CheckpointEvent(12, CheckpointTrigger.CONTENTION, 1,
        Duration.ofMillis(40), Duration.ofMillis(120), true, "need above max");
    return phase(summary(137, 15, 0.9, 1, 0.5, List.of(stop)), "fn-1");
  }

  private ControlledRun.Phase phase(RunSummary s, String name) {
    Recording r = new Recording(s.exitCode(), work.resolve(name + ".pstrace"), new RecordingSummary(1, 1, 1, 0, 0,
        0, 0, 0, 0, 0, -1, 0, 0), new SamplerStats(1, 0, 0, Duration.ofMillis(10), Duration.ofMillis(10),
        Duration.ZERO, Duration.ZERO), 0, Map.of(), Map.of(), Optional.empty(), List.of());
    return new ControlledRun.Phase(s, r, List.of(), Optional.of(work.resolve(name + ".feedback.jsonl")));
  }

  private Recording recording(Map<String, String> sources, Map<String, String> unavailable) {
    return new Recording(0, work.resolve("t.pstrace"), new RecordingSummary(1, 1, 1, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0),
        new SamplerStats(1, 0, 0, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ZERO, Duration.ZERO), 0,
        sources, unavailable, Optional.empty(), List.of());
  }

  /** A presize run of {@code steps} 100 ms steps at 256Mi and {@code allocatedCores}, using half the memory. */
  private static RunSummary summary(int exit, int steps, double coverage, double allocatedCores, double usedCores,
      List<RunController.CheckpointEvent> checkpoints) {
    return new RunSummary("presize", exit, steps / 10.0, 0, 0, 0, checkpoints.size(), 0, 0, 256L << 20, 128L << 20,
        allocatedCores, usedCores, 0, 0, coverage, coverage, 1, steps, new ArrayList<>(checkpoints), List.of());
  }
}
