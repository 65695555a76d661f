package dev.presize.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.presize.trainer.features.Target;
import dev.presize.trainer.input.FeedbackRecords;
import dev.presize.trainer.input.InputDataException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "feedback", mixinStandardHelpOptions = true,
    description = {"Summarizes residual records (feedback.jsonl of presize serve, <run>.feedback.jsonl of presize "
        + "run): per model version and target, how often p50/p90/p99 covered what happened, and the p90 pinball loss."},
    footer = {"", "Example: presize feedback runs/*.feedback.jsonl --json"})
final class FeedbackCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "feedback.jsonl files.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--json", description = "One JSON array on stdout.")
  boolean json;

  /** The p90 pinball loss in the target's unit ({@link EvaluateCommand#amount}); as a number for an unknown target. */
  private static String pinball(FeedbackRecords.Summary s) {
    for (Target t : Target.values()) {
      if (t.name().equals(s.target())) {
        return EvaluateCommand.amount(t.resource(), s.pinballP90());
      }
    }
    return String.format(Locale.ROOT, "%.4g", s.pinballP90());
  }

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    for (Path f : files) {
      TraceInput.requireFile(cl, "FILE", f);
    }
    List<FeedbackRecords.Summary> summaries;
    try {
      summaries = FeedbackRecords.summarize(FeedbackRecords.read(files));
    } catch (InputDataException e) {
      throw new UsageError(cl, e.getCause() instanceof JsonProcessingException j
          ? TraceInput.describe(e.file(), e.line(), j)
          : e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (FeedbackRecords.Summary s : summaries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", s.model());
        m.put("version", s.version());
        m.put("target", s.target());
        m.put("count", s.count());
        m.put("coverageP50", s.coverageP50());
        m.put("coverageP90", s.coverageP90());
        m.put("coverageP99", s.coverageP99());
        m.put("pinballP90", s.pinballP90());
        m.put("meanActual", s.meanActual());
        rows.add(m);
      }
      out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(rows));
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"MODEL", "VERSION", "TARGET", "COUNT", "COV p50", "COV p90", "COV p99", "PINBALL p90"});
      for (FeedbackRecords.Summary s : summaries) {
        rows.add(new String[] {s.model(), s.version(), s.target(), Long.toString(s.count()),
            EvaluateCommand.share(s.coverageP50()), EvaluateCommand.share(s.coverageP90()),
            EvaluateCommand.share(s.coverageP99()), pinball(s)});
      }
      ModelsCommand.printTable(out, rows, 3);
    }
    out.flush();
    return 0;
  }
}
