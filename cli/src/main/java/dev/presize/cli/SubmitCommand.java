package dev.presize.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.core.registry.ModelRegistry;
import dev.presize.core.registry.ModelVersion;
import dev.presize.core.registry.Promotion;
import dev.presize.core.registry.VerifiedModel;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.evaluate.ResourceMetrics;
import dev.presize.trainer.gate.GateObjective;
import dev.presize.trainer.gate.ValidationGate;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.ModelFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code presize models submit MODEL_DIR --format F --validation DIR...}: publishes a candidate, replays the
 * validation traces through it, the current model and the baselines, and promotes it only if it passes the gate;
 * otherwise it stays in the registry as rejected, with the reason.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Publishes MODEL_DIR as a candidate and promotes it only if, on the validation traces, its"
        + " slack (memory by default) is lower than the current model's and the best baseline's at an"
        + " under-provisioned share no higher than theirs, and its p90 coverage is within tolerance.",
        "Otherwise the version is kept as rejected with the reason (exit 1)."})
final class SubmitCommand extends ModelsCommand.Base {

  @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "A model directory written by presize train.")
  Path modelDir;

  @Option(names = "--name", paramLabel = "NAME", description = "Registry name (default: the model's own name).")
  String name;

  @picocli.CommandLine.Mixin
  TraceFormatOptions traceOptions;

  @Option(names = "--validation", required = true, arity = "1..*", paramLabel = "DIR",
      description = "Validation trace directories.")
  java.util.List<Path> validation;

  @Option(names = "--resource", paramLabel = "RESOURCE", defaultValue = "memory",
      description = "The resource whose slack is compared: memory (default) or cpu.")
  String resource;

  @Option(names = "--coverage", paramLabel = "MIN,MAX", defaultValue = "0.85,0.95",
      description = "Accepted p90 coverage of the candidate (default ${DEFAULT-VALUE}).")
  String coverage;

  @Override
  boolean createsRegistry() {
    return true; // the first submit makes the registry's directories
  }

  @Override
  void body(ModelRegistry registry, PrintWriter out) throws Exception {
    CommandLine cl = spec.commandLine();
    double[] c = coverage();
    Resource r = switch (resource.toLowerCase(Locale.ROOT)) {
      case "memory" -> Resource.MEMORY;
      case "cpu" -> Resource.CPU;
      default -> throw new UsageError(cl, "--resource " + resource + ": must be memory or cpu");
    };
    GateObjective objective = new GateObjective(r, c[0], c[1], GateObjective.defaults().maxBaselineUnder(),
        GateObjective.defaults().underTolerance());
    TraceInput.requireDirectory(cl, "MODEL_DIR", modelDir);
    String modelName;
    try {
      modelName = name != null ? name : ModelFiles.verify(modelDir).path("name").asText();
    } catch (ModelFiles.ModelFormatException e) {
      throw TraceInput.badModel(cl, "MODEL_DIR", modelDir, e);
    }
    var series = traceOptions.read(spec.commandLine(), "--validation", validation);
    PrintWriter err = spec.commandLine().getErr();
    ModelVersion published = registry.publish(modelName, modelDir);
    err.printf(Locale.ROOT, "presize models submit: published %s %s as a candidate; judging it on %d validation"
        + " series%n", modelName, published.version(), series.size());
    err.flush();
    Optional<VerifiedModel> current = registry.current(modelName);
    VerifiedModel candidate = registry.open(modelName, published.version());
    ValidationGate.Decision d;
    try {
      d = new ValidationGate(objective).judge(candidate.directory(), current.map(VerifiedModel::directory),
          traceOptions.traceFormat().id() + " " + validation, series);
    } catch (IOException | RuntimeException e) {
      // Not left a candidate forever: recorded as rejected, with why it could not be judged.
      registry.reject(modelName, published.version(), "could not be judged: " + e.getMessage());
      throw e;
    }
    Promotion promotion = null;
    if (d.accepted()) {
      promotion = registry.promote(modelName, published.version());
    } else {
      registry.reject(modelName, published.version(), d.reason());
    }
    if (options.json) {
      ObjectNode o = mapper.createObjectNode();
      o.put("name", modelName);
      o.put("version", published.version().toString());
      o.put("accepted", d.accepted());
      o.put("reason", d.reason());
      o.put("bestBaseline", d.bestBaseline());
      o.put("previousCurrent", current.map(v -> v.version().toString()).orElse(null));
      ResourceMetrics m = d.result().metrics(ValidationGate.CANDIDATE, r);
      o.put("slack", m.slack());
      o.put("underProvisioned", m.underProvisioned());
      o.put("coverageP90", m.coverageP90());
      out.println(mapper.writeValueAsString(o));
    } else {
      EvaluateCommand.table(out, d.result());
      out.printf(Locale.ROOT, "%s %s %s: %s%n", modelName, published.version(),
          d.accepted() ? "PROMOTED" : "REJECTED", d.reason());
    }
    if (!d.accepted()) {
      throw new GateRefusal();
    }
  }

  /** {@code --coverage MIN,MAX} as two numbers; anything else is a usage error naming the value. */
  private double[] coverage() {
    String[] c = coverage.split(",");
    try {
      if (c.length == 2) {
        double min = Double.parseDouble(c[0].strip());
        double max = Double.parseDouble(c[1].strip());
        if (min >= 0 && min <= max && max <= 1) {
          return new double[] {min, max};
        }
      }
    } catch (NumberFormatException e) {
      // refused below, with the value as typed
    }
    throw new UsageError(spec.commandLine(), "--coverage " + coverage
        + ": must be MIN,MAX with 0 <= MIN <= MAX <= 1, e.g. 0.85,0.95");
  }

  /** The candidate was rejected: exit 1 (the reason is already printed). */
  static final class GateRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
