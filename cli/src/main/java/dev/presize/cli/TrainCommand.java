package dev.presize.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.core.registry.ModelNames;
import dev.presize.trainer.features.Splits;
import dev.presize.trainer.features.Target;
import dev.presize.trainer.input.TraceFormat;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.ModelFiles;
import dev.presize.trainer.train.TargetModel;
import dev.presize.trainer.train.TrainedModel;
import dev.presize.trainer.train.Trainer;
import dev.presize.trainer.train.TrainingListener;
import dev.presize.trainer.train.TrainingOptions;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code presize train}: trains XGBoost quantile models on traces and writes a model directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Trains the forecast models (XGBoost p50/p90/p99 per resource) on traces and writes a model"
        + " directory (docs/model-format.md).",
        "Series are split by id (held-out test series) and by time (the later part of the others validates and"
            + " stops training early); nothing of a test series is trained or validated on."})
final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  TraceInput input;

  @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
      description = "The model directory to write (must not exist, or be empty).")
  Path out;

  @Option(names = "--name", paramLabel = "NAME", description = "The model's name (default: the format).")
  String name;

  @Option(names = "--horizon", paramLabel = "STEPS", defaultValue = "1",
      description = "Forecast horizon in steps (default ${DEFAULT-VALUE}).")
  int horizon;

  @Option(names = "--stride", paramLabel = "STEPS", defaultValue = "1",
      description = "Steps between training windows of a series (default ${DEFAULT-VALUE}).")
  int stride;

  @Option(names = "--max-rounds", paramLabel = "N", defaultValue = "1000",
      description = "Most boosting rounds; early stopping usually ends sooner (default ${DEFAULT-VALUE}).")
  int maxRounds;

  @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
      description = "Share of series held out as test (default ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.2",
      description = "Later share of each training series' time used for validation (default ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(names = "--validation-by", paramLabel = "time|series",
      description = "Validate on the later part of each series (time) or on whole held-out series (series). Default:"
          + " series for --format presize (short invocations: validation then sees their start, where memory ramps),"
          + " time for the others.")
  String validationBy;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--targets", split = ",", paramLabel = "TARGET",
      description = "Targets to train, comma-separated: MEMORY_PEAK, CPU_MEAN, NETWORK_PEAK, DISK_PEAK (default:"
          + " all that have data).")
  java.util.List<Target> targets;

  @Option(names = "--fast", description = "The fast preset: 64 bins, half the rows and features per tree, at most"
      + " 60 rounds (under a minute per target on a million windows; a little less accurate).")
  boolean fast;

  @Option(names = "--json", description = "Print the model's metadata.json instead of the summary.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    TraceFormat format = input.traceFormat();
    CommandLine cl = spec.commandLine();
    TraceInput.requireNewModelDir(cl, "--out", out); // first: a used --out is refused whatever else is wrong
    TrainingOptions options = options(cl, format);
    input.check(cl);
    err.println("presize train: reading " + format.id() + " traces from " + input.traces);
    err.flush();
    List<Series> series = input.read(cl);
    if (!series.isEmpty()) { // the trainer's progress counts in steps: say how long one is, as --step is written
      err.println("presize train: " + series.size() + " series in steps of " + Sizes.duration(series.get(0).step()));
      err.flush();
    }
    String digest = TraceFormat.digest(input.traces);
    if (fast) {
      options = options.fast();
    }
    Trainer trainer = new Trainer();
    TrainedModel model = trainer.train(series, options,
        new Trainer.Source(format.id(), input.traceNames(), digest), new Progress(err));
    ModelFiles.write(model, out);
    JsonNode meta = ModelFiles.verify(out);
    if (json) {
      stdout.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(meta));
    } else {
      summary(stdout, model);
    }
    stdout.flush();
    return 0;
  }

  /**
   * The training options from the command line, each value checked as the user typed it: a bad one is a usage error
   * of {@code cl} naming the option, before any trace is read.
   */
  private TrainingOptions options(CommandLine cl, TraceFormat format) {
    atLeastOne(cl, "--horizon", horizon);
    atLeastOne(cl, "--stride", stride);
    atLeastOne(cl, "--max-rounds", maxRounds);
    fraction(cl, "--test-fraction", testFraction);
    fraction(cl, "--validation-fraction", validationFraction);
    String modelName = name == null ? format.id() : name;
    if (!ModelNames.isValid(modelName)) {
      throw new UsageError(cl, "--name '" + modelName + "': use 1-64 letters, digits, '.', '_' or '-', starting with"
          + " a letter or digit");
    }
    TrainingOptions defaults = TrainingOptions.defaults(modelName, horizon);
    return new TrainingOptions(defaults.name(), defaults.quantiles(), horizon, stride, maxRounds,
        defaults.earlyStoppingRounds(), defaults.maxDepth(), defaults.eta(), defaults.minChildWeight(),
        defaults.subsample(), defaults.colsampleByTree(), defaults.maxBin(), defaults.threads(), seed,
        new Splits(testFraction, validationFraction, seed, validationBySeries(format)), defaults.allocationQuantile(),
        defaults.targetUnderProvisioned(), targets == null ? defaults.targets() : java.util.EnumSet.copyOf(targets),
        defaults.minImprovement());
  }

  private static void atLeastOne(CommandLine cl, String option, int value) {
    if (value < 1) {
      throw new UsageError(cl, option + " " + value + ": must be 1 or more");
    }
  }

  private static void fraction(CommandLine cl, String option, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new UsageError(cl, option + " " + value + ": must be at least 0 and below 1");
    }
  }

  /** Invocations (our traces) validate on whole series, since their later part is only the wind-down. */
  private boolean validationBySeries(TraceFormat format) {
    if (validationBy == null) {
      return format == TraceFormat.PRESIZE;
    }
    return switch (validationBy) {
      case "series" -> true;
      case "time" -> false;
      default -> throw new UsageError(spec.commandLine(),
          "--validation-by " + validationBy + ": must be time or series");
    };
  }

  private void summary(PrintWriter o, TrainedModel model) {
    o.printf(Locale.ROOT, "model %s -> %s (schema %s), trained in %.1f s on %d windows (%d validation, %d test"
        + " windows of %d held-out series)%n", model.options().name(), out, model.schema().id(),
        model.provenance().trainingSeconds(), model.provenance().trainRows(), model.provenance().validationRows(),
        model.provenance().testRows(), model.provenance().testSeries().size());
    o.printf(Locale.ROOT, "%-8s %6s %6s %9s %9s %9s %12s  %s%n", "TARGET", "ROUNDS", "BEST", "COV p50",
        "COV p90", "COV p99", "CALIB", "TOP FEATURES (total gain)");
    for (Map.Entry<Target, TargetModel> e : model.targets().entrySet()) {
      TargetModel t = e.getValue();
      StringBuilder top = new StringBuilder();
      Iterator<String> it = t.featureImportance().keySet().iterator();
      for (int i = 0; i < 4 && it.hasNext(); i++) {
        top.append(i == 0 ? "" : ", ").append(it.next());
      }
      o.printf(Locale.ROOT, "%-8s %6d %6d %9.3f %9.3f %9.3f %12s  %s%n", t.key(), t.rounds(), t.bestRound(),
          t.coverage().getOrDefault(0.5, Double.NaN), t.coverage().getOrDefault(0.9, Double.NaN),
          t.coverage().getOrDefault(0.99, Double.NaN), t.calibration().rule() + " "
              + String.format(Locale.ROOT, "%.2f", t.calibration().parameter()), top);
    }
  }

  /** Training progress on stderr: stages as lines; rounds redrawn in place on a terminal. */
  static final class Progress implements TrainingListener {
    private final PrintWriter err;
    private final boolean terminal;
    private long lastPrinted;

    Progress(PrintWriter err) {
      this.err = err;
      Console c = System.console();
      this.terminal = c != null;
    }

    @Override
    public void stage(String description) {
      err.println("  " + description);
      err.flush();
    }

    @Override
    public void round(Target target, int round, int maxRounds, double validationLoss, int bestRound) {
      long now = System.nanoTime();
      if (terminal) {
        err.printf(Locale.ROOT, "\r    round %d/%d  validation loss %.5f  best round %d   ", round + 1, maxRounds,
            validationLoss, bestRound);
        err.flush();
      } else if (now - lastPrinted > 5_000_000_000L || round == 0) {
        lastPrinted = now;
        err.printf(Locale.ROOT, "    round %d/%d  validation loss %.5f  best round %d%n", round + 1, maxRounds,
            validationLoss, bestRound);
        err.flush();
      }
    }

    @Override
    public void targetDone(Target target, String note) {
      if (terminal) {
        err.println();
      }
      err.println("  " + target.resource().name().toLowerCase(Locale.ROOT) + ": " + note);
      err.flush();
    }
  }
}
