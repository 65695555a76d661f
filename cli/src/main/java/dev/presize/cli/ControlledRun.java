package dev.presize.cli;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.policy.PolicyConfig;
import dev.presize.local.RecordOptions;
import dev.presize.local.Recorder;
import dev.presize.local.Recording;
import dev.presize.local.run.CheckpointChannel;
import dev.presize.local.run.FeedbackFile;
import dev.presize.local.run.RunController;
import dev.presize.local.run.RunSummary;
import dev.presize.local.run.Sizer;
import dev.presize.local.run.StatusLine;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Ticker;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.local.ExitStatus;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.Quantities;
import dev.presize.spi.feedback.FeedbackSink;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.workloads.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One command run under predictive control, and the workload runs of {@code presize run --workload} and
 * {@code presize demo}: the command in its own cgroup (a {@link Recorder} writes its trace) with a
 * {@link RunController} resizing it, and, for a checkpointable workload whose need outgrows {@code maxMemory}, the
 * checkpoint, the stop, and the restore in a new process and cgroup with {@code growTo} memory.
 */
final class ControlledRun {

  /** How long a checkpoint request may wait for the function's next step boundary. */
  static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What to run.
   *
   * @param command the command (for a workload: the hosted-function JVM, without {@code --restore})
   * @param functionId the function's id
   * @param initial the limits the group starts with
   * @param maxMemoryBytes the most memory the command may have here (above: contention)
   * @param maxCpuMillicores the most CPU
   * @param growTo for a checkpointable workload: restore with this much memory after a contention checkpoint
   * @param step the decision step
   * @param outDir where traces, feedback and checkpoints go
   * @param runName names this run's trace ({@code <runName>.pstrace}, then {@code -restored}) and feedback
   * @param output where the command's stdout and stderr go; empty: inherited
   * @param socket the workload's checkpoint channel, if it has one
   * @param config {@code presize.*} properties
   * @param status whether to show the live status line
   * @param inputSize the invocation's input size, if known
   * @param crossingModel the crossing model that gives the checkpoint schedule its probability, if any
   */
  record Spec(List<String> command, String functionId, ResourceProfile initial, long maxMemoryBytes,
      long maxCpuMillicores, OptionalLong growTo, Duration step, Path outDir, String runName, Optional<Path> output,
      Optional<Path> socket, ConfigProperties config, boolean status, OptionalLong inputSize,
      Optional<dev.presize.core.model.CrossingModel> crossingModel) {

    /** A spec without a crossing model. */
    Spec(List<String> command, String functionId, ResourceProfile initial, long maxMemoryBytes,
        long maxCpuMillicores, OptionalLong growTo, Duration step, Path outDir, String runName, Optional<Path> output,
        Optional<Path> socket, ConfigProperties config, boolean status, OptionalLong inputSize) {
      this(command, functionId, initial, maxMemoryBytes, maxCpuMillicores, growTo, step, outDir, runName, output,
          socket, config, status, inputSize, Optional.empty());
    }
  }

  /**
   * One phase (the first process, then the restored one).
   *
   * @param feedback the feedback records' file, when the sizer wrote them (presize)
   */
  record Phase(RunSummary summary, Recording recording, List<RunController.Point> timeline, Optional<Path> feedback) {

    /** Whether this process was stopped on purpose, after a contention checkpoint, to be restored bigger. */
    boolean stoppedToRestore() {
      return summary.checkpointLog().stream().anyMatch(RunController.CheckpointEvent::stopped);
    }

    /**
     * Whether to restore it: stopped to be restored, and not finished first. A function goes on working after its
     * checkpoint until the stop lands (milliseconds), so it can end in between with its result given: exit 0, and a
     * restore would run it again.
     */
    boolean toRestore() {
      return stoppedToRestore() && summary.exitCode() != 0;
    }
  }

  /**
   * The whole run: one phase, or two when the command was checkpointed, stopped and restored bigger; {@code
   * notRestored}: the INT or TERM that came after the first was stopped to be restored, so it was not.
   */
  record Outcome(List<Phase> phases, Optional<String> notRestored) {
    Outcome(List<Phase> phases) {
      this(phases, Optional.empty());
    }

