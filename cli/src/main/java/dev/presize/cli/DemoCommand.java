package dev.presize.cli;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.policy.PolicyConfig;
import dev.presize.core.predict.PredictorConfig;
import dev.presize.local.Recorder;
import dev.presize.local.corpus.CorpusManifest;
import dev.presize.local.run.RunSummary;
import dev.presize.local.run.Sizer;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import dev.presize.spi.config.Quantities;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.trainer.baseline.VpaRecommender;
import dev.presize.trainer.features.InvocationHistory;
import dev.presize.workloads.Workload;
import dev.presize.workloads.Workloads;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The whole loop on this host: reuses the checked-in corpus (or records a quick one), trains a "
        + "model and submits it to a registry through the validation gate, then runs workloads of the suite in "
        + "cgroups under static sizing, the VPA recommender and Presize, side by side, and writes an HTML report "
        + "(OOM kills, throttled time, allocated GB·s, slack; limit vs usage over time)."},
    footer = {"", "Example: presize demo --out demo   (then open demo/report/index.html)"})
final class DemoCommand implements Callable<Integer> {

  /** The workloads and inputs the demo runs: small ones (static over-provisions) and large ones (it kills). */
  static final List<Case> SUITE = List.of(
      new Case("memory-ramp", 64), new Case("memory-ramp", 512),
      new Case("memory-phases", 64), new Case("memory-phases", 256),
      new Case("cache-fill-evict", 25_000), new Case("cache-fill-evict", 100_000),
      new Case("json-transform", 5_000), new Case("json-transform", 40_000),
      new Case("image-thumbnail", 1024), new Case("image-thumbnail", 4096),
      new Case("sort-array", 1_000_000), new Case("sort-array", 16_000_000),
      new Case("gzip-corpus", 16), new Case("matrix-multiply", 1024));

  /** The quick suite (--quick): one small and three that outgrow the static size. */
  static final List<Case> QUICK = List.of(new Case("memory-ramp", 64), new Case("memory-ramp", 512),
      new Case("memory-phases", 256), new Case("json-transform", 5_000));

  static final List<String> METHODS = List.of("static", "vpa", "presize");

  record Case(String workload, long input) {
    String id() {
      return workload + "-" + input;
    }
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", defaultValue = "demo", description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--corpus", description = "The corpus to train on (default: the checked-in data/corpus of this "
      + "Presize installation, found from where it runs, in whatever directory; else a quick one recorded into "
      + "OUT/corpus, a few minutes).")
  Path corpus;

  @Option(names = "--quick", description = "Four workloads, one seed (unless --repeats): about a minute of runs.")
  boolean quick;

  @Option(names = "--repeats", description = "Seeds per workload and method, at least 1 (default 2; --quick: 1).")
  Integer repeats;

  @Option(names = "--memory", converter = Converters.BytesConverter.class, defaultValue = RunCommand.DEFAULT_MEMORY,
      description = "The configured size: static keeps it; every method starts from it; at least 16Mi, and the "
          + "workloads are JVMs, which need about 64Mi to start (default ${DEFAULT-VALUE}).")
  long memory;

  @Option(names = "--max-memory", converter = Converters.BytesConverter.class, defaultValue = "1Gi",
      description = "The most a run may be given, not below --memory (default ${DEFAULT-VALUE}).")
  long maxMemory;

  @Option(names = "--cpus", converter = Converters.CpuConverter.class, defaultValue = "1",
      description = "The configured CPU, cores or millicores: 1, 1500m; at most this host's cores (default "
          + "${DEFAULT-VALUE}).")
  long cpus;

  @Option(names = "--model", description = "Use this trained model instead of training one.")
  Path model;

