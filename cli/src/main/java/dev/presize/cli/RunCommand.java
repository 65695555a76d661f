package dev.presize.cli;

import dev.presize.core.model.ModelBundle;
import dev.presize.core.predict.PredictorConfig;
import dev.presize.core.predict.RemotePredictor;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.VerifiedModel;
import dev.presize.local.Recorder;
import dev.presize.local.run.RunSummary;
import dev.presize.local.run.Sizer;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import dev.presize.spi.predict.PredictionRequest;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.predict.PredictorProvider;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.trainer.baseline.AutopilotRecommender;
import dev.presize.trainer.baseline.VpaRecommender;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.InvocationHistory;
import dev.presize.trainer.input.TraceFormat;
import dev.presize.workloads.Workload;
import dev.presize.workloads.Workloads;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs COMMAND (or a workload of the suite) in its own cgroup under predictive control: every "
        + "decision step the model forecasts the next second's need, the policy resizes CPU and memory (never below "
        + "usage plus a guard), and a checkpointable workload is checkpointed at once when its need will exceed "
        + "--max-memory. Shows a live status line; prints a summary at exit. Exits with the command's exit code."},
    footer = {"", "Examples:",
        "  presize run --model models/corpus --memory 256Mi --max-memory 1Gi -- java -jar app.jar",
        "  presize run --model models/corpus --workload sha256-stream --input 256 --max-memory 256Mi --grow-to 1Gi",
        "  presize run --sizer vpa --json -- sh -c 'head -c 100000000 /dev/urandom | gzip -1 | wc -c'"})
