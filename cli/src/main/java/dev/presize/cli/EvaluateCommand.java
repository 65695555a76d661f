package dev.presize.cli;

import dev.presize.spi.config.Quantities;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.PresizeMethod;
import dev.presize.trainer.evaluate.Replay;
import dev.presize.trainer.evaluate.ResourceMetrics;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.ModelFiles;
import dev.presize.trainer.train.PresizeModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code presize evaluate}: replays traces through Presize and the five baselines and scores them alike. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Replays every series step by step through Presize (the model) and the baselines static,"
        + " reactive, ewma, vpa and autopilot; each decides from the past only and is scored on the next step.",
        "Prints slack, under-provisioned share, p90 coverage, pinball loss and resizes per method and resource."})
final class EvaluateCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  TraceInput input;

  @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A model directory.")
  Path model;

  @Option(names = "--series", paramLabel = "WHICH", defaultValue = "auto",
      description = "held-out: only the series the model held out as test; all: every series read; auto"
          + " (default): held-out when the traces contain any of them, else all.")
  String which;

  @Option(names = "--operating-points", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also replay Presize calibrated to each stored under-provisioned share (presize@0.1%%, ...), to"
          + " compare the trade-off with each baseline at its own operating point (default: on).")
  boolean operatingPoints;

  @Option(names = "--json", description = "Print the result as JSON ({\"methods\": {NAME: {\"memory\": {…},"
      + " \"cpu\": {…}}}}).")
  boolean json;

  @Option(names = "--report", paramLabel = "DIR", description = "Also write an HTML report with plots to DIR.")
  Path report;

  @Option(names = "--plot-series", paramLabel = "N", defaultValue = "3",
      description = "How many series the report plots step by step (default ${DEFAULT-VALUE}).")
  int plotSeries;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    CommandLine cl = spec.commandLine();
    TraceInput.requireDirectory(cl, "--model", model);
    if (!List.of("held-out", "all", "auto").contains(which)) {
      throw new UsageError(cl, "--series " + which + ": must be held-out, all or auto");
    }
    if (plotSeries < 0) {
      throw new UsageError(cl, "--plot-series " + plotSeries + ": must be 0 or more");
    }
    if (report != null) {
      TraceInput.requireCreatable(cl, "--report", report);
    }
    input.check(cl);
    PresizeModel loaded;
    try {
      loaded = PresizeModel.load(model, FeatureExtractor.standard().schema());
    } catch (ModelFiles.ModelFormatException e) {
      throw TraceInput.badModel(cl, "--model", model, e);
    }
    try (PresizeModel m = loaded) {
      List<Series> all = input.read(cl);
      Set<String> heldOut = m.testSeries();
      List<Series> series = new ArrayList<>();
      boolean anyHeldOut = all.stream().anyMatch(s -> heldOut.contains(s.id()));
      boolean onlyHeldOut = switch (which) {
        case "held-out" -> true;
        case "all" -> false;
        case "auto" -> anyHeldOut;
        default -> throw new AssertionError(which); // refused above
      };
      for (Series s : all) {
        if (!onlyHeldOut || heldOut.contains(s.id())) {
          series.add(s);
        }
      }
      if (series.isEmpty()) {
        throw new IllegalArgumentException("no series to evaluate: none of the " + all.size()
            + " series read is among the model's held-out series; use --series all");
      }
      if (!onlyHeldOut && anyHeldOut) {
        err.println("presize evaluate: note: evaluating all series, including series the model was trained on");
      }
      err.printf(Locale.ROOT, "presize evaluate: replaying %d %s series (%s) through presize and 5 baselines%n",
          series.size(), input.traceFormat().id(), onlyHeldOut ? "held out from training" : "all read");
      err.flush();
      List<RecommenderFactory> methods = new ArrayList<>();
      PresizeMethod presize = new PresizeMethod(m).withHistory(all);
      methods.add(presize);
      if (operatingPoints) {
        java.util.SortedSet<Double> points = new java.util.TreeSet<>();
        for (var t : m.targets()) {
          points.addAll(m.operatingPoints(t));
        }
        for (var t : m.targets()) {
          points.retainAll(m.operatingPoints(t));
        }
        for (double u : points) {
          methods.add(presize.at(u));
        }
      }
      methods.addAll(Replay.baselines());
      Set<String> traced = new LinkedHashSet<>();
      for (int i = 0; i < Math.min(plotSeries, series.size()); i++) {
        traced.add(series.get(i).id());
      }
      String dataset = input.traceFormat().id() + " " + String.join(",", input.traceNames()) + " ("
          + series.size() + (onlyHeldOut ? " held-out" : "") + " series)";
      Replay.Outcome outcome = new Replay(methods).run(dataset, series, report == null ? Set.of() : traced);
      EvaluationResult result = outcome.result();
      if (report != null) {
        Path index = Reports.write(report, m, result, outcome.traces());
        err.println("presize evaluate: report written to " + index);
      }
      if (json) {
        out.print(result.toJson());
      } else {
        table(out, result);
      }
      out.flush();
      return 0;
    }
  }

  static void table(PrintWriter o, EvaluationResult r) {
    o.printf(Locale.ROOT, "%s: %d series, %d steps%n", r.dataset(), r.series(), r.steps());
    o.printf(Locale.ROOT, "%-15s %-7s %7s %9s %9s %9s %11s %10s%n", "METHOD", "RES", "SLACK", "UNDER",
        "COV p90", "COV p99", "PINBALL p90", "RESIZES/1k");
    for (Resource res : List.of(Resource.MEMORY, Resource.CPU)) {
      for (Map.Entry<String, Map<Resource, ResourceMetrics>> e : r.methods().entrySet()) {
        ResourceMetrics x = e.getValue().get(res);
        if (x == null) {
          continue;
        }
        o.printf(Locale.ROOT, "%-15s %-7s %7.3f %9.4f %9s %9s %11s %10.1f%n", e.getKey(),
            res.name().toLowerCase(Locale.ROOT), x.slack(), x.underProvisioned(), share(x.coverageP90()),
            share(x.coverageP99()), amount(res, x.pinballP90()), x.resizesPerThousandSteps());
      }
    }
  }

  /** A share such as a coverage to three decimals, or "-" when there is none (a method without that quantile). */
  static String share(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  /**
   * An amount of {@code resource} in its unit, for people: memory in bytes and network and disk in bytes per second
   * as {@code 1.6Mi} and {@code 280Ki/s}, CPU in cores as {@code 0.125}; "-" when there is none.
   */
  static String amount(Resource resource, double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return switch (resource) {
      case MEMORY -> Quantities.formatBytes(Math.round(v));
      case NETWORK, DISK -> Quantities.formatBytes(Math.round(v)) + "/s";
      default -> String.format(Locale.ROOT, "%.4g", v);
    };
  }
}