  @Option(names = {"-D", "--set"}, description = "A configuration property for every run, e.g. "
      + "-D presize.policy.memory.quantile=p90.")
  Map<String, String> properties = new java.util.HashMap<>();

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    int seeds = checkOptions(cl);
    if (model != null) {
      RunCommand.checkModelDir(cl, model);
    }
    if (corpus != null && !Files.isRegularFile(corpus.resolve(CorpusManifest.FILE))) {
      throw new UsageError(cl, "--corpus " + corpus + ": " + (Files.isDirectory(corpus) ? "not a corpus (no "
          + CorpusManifest.FILE + "; record one with presize record-suite)" : "no such directory"));
    }
    Path dir = RunCommand.outDirectory(cl, out);
    PrintWriter stdout = cl.getOut();
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true);
    long started = System.nanoTime();

    // 1. A corpus.
    Path traces = corpus != null ? corpus.toAbsolutePath() : model != null ? null : findCorpus(dir, err);
    // 2. A model, trained and gated.
    Path modelDir = model != null ? model.toAbsolutePath() : train(traces, dir, err);
    Path registry = dir.resolve("registry");
    String gate = model != null ? "not submitted (--model given)" : submit(modelDir, traces, registry, err);
    err.println("[demo] gate: " + gate);

    // 3. The runs.
    List<Case> cases = quick ? QUICK : SUITE;
    ConfigProperties config = ConfigProperties.fromEnvironment(Map.of()).with(properties);
    Predictor predictor = RunCommand.predictor(config.with(Map.of(PredictorConfig.MODEL_DIR, modelDir.toString())));
    // Each function's earlier invocations: the corpus it was trained on (none with --model alone).
    InvocationHistory history = RunCommand.history(traces == null ? List.of() : List.of(traces),
        Duration.ofMillis(100));
    Path runs = dir.resolve("runs");
    Files.createDirectories(runs.resolve("tmp"));
    List<DemoReport.Run> results = new ArrayList<>();
    int total = cases.size() * seeds * METHODS.size();
    int done = 0;
    Recorder recorder = new Recorder();
    Signals.forward(recorder::stop); // Ctrl-C: the run under way ends, no other starts, the report has what finished
    runs:
    for (Case c : cases) {
      Workload w = Workloads.byName(c.workload());
      for (int s = 1; s <= seeds; s++) {
        List<DemoReport.Run> group = new ArrayList<>(); // one workload run under every method: compared whole
        for (String method : METHODS) {
          if (recorder.stopRequested().isPresent()) {
            break runs;
          }
          String name = c.id() + "-s" + s + "-" + method;
          Path socket = Path.of(System.getProperty("java.io.tmpdir"), "presize-demo-" + ProcessHandle.current()
              .pid() + "-" + done + ".sock");
          List<String> cmd = ControlledRun.workloadCommand(w, c.input(), s, runs.resolve("checkpoints"), name,
              socket, maxMemory, runs.resolve("tmp"), CheckpointConfig.defaults().keepLast());
          ControlledRun.Spec runSpec = new ControlledRun.Spec(cmd, w.name(), ResourceProfile.of(cpus, memory),
              maxMemory, Runtime.getRuntime().availableProcessors() * 1000L, OptionalLong.empty(),
              Duration.ofMillis(100), runs, name, Optional.of(runs.resolve(name + ".out")), Optional.empty(),
              config, false, OptionalLong.of(c.input()));
          Function<ResourceProfile, Sizer> sizers = switch (method) {
            case "static" -> initial -> Sizer.fixed();
            case "vpa" -> initial -> new RecommenderSizer(VpaRecommender.factory(), Duration.ofMillis(100), initial);
            default -> initial -> new PresizeSizer(predictor, w.name(), Duration.ofMillis(100), initial,
                c.input(), history);
          };
          ControlledRun.Outcome o;
          try {
            o = ControlledRun.run(runSpec, sizers, recorder, Optional.empty());
          } catch (Recorder.Stopped stopped) {
            break runs;
          }
          if (recorder.stopRequested().isPresent()) {
            break runs; // cut short by the stop: not a run to compare
          }
          ControlledRun.Phase p = o.phases().get(0);
          RunSummary r = p.summary();
          group.add(new DemoReport.Run(c.id(), s, method, r, p.timeline()));
          done++;
          err.printf(Locale.ROOT, "[demo] %3d/%d %-28s %-8s exit %3d  OOM %d  mem alloc %6.0f MiB used %6.0f MiB"
              + "  slack %.2f  resizes %d%s%n", done, total, c.id() + " seed " + s, method, r.exitCode(),
              r.oomKills(), r.meanAllocatedBytes() / (1 << 20), r.meanUsedBytes() / (1 << 20), r.memorySlack(),
              r.resizes(), r.guardRaises() == 0 ? "" : " (" + r.guardRaises() + " of them raises by the usage guard"
              + " between decisions)");
        }
        results.addAll(group);
      }
    }
    predictor.close();
    Optional<String> stop = recorder.stopRequested();
    if (stop.isPresent()) {
      int whole = results.size() / METHODS.size();
      err.printf(Locale.ROOT, "[demo] stopped by SIG%s after %d of %d runs; the report compares what every method"
          + " finished: %d workload run%s%n", stop.get(), done, total, whole, whole == 1 ? "" : "s");
      if (results.isEmpty()) {
        return dev.presize.local.ExitStatus.ofSignal(stop.get());
      }
    }

    // 4. The report.
    Path report = DemoReport.write(dir.resolve("report"), results, Map.of(
        "corpus", traces == null ? "not used (--model given)" : traces.toString(), "model", modelDir.toString(), "gate", gate,
        "configured size", Quantities.formatBytes(memory) + ", " + cpus + "m CPU",
        "max size", Quantities.formatBytes(maxMemory),
        "host", Runtime.getRuntime().availableProcessors() + " cores, JDK " + System.getProperty("java.version")));
    stdout.println(DemoReport.table(results));
    stdout.printf(Locale.ROOT, "report: %s (%.0f s)%n", report, (System.nanoTime() - started) / 1e9);
    stdout.flush();
    UnreadSettings.warn(new PrintWriter(err, true), "demo", config, properties.keySet());
    Optional<String> failed = DemoReport.failure(results);
    // A comparison whose runs failed for another reason than sizing, or where nothing finished, measures nothing:
    // said last, where it is seen, and exit 1 (as record-suite does when runs failed); the report is kept.
    failed.ifPresent(f -> err.println("presize demo: FAILED: " + f));
    return stop.map(dev.presize.local.ExitStatus::ofSignal).orElse(failed.isPresent() ? 1 : 0);
  }

  /**
   * The options against each other and this host, before anything starts (as presize run checks them); returns the
   * seeds per workload and method.
   */
  private int checkOptions(CommandLine cl) {
    if (repeats != null && repeats < 1) {
      throw new UsageError(cl, "--repeats " + repeats + ": must be at least 1");
    }
    RunCommand.checkMemory(cl, "--memory", memory);
    RunCommand.checkMaxMemory(cl, memory, maxMemory);
    RunCommand.checkCpu(cl, "--cpus", cpus);
    try { // what every run reads, so a bad -D fails here rather than at the first run, after training
      ConfigProperties config = ConfigProperties.fromEnvironment(Map.of()).with(properties);
      PolicyConfig.from(config);
      CheckpointConfig.from(config);
    } catch (ConfigurationException | IllegalArgumentException e) {
      throw new UsageError(cl, "-D " + e.getMessage());
    }
    return repeats != null ? repeats : quick ? 1 : 2;
  }

  /**
   * The checked-in corpus of the Presize installation whose classes are at {@code codeLocation} (the jar,
   * {@code ROOT/cli/target/presize-cli.jar}, or the classes directory {@code ROOT/cli/target/classes}):
   * {@code ROOT/data/corpus}, if it is there.
   */
  static Optional<Path> installedCorpus(Path codeLocation) {
    Path root = codeLocation.toAbsolutePath().normalize();
    for (int up = 0; up < 3 && root != null; up++) {
      root = root.getParent();
    }
    Path candidate = root == null ? null : root.resolve("data").resolve("corpus");
    return candidate != null && Files.isRegularFile(candidate.resolve(CorpusManifest.FILE)) ? Optional.of(candidate)
        : Optional.empty();
  }

  /** Where this class was loaded from (the jar or the classes directory), if that is a file. */
  private static Optional<Path> codeLocation() {
    try {
      java.security.CodeSource source = DemoCommand.class.getProtectionDomain().getCodeSource();
      return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
    } catch (java.net.URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      return Optional.empty(); // not a file: there is no installation to look in, so the corpus is recorded
    }
  }

  /**
   * The arguments of {@code presize record-suite} for the corpus the demo records when it has none: the quick suite
   * (two sizes of every workload) with three seeds, so training has enough windows (one seed gave 167 training
   * windows where 200 are needed); runs already in {@code target} are kept (record-suite resumes).
   */
  static List<String> recordArgs(Path target) {
    return List.of("record-suite", "--out", target.toString(), "--quick", "--repeats", "3");
  }

  private Path findCorpus(Path dir, PrintStream err) {
    Optional<Path> installed = codeLocation().flatMap(DemoCommand::installedCorpus);
    if (installed.isPresent()) {
      err.println("[demo] corpus: reusing " + installed.get());
      return installed.get();
    }
    Path target = dir.resolve("corpus");
    err.println("[demo] corpus: no checked-in corpus beside this Presize; recording a quick one into " + target
        + " (a few minutes)");
    int rc = sub(err, recordArgs(target).toArray(String[]::new));
    if (rc != 0) {
      throw new CommandLine.ExecutionException(spec.commandLine(), "recording the corpus failed (exit " + rc + ")");
    }
    return target;
  }

  private Path train(Path traces, Path dir, PrintStream err) throws Exception {
    Path modelDir = dir.resolve("model-" + System.currentTimeMillis());
    err.println("[demo] training a model on " + traces + " (presize train --fast) ...");
    int rc = sub(err, "train", "--format", "presize", "--traces", traces.toString(), "--fast",
        "--targets", "MEMORY_PEAK,CPU_MEAN", "--out", modelDir.toString());
    if (rc != 0) {
      throw new CommandLine.ExecutionException(spec.commandLine(), "training failed (exit " + rc + ")");
    }
    return modelDir;
  }

  private String submit(Path modelDir, Path traces, Path registry, PrintStream err) {
    err.println("[demo] submitting it to " + registry + " through the validation gate ...");
    StringWriter text = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(text));
    cl.setErr(new PrintWriter(text));
    int rc = cl.execute("models", "submit", modelDir.toString(), "--registry", registry.toString(),
        "--format", "presize", "--validation", traces.toString());
    String said = text.toString().trim();
    String last = said.isEmpty() ? "" : said.substring(said.lastIndexOf('\n') + 1);
    return (rc == 0 ? "promoted" : "not promoted (the demo still runs the candidate)") + ": " + last;
  }

  private static int sub(PrintStream err, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(err), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err), true));
    return cl.execute(args);
  }

}
