package dev.presize.local.corpus;

import dev.presize.local.RecordOptions;
import dev.presize.local.Recorder;
import dev.presize.local.Recording;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.host.ResourceGroupProvider;
import dev.presize.spi.resources.ResourceProfile;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Records a list of runs into a corpus directory, each as its own process (in its own cgroup where the host
 * allows), skipping runs the manifest already lists as done: the engine of {@code presize record-suite}.
 *
 * <p>Layout: {@code DIR/corpus.json} (the {@link CorpusManifest}), {@code DIR/traces/<id>.pstrace},
 * {@code DIR/outputs/<id>.out} (the run's stdout and stderr). The manifest is rewritten atomically after every
 * run, so an interrupted suite resumes where it stopped; a run that failed (or ran past its timeout) is listed
 * with its exit code and tried again on the next resume. A corpus is recorded with one seed: resuming with
 * another is refused.
 */
public final class SuiteRunner {

  /**
   * One run to record.
   *
   * @param id unique in the corpus; the trace's file name without extension
   * @param workload the workload name (the trace's function id)
   * @param size the input size
   * @param seed the input seed
   * @param repeat the repetition index
   * @param command the command that performs the run
   */
  public record RunSpec(String id, String workload, long size, long seed, int repeat, List<String> command) {
    public RunSpec {
      Objects.requireNonNull(id, "id");
      if (!id.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("run id must be a plain file name, was '" + id + "'");
      }
      Objects.requireNonNull(workload, "workload");
      command = List.copyOf(command);
    }
  }

  /**
   * How to record.
   *
   * @param outDir the corpus directory
   * @param interval sampling interval
   * @param cgroup as for {@code presize record}: auto, none or a provider name
   * @param limits limits of each run's cgroup (dropped with a warning under {@code auto} when no cgroup can be made)
   * @param config {@code presize.*} properties
   * @param runTimeout how long one run may take before it is stopped and counted failed
   */
  public record Options(Path outDir, Duration interval, String cgroup, Optional<ResourceProfile> limits,
      ConfigProperties config, Duration runTimeout) {
    public Options {
      Objects.requireNonNull(runTimeout, "runTimeout");
      Objects.requireNonNull(outDir, "outDir");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(cgroup, "cgroup");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(config, "config");
    }
  }

  /** What became of one run. */
  public enum Status { RECORDED, SKIPPED, FAILED }

  /**
   * The outcome of one run.
   *
   * @param status recorded, skipped (already in the manifest) or failed (non-zero exit or an error)
   * @param run the manifest entry, when the command ran
   * @param message why it failed, empty otherwise
   * @param took wall time spent on it
   */
  public record Outcome(Status status, Optional<CorpusRun> run, String message, Duration took) {}

  /** Hears about progress; called on the runner's thread. */
  public interface Listener {
    void started(int index, int total, RunSpec spec);

    void finished(int index, int total, RunSpec spec, Outcome outcome);
  }

  /**
   * The suite's result.
   *
   * @param recorded runs recorded now
   * @param skipped runs already done
   * @param failed runs that failed (their messages in {@code failures})
   * @param took wall time
   * @param manifest the manifest file
   * @param failures one line per failed run
   * @param warnings things the user should know (e.g. no cgroup)
   */
  public record Result(int recorded, int skipped, int failed, Duration took, Path manifest, List<String> failures,
      List<String> warnings) {}

  private final Recorder recorder;
  private volatile boolean stopRequested;

  public SuiteRunner(Recorder recorder) {
    this.recorder = recorder;
  }

  /**
   * Asks the suite to stop after the run under way (e.g. on Ctrl-C, with the signal passed to that run's command
   * through {@link Recorder#signalCommand}). Thread-safe.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** Records every spec not yet done into {@code options.outDir()}. */
  public Result run(List<RunSpec> specs, Options options, Listener listener) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Path dir = options.outDir();
    Files.createDirectories(dir.resolve("traces"));
    Files.createDirectories(dir.resolve("outputs"));
    CorpusManifest manifest = CorpusManifest.read(dir).orElseGet(() -> CorpusManifest.empty(hostName()));
    List<String> warnings = new ArrayList<>();
    Optional<ResourceProfile> limits = options.limits();
    if (limits.isPresent() && options.cgroup().equals("auto") && !cgroupsAvailable(options.config())) {
      warnings.add("no writable cgroup hierarchy here: runs are recorded without a cgroup or limits");
      limits = Optional.empty();
    }
    for (RunSpec spec : specs) {
      Optional<CorpusRun> earlier = manifest.run(spec.id());
      if (earlier.isPresent() && earlier.get().seed() != spec.seed()) {
        throw new IllegalArgumentException("corpus " + dir + " has run " + spec.id() + " with seed "
            + earlier.get().seed() + ", not " + spec.seed() + ": record into another directory, or use the same seed");
      }
    }
    int recorded = 0;
    int skipped = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < specs.size() && !stopRequested; i++) {
      RunSpec spec = specs.get(i);
      listener.started(i, specs.size(), spec);
      long t0 = System.nanoTime();
      Optional<CorpusRun> done = manifest.run(spec.id())
          .filter(r -> r.exitCode() == 0 && Files.isRegularFile(dir.resolve(r.trace())));
      if (done.isPresent()) {
        skipped++;
        listener.finished(i, specs.size(), spec, new Outcome(Status.SKIPPED, done, "", Duration.ZERO));
        continue;
      }
      Outcome outcome;
      try {
        Recording r = recorder.record(options(spec, options, limits));
        r.warnings().forEach(w -> warnings.add(spec.id() + ": " + w));
        CorpusRun run = new CorpusRun(spec.id(), spec.workload(), spec.size(), spec.seed(), spec.repeat(),
            "traces/" + spec.id() + ".pstrace", "outputs/" + spec.id() + ".out", r.exitCode(),
            r.summary().durationNanos() / 1e9, r.summary().peakRssBytes(), r.summary().cpuSeconds(),
            Instant.now().toString());
        manifest = manifest.with(run);
        manifest.write(dir);
        if (r.exitCode() == 0) {
          recorded++;
          outcome = new Outcome(Status.RECORDED, Optional.of(run), "", Duration.ofNanos(System.nanoTime() - t0));
        } else {
          String why = spec.id() + ": exit code " + r.exitCode() + " (see " + dir.resolve(run.output()) + ")";
          failures.add(why);
          outcome = new Outcome(Status.FAILED, Optional.of(run), why, Duration.ofNanos(System.nanoTime() - t0));
        }
      } catch (Recorder.Stopped e) {
        break; // Ctrl-C or SIGTERM before this run's command started: it did not run, and no other will
      } catch (IOException | RuntimeException e) {
        String why = spec.id() + ": " + e.getMessage();
        failures.add(why);
        outcome = new Outcome(Status.FAILED, Optional.empty(), why, Duration.ofNanos(System.nanoTime() - t0));
      }
      listener.finished(i, specs.size(), spec, outcome);
    }
    return new Result(recorded, skipped, failures.size(), Duration.ofNanos(System.nanoTime() - start),
        dir.resolve(CorpusManifest.FILE), failures, warnings);
  }

  private static RecordOptions options(RunSpec spec, Options o, Optional<ResourceProfile> limits) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("run.id", spec.id());
    attributes.put("workload", spec.workload());
    attributes.put("workload.size", Long.toString(spec.size()));
    attributes.put("workload.seed", Long.toString(spec.seed()));
    attributes.put("workload.repeat", Integer.toString(spec.repeat()));
    return new RecordOptions(spec.command(), o.outDir().resolve("traces"), o.interval(), spec.workload(),
        OptionalLong.of(spec.size()), o.cgroup(), limits, o.config(), attributes,
        Optional.of(spec.id() + ".pstrace"), Optional.of(o.outDir().resolve("outputs").resolve(spec.id() + ".out")),
        Optional.of(o.runTimeout()));
  }

  private static boolean cgroupsAvailable(ConfigProperties config) {
    ProviderContext ctx = ProviderContext.of(config);
    return ProviderRegistry.load(ResourceGroupProvider.class, SuiteRunner.class.getClassLoader()).all().stream()
        .anyMatch(p -> p.probe(ctx).supported());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown"; // only a label in the manifest
    }
  }
}
