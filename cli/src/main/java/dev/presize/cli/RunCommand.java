package dev.presize.cli;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.model.CrossingModel;
import dev.presize.core.model.ModelBundle;
import dev.presize.core.predict.PredictorConfig;
import dev.presize.core.predict.RemotePredictor;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.ModelSummary;
import dev.presize.core.registry.VerifiedModel;
import dev.presize.local.Recorder;
import dev.presize.local.corpus.CorpusManifest;
import dev.presize.local.run.RunSummary;
import dev.presize.local.run.Sizer;
import dev.presize.local.run.StatusLine;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import dev.presize.spi.config.Quantities;
import dev.presize.spi.predict.PredictionRequest;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.predict.PredictorProvider;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.trainer.baseline.AutopilotRecommender;
import dev.presize.trainer.baseline.VpaRecommender;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.InvocationHistory;
import dev.presize.trainer.input.PresizeTraceReader;
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
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs COMMAND (or a workload of the suite) in its own cgroup under predictive control: every "
        + "decision step (--step: the forecast model's step, 100ms without one) the model forecasts the need over "
        + "the next step, the policy resizes CPU and memory (never below usage plus a guard), and a checkpointable "
        + "workload is checkpointed at once when its need will exceed --max-memory. Shows a live status line; "
        + "prints a summary at exit. Exits with the command's exit code."},
    footer = {"", "Examples:",
        "  presize run --model models/corpus --memory 256Mi --max-memory 1Gi -- java -jar app.jar",
        "  presize run --model models/corpus --workload sha256-stream --input 256 --max-memory 256Mi --grow-to 1Gi",
        "  presize run --sizer vpa --json -- sh -c 'head -c 100000000 /dev/urandom | gzip -1 | wc -c'"})