    RunSummary last() {
      return phases.get(phases.size() - 1).summary();
    }

    /** The last process's, or, when a signal kept the restore from starting, the status of that signal (130, 143). */
    int exitCode() {
      return notRestored.map(ExitStatus::ofSignal).orElse(last().exitCode());
    }

    /**
     * Totals over the phases (exit code of the last), with the files written: {@code trace} and {@code feedback}
     * (null without one) of the last phase, and each phase's own in {@code phases}.
     */
    @SuppressWarnings("unchecked") // toJson()'s checkpoint entries are maps of strings to values
    Map<String, Object> json() {
      Map<String, Object> m = phaseJson(phases.get(phases.size() - 1));
      notRestored.ifPresent(signal -> {
        m.put("exitCode", exitCode());
        m.put("restored", false);
        m.put("stoppedBy", "SIG" + signal);
      });
      if (phases.size() > 1) {
        RunSummary.Totals t = RunSummary.Totals.of(phases.stream().map(Phase::summary).toList());
        m.put("resizes", t.resizes());
        m.put("checkpoints", t.checkpoints());
        m.put("oomKills", t.oomKills());
        m.put("throttledSeconds", t.throttledSeconds());
        m.put("meanAllocatedBytes", Math.round(t.meanAllocatedBytes()));
        m.put("meanUsedBytes", Math.round(t.meanUsedBytes()));
        m.put("memorySlack", t.memorySlack());
        m.put("cpuSlack", t.cpuSlack());
        m.put("seconds", t.seconds());
        m.put("restored", true);
        List<Map<String, Object>> each = phases.stream().map(Outcome::phaseJson).toList();
        // Lists and counts over the whole run too (each entry says its phase), not only the last phase's.
        List<Object> log = new ArrayList<>();
        List<Object> warnings = new ArrayList<>();
        long forecasts = 0;
        long refusals = 0;
        long guardRaises = 0;
        for (int i = 0; i < each.size(); i++) {
          for (Object e : (List<?>) each.get(i).get("checkpointLog")) {
            Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) e);
            entry.put("phase", i);
            log.add(entry);
          }
          warnings.addAll((List<?>) each.get(i).get("warnings"));
          forecasts += ((Number) each.get(i).get("forecasts")).longValue();
          refusals += ((Number) each.get(i).get("refusals")).longValue();
          guardRaises += ((Number) each.get(i).get("guardRaises")).longValue();
        }
        m.put("checkpointLog", log);
        m.put("warnings", warnings);
        m.put("forecasts", forecasts);
        m.put("refusals", refusals);
        m.put("guardRaises", guardRaises);
        m.put("phases", each);
      }
      return m;
    }

    private static Map<String, Object> phaseJson(Phase p) {
      Map<String, Object> m = new LinkedHashMap<>(p.summary().toJson());
      m.put("trace", p.recording().trace().toString());
      m.put("feedback", p.feedback().map(Path::toString).orElse(null));
      return m;
    }

    /**
     * The summary for people: each phase's (the first, when it was stopped to be restored bigger, says so: its
     * SIGKILL is not a failure), then, after a restore, the totals over both processes.
     */
    String text() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < phases.size(); i++) {
        Phase p = phases.get(i);
        RunSummary s = p.summary();
        String which = phases.size() == 1 ? "" : ", phase " + (i + 1) + " of " + phases.size();
        if ((i < phases.size() - 1 || notRestored.isPresent()) && p.stoppedToRestore()) {
          b.append(String.format(Locale.ROOT, "presize run (%s)%s: stopped after %.1f s, as planned, to be restored "
              + "bigger after its contention checkpoint (exit %s is that stop, not a failure)%n", s.sizer(), which,
              s.seconds(), ExitStatus.describe(s.exitCode())));
        } else {
          b.append(String.format(Locale.ROOT, "presize run (%s)%s: exit %s after %.1f s%n", s.sizer(),
              which + (i > 0 ? " (restored)" : ""), ExitStatus.describe(s.exitCode()), s.seconds()));
        }
        b.append(String.format(Locale.ROOT, "  resizes %d (%srefused %d), checkpoints %d, OOM kills %d, throttled"
            + " %.2f s (summed over CPUs)%n", s.resizes(), s.guardRaises() == 0 ? "" : s.guardRaises() + " of them"
            + " raises by the usage guard between decisions; ", s.refusals(), s.checkpoints(), s.oomKills(),
            s.throttledSeconds()));
        usage(b, s.meanAllocatedBytes(), s.meanUsedBytes(), s.memorySlack(), s.meanAllocatedCores(),
            s.meanUsedCores(), s.cpuSlack());
        if (s.forecasts() > 0) {
          b.append(String.format(Locale.ROOT, "  forecasts %d, %s, memory headroom widening %.2f%n", s.forecasts(),
              Double.isNaN(s.memoryCoverageP90()) && Double.isNaN(s.cpuCoverageP90())
                  ? "none scored yet (no forecast's horizon ended before the command did)"
                  : String.format(Locale.ROOT, "p90 coverage of the last %d: memory %s cpu %s",
                      Math.min(s.forecasts(), RunController.COVERAGE_WINDOW), share(s.memoryCoverageP90()),
                      share(s.cpuCoverageP90())), s.memoryWidening()));
        }
        s.warnings().forEach(w -> b.append("  warning: ").append(w).append(System.lineSeparator()));
        b.append("  trace: ").append(p.recording().trace()).append(System.lineSeparator());
        p.feedback().ifPresent(f -> b.append("  feedback: ").append(f).append(System.lineSeparator()));
      }
      notRestored.ifPresent(signal -> b.append(String.format(Locale.ROOT, "presize run (%s): SIG%s came before the "
          + "restore, so it was not restored (exit %s); its checkpoint is kept in the run's checkpoint store%n",
          last().sizer(), signal, ExitStatus.describe(exitCode()))));
      if (phases.size() > 1) {
        RunSummary.Totals t = RunSummary.Totals.of(phases.stream().map(Phase::summary).toList());
        b.append(String.format(Locale.ROOT, "presize run (%s), whole run (%d processes): exit %s after %.1f s%n",
            last().sizer(), phases.size(), ExitStatus.describe(exitCode()), t.seconds()));
        b.append(String.format(Locale.ROOT, "  resizes %d, checkpoints %d, OOM kills %d, throttled %.2f s (summed "
            + "over CPUs)%n", t.resizes(), t.checkpoints(), t.oomKills(), t.throttledSeconds()));
        usage(b, t.meanAllocatedBytes(), t.meanUsedBytes(), t.memorySlack(), t.coreSeconds() / t.seconds(),
            t.usedCoreSeconds() / t.seconds(), t.cpuSlack());
      }
      return b.toString();
    }

    private static void usage(StringBuilder b, double allocatedBytes, double usedBytes, double memorySlack,
        double allocatedCores, double usedCores, double cpuSlack) {
      b.append(String.format(Locale.ROOT, "  memory: mean allocated %s, mean used %s, slack %.3f%n",
          Quantities.formatBytes(Math.round(allocatedBytes)), Quantities.formatBytes(Math.round(usedBytes)),
          memorySlack));
      b.append(String.format(Locale.ROOT, "  cpu:    mean allocated %.2f cores, mean used %.2f cores, slack %.3f%s%n",
          allocatedCores, usedCores, cpuSlack, cpuSlack < 0 ? " (" + NEGATIVE_CPU_SLACK + ")" : ""));
    }

    private static String share(double coverage) {
      return Double.isNaN(coverage) ? "n/a" : String.format(Locale.ROOT, "%.2f", coverage);
    }

  }

  /**
   * Why CPU slack can be negative. Not an averaging error: the kernel's CFS bandwidth control hands a group its whole
   * quota at the start of each period (100 ms) and throttles it only once that is spent, so a command that is busy
   * across N periods can use up to N quotas in a run of little more than N - 1 periods; a short run at a small limit
   * shows it most (a run of 3 periods: up to a third more than the limit).
   */
  static final String NEGATIVE_CPU_SLACK = "negative: it used more than its limit; the kernel gives each 100 ms "
      + "period's whole quota at the period's start, so a short busy run can overrun the mean limit by up to a "
      + "period's quota";

  private ControlledRun() {}

  /**
   * Runs {@code spec}, sized by a sizer made per phase by {@code sizers} (a function of the initial limits).
   */
  static Outcome run(Spec spec, Function<ResourceProfile, Sizer> sizers, Recorder recorder, Optional<PrintStream> err)
      throws IOException, InterruptedException {
    Files.createDirectories(spec.outDir());
    List<Phase> phases = new ArrayList<>();
    Phase first = phase(spec, spec.command(), spec.initial(), spec.maxMemoryBytes(), spec.runName(), sizers,
        recorder, err, spec.growTo().isPresent());
    if (spec.growTo().isPresent() && first.stoppedToRestore() && !first.toRestore()) {
      first = new Phase(first.summary().withWarnings(List.of("the command finished (exit 0) after its contention "
          + "checkpoint, before the stop landed: not restored, its result stands")), first.recording(),
          first.timeline(), first.feedback());
    }
    phases.add(first);
    if (spec.growTo().isPresent() && first.toRestore()) {
      if (recorder.stopRequested().isPresent()) { // Ctrl-C or SIGTERM while the first was stopped: no restore
        return new Outcome(phases, recorder.stopRequested());
      }
      long bigger = spec.growTo().getAsLong();
      err.ifPresent(e -> e.println("presize: restoring " + spec.functionId() + " in a new process and cgroup with "
          + Quantities.formatBytes(bigger) + " (standing in for a bigger node)"));
      List<String> restore = new ArrayList<>(spec.command());
      restore.add("--restore");
      ResourceProfile initial = spec.initial().withMemoryBytes(Math.max(bigger, spec.initial().memoryBytes()));
      try {
        phases.add(phase(spec, restore, initial, initial.memoryBytes(), spec.runName() + "-restored", sizers,
            recorder, err, false));
      } catch (Recorder.Stopped stopped) { // it came as the restored process was being set up
        return new Outcome(phases, Optional.of(stopped.signal()));
      }
    }
    return new Outcome(phases);
  }

  private static Phase phase(Spec spec, List<String> command, ResourceProfile initial, long maxMemory, String name,
      Function<ResourceProfile, Sizer> sizers, Recorder recorder, Optional<PrintStream> err, boolean stopOnContention)
      throws IOException, InterruptedException {
    Sizer sizer = sizers.apply(initial);
    Optional<StatusLine> status = spec.status() ? err.map(StatusLine::onTerminal) : Optional.empty();
    try {
      return phase(spec, command, initial, maxMemory, name, sizer, recorder, err, stopOnContention, status);
    } finally {
      status.ifPresent(StatusLine::close); // also when the run fails: the terminal gets its last row back
    }
  }

  private static Phase phase(Spec spec, List<String> command, ResourceProfile initial, long maxMemory, String name,
      Sizer sizer, Recorder recorder, Optional<PrintStream> err, boolean stopOnContention,
      Optional<StatusLine> status) throws IOException, InterruptedException {
    RunController.Settings settings = new RunController.Settings(spec.functionId(), spec.step(), initial,
        maxMemory, Math.max(spec.maxCpuMillicores(), initial.cpuMillicores()), PolicyConfig.from(spec.config()),
        CheckpointConfig.from(spec.config()), 0.9, status,
        Optional.of(spec.outDir().resolve("pressure-profile.txt")), Optional.of(spec.outDir().resolve("calibration")));
    if (spec.crossingModel().isPresent() && sizer.name().equals("presize")) {
      settings = settings.withCrossingModel(spec.crossingModel().get());
    }
    Optional<Path> feedbackFile = sizer.name().equals("presize")
        ? Optional.of(spec.outDir().resolve(name + ".feedback.jsonl")) : Optional.empty();
    Optional<FeedbackSink> feedback = feedbackFile.isPresent() ? Optional.of(new FeedbackFile(feedbackFile.get()))
        : Optional.empty();
    Optional<RunController.CheckpointHandler> handler = spec.socket().map(socket -> (trigger, inForce, reason,
        metrics) -> {
      Map<String, String> window = new LinkedHashMap<>(metrics);
      window.put("reason", reason);
      CheckpointChannel.Reply r = CheckpointChannel.request(socket, trigger, inForce, window, CHECKPOINT_TIMEOUT);
      // the state is durable: this process gives way to a bigger one (if it is still there to stop)
      boolean stop = stopOnContention && trigger == CheckpointTrigger.CONTENTION && recorder.signalCommand("KILL");
      String note = "presize: checkpoint #" + r.sequence() + " (" + trigger + ", " + r.stateBytes() + " bytes, "
          + r.cost().toMillis() + " ms): " + reason + (stop ? "; stopping the process to restore it bigger" : "");
      if (status.isPresent()) {
        status.get().message(note);
      } else {
        err.ifPresent(e -> e.println(note));
      }
      return new RunController.CheckpointHandler.Taken(r.sequence(), r.cost(), stop);
    });
    RunController controller = new RunController(settings, sizer, new ProviderContext(spec.config(),
        Ticker.system()), ControlledRun.class.getClassLoader(), feedback, handler);
    RecordOptions options = new RecordOptions(command, spec.outDir(), Duration.ofMillis(10), spec.functionId(),
        spec.inputSize(), "auto", Optional.of(initial), spec.config(), Map.of("run.sizer", sizer.name()),
        Optional.of(name + ".pstrace"), spec.output(), Optional.empty());
    Files.deleteIfExists(spec.outDir().resolve(name + ".pstrace"));
    Recording recording;
    try {
      recording = recorder.record(options, controller);
    } catch (IOException | RuntimeException | InterruptedException e) {
      feedback.ifPresent(FeedbackSink::close); // what was paired before the failure stays on disk
      controller.close(); // no checkpoint may go on against a recording that failed
      throw e;
    } finally {
      // A killed function (OOM, or stopped to be restored) never removes its channel's socket file itself.
      if (spec.socket().isPresent()) {
        Files.deleteIfExists(spec.socket().get());
      }
    }
    // The recorder's warnings too (processes the command left running and that were stopped, a timeout, ...).
    List<String> warnings = new ArrayList<>(recording.warnings());
    if (spec.socket().isPresent() && recording.exitCode() == HostedFunction.HEAP_EXHAUSTED) {
      warnings.add(heapExhausted(spec.growTo().orElse(spec.maxMemoryBytes()))); // its JVM's MaxRAM
    }
    RunSummary summary = controller.finish(recording.exitCode()).withWarnings(warnings);
    return new Phase(summary, recording, controller.timeline(), feedbackFile);
  }

  /** What a workload whose Java heap ran out, in a phase that may be given up to {@code maxMemory}, is told. */
  static String heapExhausted(long maxMemory) {
    return "the workload's Java heap ran out (OutOfMemoryError) below its memory limit: its maximum heap is 75% of the"
        + " largest memory it may be given, " + Quantities.formatBytes(maxMemory) + " (" + String.join(" ",
        JvmFlags.flags(maxMemory).subList(0, 2)) + "), the rest left for the JVM's own memory; a larger --grow-to (or"
        + " --max-memory) gives it more";
  }

  /**
   * The command of a workload run by {@link HostedFunction} in a JVM whose heap can follow its cgroup
   * ({@link JvmFlags}).
   */
  static List<String> workloadCommand(Workload workload, long input, long seed, Path store, String invocation,
      Path socket, long maxMemoryBytes, Path tmp, int keepLast) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JvmFlags.flags(maxMemoryBytes));
    cmd.add("-D" + CheckpointConfig.KEEP_LAST + "=" + keepLast);
    cmd.addAll(List.of("-XX:-UsePerfData", "-Djava.awt.headless=true", "-Djava.io.tmpdir=" + tmp,
        "-cp", System.getProperty("java.class.path"), HostedFunction.class.getName(), workload.name(),
        Long.toString(input), Long.toString(seed), store.toString(), invocation, socket.toString()));
    return cmd;
  }
}