final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--memory", converter = Converters.BytesConverter.class, defaultValue = "256Mi",
      description = "Initial memory limit (default ${DEFAULT-VALUE}).")
  long memory;

  @Option(names = "--cpus", converter = Converters.CpuConverter.class, defaultValue = "1",
      description = "Initial CPU limit, cores or millicores: 1, 1500m (default ${DEFAULT-VALUE}).")
  long cpus;

  @Option(names = "--max-memory", converter = Converters.BytesConverter.class,
      description = "The most memory the command may be given here (default 1Gi, at least --memory); a need "
          + "forecast above it is contention.")
  Long maxMemory;

  @Option(names = "--max-cpus", converter = Converters.CpuConverter.class,
      description = "The most CPU it may be given (default: this host's cores).")
  Long maxCpus;

  @Option(names = "--sizer", defaultValue = "presize",
      description = "presize (the model), static (the initial limits), vpa or autopilot (the baselines of "
          + "presize evaluate, live). Default ${DEFAULT-VALUE}.")
  String sizer;

  @Option(names = "--model", description = "A trained model directory (presize train --out).")
  Path model;

  @Option(names = "--service", description = "The prediction service's URL (presize serve); falls back to "
      + "--model or --registry, then to the last good forecast widened.")
  String service;

  @Option(names = "--registry", description = "A model registry directory: its current model is used.")
  Path registry;

  @Option(names = "--step", converter = Converters.DurationConverter.class, defaultValue = "100ms",
      description = "Decision step (default: the training step of the --model, or of the --registry's current "
          + "model, else ${DEFAULT-VALUE}); a step other than that model's is refused.")
  Duration step;

  @Option(names = "--out", defaultValue = "runs",
      description = "Directory for the run's trace, feedback records and checkpoints (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--json", description = "Print the summary as one JSON object (the last line of stdout).")
  boolean json;

  @Option(names = "--function-id", description = "The function's id (default: the command's or workload's name).")
  String functionId;

  @Option(names = "--workload", description = "Run this workload of the suite (presize workloads list) instead of "
      + "COMMAND; a checkpointable one can be checkpointed and restored.")
  String workload;

  @Option(names = "--input", description = "The workload's input size (with --workload).")
  Long input;

  @Option(names = "--seed", defaultValue = "1", description = "The workload's seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--grow-to", converter = Converters.BytesConverter.class,
      description = "With --workload: after a contention checkpoint, stop the process and restore it in a new one "
          + "with this much memory (standing in for a bigger node).")
  Long growTo;

  @Option(names = "--history", arity = "1..*", paramLabel = "DIR",
      description = "Traces or corpora of the function's earlier invocations (presize record, record-suite, earlier "
          + "runs' --out): the model's history features, as in training. Default: none (a first invocation).")
  List<Path> history = new ArrayList<>();

  @Option(names = {"-D", "--set"}, description = "A configuration property, e.g. -D presize.policy.memory.headroom=20%%.")
  Map<String, String> properties = new HashMap<>();

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command to run, after --.")
  List<String> command = new ArrayList<>();

  /** How long the one request before a run may take (a first answer of a service can be slow). */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    long max = maxMemory != null ? maxMemory : Math.max(memory, 1L << 30);
    long maxCpu = maxCpus != null ? maxCpus : Runtime.getRuntime().availableProcessors() * 1000L;
    if (max < memory) {
      throw new CommandLine.ParameterException(cl, "--max-memory " + max + " is below --memory " + memory);
    }
    if ((workload == null) == command.isEmpty()) {
      throw new CommandLine.ParameterException(cl, "give either --workload NAME --input N or a COMMAND after --");
    }
    if (workload == null && (input != null || growTo != null)) {
      throw new CommandLine.ParameterException(cl, "--input and --grow-to go with --workload");
    }
    if (growTo != null && growTo <= max) {
      throw new CommandLine.ParameterException(cl, "--grow-to must be above --max-memory (" + max + ")");
    }
    Map<String, String> props = new HashMap<>(properties);
    ConfigProperties config = ConfigProperties.fromEnvironment(Map.of()).with(props);
    if ((model != null || registry != null) && "presize".equalsIgnoreCase(sizer)) {
      step = modelStep(cl, config);
    }
    ResourceProfile initial = ResourceProfile.of(cpus, memory);
    Path outDir = out.toAbsolutePath();
    Files.createDirectories(outDir);
    String stamp = Long.toString(System.currentTimeMillis());
    List<String> cmd;
    String id;
    Optional<Path> socket = Optional.empty();
    OptionalLong inputSize = OptionalLong.empty();
    if (workload != null) {
      Workload w;
      try {
        w = Workloads.byName(workload);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
      if (input == null) {
        throw new CommandLine.ParameterException(cl, "--workload needs --input N (e.g. " + w.name() + " sizes "
            + w.sizes() + ")");
      }
      if (w.needsServer()) {
        throw new CommandLine.ParameterException(cl, "workload " + w.name() + " needs the loopback server of "
            + "record-suite; presize run does not start one");
      }
      if (growTo != null && !w.checkpointable()) {
        throw new CommandLine.ParameterException(cl, "workload " + w.name() + " is not checkpointable, so it "
            + "cannot be restored bigger; checkpointable ones: " + Workloads.all().stream()
            .filter(Workload::checkpointable).map(Workload::name).toList());
      }
      id = functionId != null ? functionId : w.name();
      String invocation = w.name() + "-" + input + "-" + stamp;
      socket = Optional.of(Path.of(System.getProperty("java.io.tmpdir"), "presize-" + ProcessHandle.current().pid()
          + "-" + stamp + ".sock"));
      Path tmp = outDir.resolve("tmp");
      Files.createDirectories(tmp);
      cmd = ControlledRun.workloadCommand(w, input, seed, outDir.resolve("checkpoints"), invocation,
          socket.get(), growTo != null ? growTo : max, tmp);
      inputSize = OptionalLong.of(input);
    } else {
      id = functionId != null ? functionId : Path.of(command.get(0)).getFileName().toString();
      cmd = JvmFlags.wrap(command, max);
    }
    if (service != null && "presize".equalsIgnoreCase(sizer)) {
      step = serviceStep(cl, config, id);
    }
    Function<ResourceProfile, Sizer> sizers;
    try {
      sizers = sizers(config, id, inputSize);
    } catch (PresizeException | ConfigurationException | IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    ControlledRun.Spec runSpec = new ControlledRun.Spec(cmd, id, initial, max, maxCpu,
        growTo == null ? OptionalLong.empty() : OptionalLong.of(growTo), step, outDir, id + "-" + stamp,
        Optional.empty(), socket, config, System.console() != null, inputSize);
    Recorder recorder = new Recorder();
    Signals.forward(recorder::signalCommand);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true);
    ControlledRun.Outcome outcome = ControlledRun.run(runSpec, sizers, recorder, Optional.of(err));
    PrintWriter stdout = cl.getOut();
    if (json) {
      stdout.println(RunSummary.jsonLine(outcome.json()));
    } else {
      for (ControlledRun.Phase p : outcome.phases()) {
        stdout.print(p.summary().text());
        stdout.println("  trace: " + p.recording().trace());
      }
    }
    stdout.flush();
    return outcome.exitCode();
  }

  /**
   * The decision step with {@code --model} or {@code --registry} (its current model; {@code --model} wins, as it
   * does for the predictor): the step the model was trained at when {@code --step} is not given; a different
   * {@code --step} is refused, since the features (and the horizon) would be computed at a step the model never saw.
   * A model that cannot be read, or a registry with nothing current, is left to the predictor, which reports it.
   */
  private Duration modelStep(CommandLine cl, ConfigProperties config) {
    Path dir;
    String what;
    try {
      if (model != null) {
        dir = model;
        what = "the model " + model;
      } else {
        String name = PredictorConfig.from(config).model();
        Optional<VerifiedModel> current = new FileSystemModelRegistry(registry).current(name);
        if (current.isEmpty()) {
          return step;
        }
        dir = current.get().directory();
        what = "the current model of " + registry + " (" + name + " " + current.get().version().version() + ")";
      }
      Duration trained = ModelBundle.load(dir, FeatureExtractor.standard().schema().id()).step();
      if (!cl.getParseResult().hasMatchedOption("--step")) {
        return trained;
      }
      if (trained.equals(step)) {
        return step;
      }
      throw new CommandLine.ParameterException(cl, "--step " + human(step) + ", but " + what
          + " was trained at a step of " + human(trained) + ": drop --step (the model's is the default) or train a"
          + " model at " + human(step));
    } catch (java.io.IOException | PresizeException | ConfigurationException | IllegalArgumentException
        | java.io.UncheckedIOException e) {
      return step;
    }
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** The sizer per phase, by --sizer; presize's predictor is made once and shared. */
  private Function<ResourceProfile, Sizer> sizers(ConfigProperties config, String id, OptionalLong inputSize) {
    switch (sizer.toLowerCase(Locale.ROOT)) {
      case "static":
        return initial -> Sizer.fixed();
      case "vpa":
        return initial -> new RecommenderSizer(VpaRecommender.factory(), step, initial);
      case "autopilot":
        return initial -> new RecommenderSizer(AutopilotRecommender.factory(), step, initial);
      case "presize":
        Predictor predictor = predictorFromOptions(config);
        InvocationHistory past = history(history, step);
        return initial -> new PresizeSizer(predictor, id, step, initial,
            inputSize.isPresent() ? inputSize.getAsLong() : Double.NaN, past);
      default:
        throw new IllegalArgumentException("--sizer " + sizer + ": expected presize, static, vpa or autopilot");
    }
  }

  /**
   * With {@code --service}: asks the service once before the command starts (with {@link #PROBE_TIMEOUT}; the first
   * answer of a service, which loads its model and opens the connection, can take longer than the loop's request
   * timeout). The served model's step is the default; a different {@code --step}, or a local model (the fallback)
   * of another step, is refused. A service that does not answer is reported, and the run starts on its fallbacks.
   */
  private Duration serviceStep(CommandLine cl, ConfigProperties config, String id) {
    ConfigProperties c = predictorConfig(config);
    PredictorConfig pc;
    try {
      pc = PredictorConfig.from(c);
    } catch (ConfigurationException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    Optional<Duration> served;
    RemotePredictor remote;
    try {
      remote = RemotePredictor.create(pc);
    } catch (PresizeException | IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--service " + service + ": " + e.getMessage());
    }
    try {
      served = remote.probeStep(new PredictionRequest(id, remote.featureSchemaId(),
          new float[FeatureExtractor.standard().schema().size()], java.time.Instant.now()), PROBE_TIMEOUT);
    } catch (PresizeException e) {
      cl.getErr().println("presize run: the service cannot forecast for this run (" + e.getMessage()
          + "); starting with " + (model != null || registry != null ? "the fallback model"
          : "the last good forecast, if any"));
      return step;
    } finally {
      remote.close();
    }
    if (served.isEmpty() || served.get().equals(step)) {
      return step;
    }
    boolean local = model != null || registry != null;
    if (cl.getParseResult().hasMatchedOption("--step") || local) {
      throw new CommandLine.ParameterException(cl, "--step " + human(step) + (local && !cl.getParseResult()
          .hasMatchedOption("--step") ? " (the fallback model's)" : "") + ", but the service's model "
          + pc.model() + " was trained at a step of " + human(served.get()) + ": the step must be the model's");
    }
    return served.get();
  }

  private Predictor predictorFromOptions(ConfigProperties config) {
    return predictor(predictorConfig(config));
  }

  /** {@code config} with the {@code presize.predictor.*} keys the options set. */
  private ConfigProperties predictorConfig(ConfigProperties config) {
    Map<String, String> p = new HashMap<>();
    if (model != null) {
      p.put(PredictorConfig.MODEL_DIR, model.toAbsolutePath().toString());
    }
    if (registry != null) {
      p.put(PredictorConfig.REGISTRY_DIR, registry.toAbsolutePath().toString());
    }
    if (service != null) {
      p.put(PredictorConfig.SERVICE_URL, service);
      // the loop's step: a model of another step promoted in the service during the run is refused, not used
      p.put(PredictorConfig.STEP, step.toMillis() + "ms");
    }
    if (config.getString(PredictorConfig.FEATURE_SCHEMA).isEmpty()) {
      // What this Presize extracts: the service refuses requests for a model of another schema (HTTP 400), and a
      // fallback model directory or registry is checked against it when loaded.
      p.put(PredictorConfig.FEATURE_SCHEMA, FeatureExtractor.standard().schema().id());
    }
    return config.with(p);
  }

  /**
   * The invocations in {@code dirs} (our traces or corpora, read at {@code step}) as a history.
   *
   * @throws IllegalArgumentException naming the directory when one cannot be read
   */
  static InvocationHistory history(List<Path> dirs, Duration step) {
    InvocationHistory h = new InvocationHistory();
    if (dirs.isEmpty()) {
      return h;
    }
    try {
      TraceFormat.PRESIZE.read(dirs, step, Integer.MAX_VALUE).forEach(h::add);
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException("--history " + dirs + ": " + e.getMessage(), e);
    }
    return h;
  }

  /**
   * The predictor the {@code presize.predictor.*} keys of {@code config} make: the fallback chain when a service
   * is set, else the embedded model (directory or registry).
   *
   * @throws PresizeException saying what to pass when there is no model to forecast with
   */
  static Predictor predictor(ConfigProperties config) {
    ProviderContext context = ProviderContext.of(config);
    ProviderRegistry<PredictorProvider> providers = ProviderRegistry.load(PredictorProvider.class,
        RunCommand.class.getClassLoader());
    try {
      return providers.select(Optional.empty(), pr -> pr.probe(context)).provider().create(context);
    } catch (PresizeException e) {
      throw new PresizeException("run", "predictor", "no model to forecast with (" + e.getMessage() + "): pass "
          + "--model DIR (from presize train), --registry DIR with a current model, or --service URL; or use "
          + "--sizer static|vpa|autopilot");
    }
  }
}