final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--memory", converter = Converters.BytesConverter.class, defaultValue = DEFAULT_MEMORY,
      description = "Initial memory limit, at least 16Mi (a process cannot start in less; a JVM needs more, about "
          + "64Mi) (default ${DEFAULT-VALUE}).")
  long memory;

  @Option(names = "--cpus", converter = Converters.CpuConverter.class, defaultValue = "1",
      description = "Initial CPU limit, cores or millicores: 1, 1500m; at most this host's cores (more is refused) "
          + "(default ${DEFAULT-VALUE}).")
  long cpus;

  @Option(names = "--max-memory", converter = Converters.BytesConverter.class,
      description = "The most memory the command may be given here (default 1Gi, or --memory if larger; not below "
          + "--memory); a need forecast above it is contention.")
  Long maxMemory;

  @Option(names = "--max-cpus", converter = Converters.CpuConverter.class,
      description = "The most CPU it may be given: not below --cpus, at most this host's cores (more is refused) "
          + "(default: this host's cores).")
  Long maxCpus;

  @Option(names = "--sizer", defaultValue = "presize",
      description = "presize (the model), static (the initial limits), vpa or autopilot (the baselines of "
          + "presize evaluate, live). Default ${DEFAULT-VALUE}.")
  String sizer;

  @Option(names = "--model", description = "A trained model directory (presize train --out; it has "
      + "metadata.json).")
  Path model;

  @Option(names = "--crossing-model", paramLabel = "DIR", description = "A crossing model (presize train-crossing"
      + " --out, trained at the run's --step): its probability that memory crosses --max-memory in the next step"
      + " drives the checkpoint schedule in place of the one read off the forecast (with --workload: a COMMAND takes"
      + " no checkpoints).")
  Path crossingModel;

  @Option(names = "--service", description = "The prediction service's URL (presize serve); asked once before "
      + "the command starts. Falls back to --model or --registry, then to the last good forecast widened; without "
      + "--model or --registry, a service that cannot forecast for the run (down, unknown model) is refused.")
  String service;

  @Option(names = "--registry", description = "A model registry directory: the current version of the model "
      + "named by -Dpresize.predictor.model=NAME is used (without it: the registry's only model; with several, "
      + "NAME is required).")
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

  @Option(names = "--function-id", description = "The function's id: letters, digits, '.', '_' and '-', not starting "
      + "with '.' or '-', at most 128 characters (it names the run's files). Default: the command's or workload's "
      + "name.")
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

  @Option(names = "--history", arity = "1..*", paramLabel = "PATH",
      description = "The function's earlier invocations, for the model's history features as in training: a corpus "
          + "directory (corpus.json, from presize record-suite or presize corpus: its successful runs), any other "
          + "directory (every *.pstrace file under it: presize record --out, earlier runs' --out), or .pstrace "
          + "files. Default: none (a first invocation).")
  List<Path> history = new ArrayList<>();

  @Option(names = {"-D", "--set"}, description = "A configuration property, e.g. -D presize.policy.memory.headroom=20%%.")
  Map<String, String> properties = new HashMap<>();

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command to run, after --.")
  List<String> command = new ArrayList<>();

  static final String DEFAULT_MEMORY = "256Mi";

  /** The file name ending of Presize traces. */
  static final String TRACE_EXTENSION = ".pstrace";

  /** The file every trained model directory has (presize train writes it). */
  static final String MODEL_METADATA = "metadata.json";

  /** The smallest --memory: below it not even a shell starts (the kernel kills it before it runs). */
  static final long MIN_MEMORY_BYTES = 16L << 20;

  /** What --function-id accepts: it names the run's files. */
  static final java.util.regex.Pattern FUNCTION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  /** How long the one request before a run may take (a first answer of a service can be slow). */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    long max = maxMemory != null ? maxMemory : Math.max(memory, 1L << 30);
    long maxCpu = maxCpus != null ? maxCpus : hostMillicores();
    checkLimits(cl, max, maxCpu);
    if ((workload == null) == command.isEmpty()) {
      throw new UsageError(cl, "give either --workload NAME --input N or a COMMAND after --");
    }
    if (workload == null && (input != null || growTo != null)) {
      throw new UsageError(cl, "--input and --grow-to go with --workload");
    }
    if (growTo != null && growTo <= max) {
      throw new UsageError(cl, "--grow-to " + Quantities.formatBytes(growTo) + " must be above --max-memory "
          + Quantities.formatBytes(max) + (maxMemory == null ? " (the default --max-memory: 1Gi, or --memory if larger)" : ""));
    }
    if (functionId != null) {
      checkFunctionId(cl, functionId);
    }
    if (model != null) {
      checkModelDir(cl, model);
    }
    Map<String, String> props = new HashMap<>(properties);
    ConfigProperties config = ConfigProperties.fromEnvironment(Map.of()).with(props);
    if (registry != null) {
      config = config.with(registryModel(cl, config));
    }
    if ((model != null || registry != null) && "presize".equalsIgnoreCase(sizer)) {
      step = modelStep(cl, config);
    }
    Optional<CrossingModel> crossing = Optional.empty();
    if (crossingModel != null && !"presize".equalsIgnoreCase(sizer)) {
      throw new UsageError(cl, "--crossing-model goes with --sizer presize (it feeds Presize's checkpoint schedule)");
    }
    if (crossingModel != null && workload == null) {
      throw new UsageError(cl, "--crossing-model drives checkpoints, and only a --workload run takes them here (a"
          + " COMMAND has no checkpoint channel)");
    }
    if (crossingModel != null) {
      try {
        crossing = Optional.of(CrossingModel.load(crossingModel));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UsageError(cl, "--crossing-model " + crossingModel + ": no such directory");
      } catch (dev.presize.core.model.ModelFormatException e) {
        throw new UsageError(cl, "--crossing-model " + crossingModel + ": " + e.getMessage());
      }
    }
    Optional<Workload> w = workload == null ? Optional.empty() : Optional.of(checkWorkload(cl));
    CheckpointConfig checkpoints = checkpointConfig(cl, config, w.isPresent());
    ResourceProfile initial = ResourceProfile.of(cpus, memory);
    Path outDir = outDirectory(cl, out);
    String stamp = Long.toString(System.currentTimeMillis());
    List<String> cmd;
    String id;
    Optional<Path> socket = Optional.empty();
    OptionalLong inputSize = OptionalLong.empty();
    if (w.isPresent()) {
      id = functionId != null ? functionId : w.get().name();
      String invocation = w.get().name() + "-" + input + "-" + stamp;
      socket = Optional.of(Path.of(System.getProperty("java.io.tmpdir"), "presize-" + ProcessHandle.current().pid()
          + "-" + stamp + ".sock"));
      Path tmp = outDir.resolve("tmp");
      Files.createDirectories(tmp);
      // the store of presize.checkpoint.store.root when given, else beside the run's other files
      Path store = config.getString(CheckpointConfig.STORE_ROOT).isPresent() ? checkpoints.storeRoot()
          : outDir.resolve("checkpoints");
      cmd = ControlledRun.workloadCommand(w.get(), input, seed, store, invocation, socket.get(),
          growTo != null ? growTo : max, tmp, checkpoints.keepLast());
      inputSize = OptionalLong.of(input);
    } else {
      id = functionId != null ? functionId : functionIdOf(command.get(0));
      cmd = JvmFlags.wrap(command, max);
    }
    if (service != null && "presize".equalsIgnoreCase(sizer)) {
      step = serviceStep(cl, config, id);
    }
    Function<ResourceProfile, Sizer> sizers;
    try {
      sizers = sizers(config, id, inputSize);
    } catch (PresizeException | ConfigurationException | IllegalArgumentException e) {
      throw new UsageError(cl, e.getMessage());
    }
    if (crossing.isPresent() && !crossing.get().step().equals(step)) {
      throw new UsageError(cl, "--crossing-model " + crossingModel + " was trained at a step of "
          + Sizes.duration(crossing.get().step()) + " but the run decides every " + Sizes.duration(step)
          + " (--step, or the forecast model's step)");
    }
    ControlledRun.Spec runSpec = new ControlledRun.Spec(cmd, id, initial, max, maxCpu,
        growTo == null ? OptionalLong.empty() : OptionalLong.of(growTo), step, outDir, id + "-" + stamp,
        Optional.empty(), socket, config, StatusLine.stdioIsTerminal(), inputSize, crossing);
    Recorder recorder = new Recorder();
    Signals.forward(recorder::stop);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true);
    ControlledRun.Outcome outcome = ControlledRun.run(runSpec, sizers, recorder, Optional.of(err));
    PrintWriter stdout = cl.getOut();
    if (json) {
      stdout.println(RunSummary.jsonLine(outcome.json()));
    } else {
      stdout.print(outcome.text());
    }
    stdout.flush();
    UnreadSettings.warn(cl.getErr(), "run", config, properties.keySet());
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
      throw new UsageError(cl, "--step " + Sizes.duration(step) + ", but " + what
          + " was trained at a step of " + Sizes.duration(trained) + ": drop --step (the model's is the default) or train a"
          + " model at " + Sizes.duration(step));
    } catch (java.io.IOException | PresizeException | ConfigurationException | IllegalArgumentException
        | java.io.UncheckedIOException e) {
      return step;
    }
  }

  /**
   * The {@code presize.checkpoint.*} settings, refused before anything starts when malformed; a workload's checkpoints
   * are of its own state, so a checkpointer other than {@code app-state} is refused for one too.
   */
  private static CheckpointConfig checkpointConfig(CommandLine cl, ConfigProperties config, boolean workload) {
    CheckpointConfig c;
    try {
      c = CheckpointConfig.from(config);
    } catch (ConfigurationException e) {
      throw new UsageError(cl, e.getMessage());
    }
    if (workload && c.checkpointer().isPresent() && !c.checkpointer().get().equals("app-state")) {
      throw new UsageError(cl, CheckpointConfig.CHECKPOINTER + "=" + c.checkpointer().get() + ": presize run"
          + " checkpoints a workload's own state, with app-state (the one checkpointer it drives; crac needs the"
          + " function's JVM to be a CRaC JDK, started for it)");
    }
    return c;
  }

  /** The memory and CPU options against each other and against this host's cores. */
  private void checkLimits(CommandLine cl, long max, long maxCpu) {
    checkMemory(cl, "--memory", memory);
    checkMaxMemory(cl, memory, max);
    checkCpu(cl, "--cpus", cpus);
    checkCpu(cl, "--max-cpus", maxCpu);
    if (maxCpu < cpus) {
      throw new UsageError(cl, "--max-cpus " + Sizes.cpu(maxCpu) + " is below --cpus " + Sizes.cpu(cpus)
          + (given(cl, "--cpus") ? "" : " (the default --cpus is 1)"));
    }
  }

  /** This host's cores, in millicores: the most CPU a limit can give. */
  static long hostMillicores() {
    return Runtime.getRuntime().availableProcessors() * 1000L;
  }

  /** Refuses a memory limit ({@code option}'s value) below 16Mi, which kills most commands at once. Shared. */
  static void checkMemory(CommandLine cl, String option, long bytes) {
    if (bytes < MIN_MEMORY_BYTES) {
      throw new UsageError(cl, option + " " + Quantities.formatBytes(bytes) + " is below the minimum of "
          + Quantities.formatBytes(MIN_MEMORY_BYTES) + ": a limit that small kills most commands as they start (a JVM"
          + " needs about 64Mi)");
    }
  }

  /** Refuses a {@code --max-memory} below {@code --memory}, naming a default the user did not pass. Shared with demo. */
  static void checkMaxMemory(CommandLine cl, long memory, long max) {
    if (max < memory) {
      throw new UsageError(cl, "--max-memory " + Quantities.formatBytes(max) + " is below --memory "
          + Quantities.formatBytes(memory) + (given(cl, "--memory") ? "" : " (the default --memory is "
          + DEFAULT_MEMORY + ")"));
    }
  }

  /** Refuses a CPU limit ({@code option}'s value) above this host's cores. Shared with presize record and demo. */
  static void checkCpu(CommandLine cl, String option, long millicores) {
    long host = hostMillicores();
    if (millicores > host) {
      throw new UsageError(cl, option + " " + Sizes.cpu(millicores) + " is more than this host's " + Sizes.cpu(host)
          + " cores: a limit above them would never bind");
    }
  }

  /** Refuses a function id that cannot name the run's files. Shared with presize record. */
  static void checkFunctionId(CommandLine cl, String id) {
    if (!FUNCTION_ID.matcher(id).matches()) {
      throw new UsageError(cl, "--function-id '" + id + "': use letters, digits, '.', '_' and '-', not "
          + "starting with '.' or '-', at most 128 characters");
    }
  }

  /**
   * The {@code --workload}, checked with {@code --input} and {@code --grow-to} before anything starts: it exists, runs
   * here, can be restored when {@code --grow-to} asks for that, and accepts the input size (its own bounds).
   */
  private Workload checkWorkload(CommandLine cl) {
    Workload w;
    try {
      w = Workloads.byName(workload);
    } catch (IllegalArgumentException e) {
      throw new UsageError(cl, e.getMessage());
    }
    if (input == null) {
      throw new UsageError(cl, "--workload needs --input N (e.g. " + w.name() + " sizes " + w.sizes() + ")");
    }
    if (w.needsServer()) {
      throw new UsageError(cl, "workload " + w.name() + " needs the loopback server of record-suite; presize run "
          + "does not start one");
    }
    if (growTo != null && !w.checkpointable()) {
      throw new UsageError(cl, "workload " + w.name() + " is not checkpointable, so it cannot be restored bigger; "
          + "checkpointable ones: " + Workloads.all().stream().filter(Workload::checkpointable).map(Workload::name)
          .toList());
    }
    try {
      w.checkSize(input);
    } catch (IllegalArgumentException e) {
      throw new UsageError(cl, "--input " + input + ": workload " + w.name() + " refuses it: " + e.getMessage());
    }
    return w;
  }

  private static boolean given(CommandLine cl, String option) {
    return cl.getParseResult().hasMatchedOption(option);
  }

  /** Refuses a {@code --model} that is not a trained model directory, before anything starts. */
  static void checkModelDir(CommandLine cl, Path dir) {
    if (!Files.exists(dir)) {
      throw new UsageError(cl, "--model " + dir + ": no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageError(cl, "--model " + dir + ": not a model directory (a file; make one with presize train)");
    }
    if (!Files.isRegularFile(dir.resolve(MODEL_METADATA))) {
      throw new UsageError(cl, "--model " + dir + ": not a model directory (no " + MODEL_METADATA + "; make one "
          + "with presize train)");
    }
  }

  /**
   * The model of {@code --registry} to use: the one {@code presize.predictor.model} names (checked to be there with a
   * current version), else the registry's only model (said on stderr; returned as that key). Several models and no
   * name, or none at all, are refused listing what is there.
   */
  private Map<String, String> registryModel(CommandLine cl, ConfigProperties config) {
    if (!Files.isDirectory(registry)) {
      throw new UsageError(cl, "--registry " + registry + ": no such directory");
    }
    List<ModelSummary> models;
    try {
      models = new FileSystemModelRegistry(registry).list();
    } catch (PresizeException | java.io.UncheckedIOException e) {
      throw new UsageError(cl, "--registry " + registry + ": cannot read it (" + e.getMessage() + ")");
    }
    List<String> names = models.stream().map(ModelSummary::name).toList();
    Optional<String> named = config.getString(PredictorConfig.MODEL);
    ModelSummary chosen;
    if (named.isPresent()) {
      chosen = models.stream().filter(m -> m.name().equals(named.get())).findFirst().orElseThrow(() ->
          new UsageError(cl, "--registry " + registry + " has no model '" + named.get() + "' ("
              + PredictorConfig.MODEL + "); it holds " + (names.isEmpty() ? "none" : String.join(", ", names))));
    } else if (models.size() == 1) {
      chosen = models.get(0);
    } else if (models.isEmpty()) {
      throw new UsageError(cl, "--registry " + registry + " holds no model (presize models publish, then promote)");
    } else {
      throw new UsageError(cl, "--registry " + registry + " holds several models (" + String.join(", ", names)
          + "): pass -D" + PredictorConfig.MODEL + "=NAME");
    }
    if (chosen.current().isEmpty()) {
      throw new UsageError(cl, "--registry " + registry + ": model '" + chosen.name() + "' has no current version "
          + "(promote one: presize models promote)");
    }
    if (named.isPresent()) {
      return Map.of();
    }
    cl.getErr().println("presize run: using model '" + chosen.name() + "' (" + chosen.current().get()
        + "), the only one in --registry " + registry + " (choose with -D" + PredictorConfig.MODEL + "=NAME)");
    return Map.of(PredictorConfig.MODEL, chosen.name());
  }

  /** {@code out} made (with its parents) and absolute; a file there, or a directory that cannot be made, refused. */
  static Path outDirectory(CommandLine cl, Path out) {
    Path dir = out.toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageError(cl, "--out " + out + ": not a directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new UsageError(cl, "--out " + out + ": cannot create it (" + reason(e) + ")");
    }
    if (!Files.isWritable(dir)) {
      throw new UsageError(cl, "--out " + out + ": not writable");
    }
    return dir;
  }

  private static String reason(java.io.IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException f) {
      return f.getFile() + " is not a directory";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.toString();
  }

  /** A function id from a command's file name: characters --function-id does not accept become '_'. */
  static String functionIdOf(String command) {
    String name = command;
    int slash = name.lastIndexOf('/');
    if (slash >= 0 && slash < name.length() - 1) {
      name = name.substring(slash + 1);
    }
    name = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[.-]+", "");
    name = name.length() > 128 ? name.substring(0, 128) : name;
    return name.isEmpty() ? "command" : name;
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
        InvocationHistory past = history(history, step);
        Predictor predictor = predictorFromOptions(config);
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
   * of another step, is refused. A service that cannot forecast for this run (down, or no such model) is reported and
   * the run starts on the fallback model; without one (no --model, no --registry) the run is refused.
   */
  private Duration serviceStep(CommandLine cl, ConfigProperties config, String id) {
    ConfigProperties c = predictorConfig(config);
    PredictorConfig pc;
    try {
      pc = PredictorConfig.from(c);
    } catch (ConfigurationException e) {
      throw new UsageError(cl, e.getMessage());
    }
    Optional<Duration> served;
    RemotePredictor remote;
    try {
      remote = RemotePredictor.create(pc);
    } catch (PresizeException | IllegalArgumentException e) {
      throw new UsageError(cl, "--service " + service + ": " + e.getMessage());
    }
    try {
      served = remote.probeStep(new PredictionRequest(id, remote.featureSchemaId(),
          new float[FeatureExtractor.standard().schema().size()], java.time.Instant.now()), PROBE_TIMEOUT);
    } catch (PresizeException e) {
      if (model == null && registry == null) {
        throw new UsageError(cl, "--service " + service + " cannot forecast for this run (" + e.getMessage()
            + "), and there is no fallback model. Pass --model DIR or --registry DIR as a fallback, -D"
            + PredictorConfig.MODEL + "=NAME naming a model the service serves (asked for '" + pc.model()
            + "'), or --sizer static|vpa|autopilot to run without a model");
      }
      cl.getErr().println("presize run: the service cannot forecast for this run (" + e.getMessage()
          + "); starting with the fallback model");
      return step;
    } finally {
      remote.close();
    }
    if (served.isEmpty() || served.get().equals(step)) {
      return step;
    }
    boolean local = model != null || registry != null;
    if (cl.getParseResult().hasMatchedOption("--step") || local) {
      throw new UsageError(cl, "--step " + Sizes.duration(step) + (local && !cl.getParseResult()
          .hasMatchedOption("--step") ? " (the fallback model's)" : "") + ", but the service's model "
          + pc.model() + " was trained at a step of " + Sizes.duration(served.get()) + ": the step must be the model's");
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
   * The invocations in {@code paths}, read at {@code step}, as a history: a corpus directory ({@code corpus.json}: its
   * successful runs), any other directory (every {@code *.pstrace} file under it, in path order), or a {@code .pstrace}
   * file.
   *
   * @throws IllegalArgumentException naming the path (and the trace) when one cannot be read
   */
  static InvocationHistory history(List<Path> paths, Duration step) {
    InvocationHistory h = new InvocationHistory();
    for (Path p : paths) {
      List<Path> traces;
      if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(CorpusManifest.FILE))) {
        try {
          PresizeTraceReader.readCorpus(p, step).forEach(h::add);
        } catch (java.io.IOException | RuntimeException e) {
          throw new IllegalArgumentException("--history " + p + ": " + e.getMessage(), e);
        }
        continue;
      } else if (Files.isDirectory(p)) {
        try (java.util.stream.Stream<Path> files = Files.walk(p)) {
          traces = files.filter(f -> f.getFileName().toString().endsWith(TRACE_EXTENSION) && Files.isRegularFile(f))
              .sorted().toList();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
          throw new IllegalArgumentException("--history " + p + ": cannot list it (" + e.getMessage() + ")", e);
        }
        if (traces.isEmpty()) {
          throw new IllegalArgumentException("--history " + p + ": no " + TRACE_EXTENSION + " traces in it (pass a "
              + "corpus directory, a presize record or presize run --out directory, or " + TRACE_EXTENSION + " files)");
        }
      } else if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(TRACE_EXTENSION)) {
        traces = List.of(p);
      } else {
        throw new IllegalArgumentException("--history " + p + ": " + (Files.exists(p) ? "not a directory or a "
            + TRACE_EXTENSION + " trace" : "no such file or directory"));
      }
      for (Path t : traces) {
        try {
          h.add(PresizeTraceReader.read(t, step));
        } catch (java.io.IOException | RuntimeException e) {
          throw new IllegalArgumentException("--history " + (t.equals(p) ? p : p + ": " + t) + ": " + e.getMessage(),
              e);
        }
      }
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
      boolean given = Stream.of(PredictorConfig.MODEL_DIR, PredictorConfig.REGISTRY_DIR, PredictorConfig.SERVICE_URL)
          .anyMatch(key -> config.getString(key).filter(v -> !v.isEmpty()).isPresent());
      if (given) { // what was given cannot forecast: say why, not what to pass
        throw new PresizeException("run", "predictor", "cannot forecast with the model given: " + e.getMessage());
      }
      throw new PresizeException("run", "predictor", "no model to forecast with: pass --model DIR (from presize"
          + " train), --registry DIR with a current model, or --service URL; or use --sizer static|vpa|autopilot");
    }
  }
}
