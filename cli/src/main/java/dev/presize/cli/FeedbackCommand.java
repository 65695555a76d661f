package dev.presize.cli;

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

  @Override
  public Integer call() throws Exception {
    List<FeedbackRecords.Summary> summaries;
    try {
      summaries = FeedbackRecords.summarize(FeedbackRecords.read(files));
    } catch (InputDataException | java.nio.file.NoSuchFileException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
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
      out.printf(Locale.ROOT, "%-20s %-8s %-12s %8s %8s %8s %8s %12s%n", "model", "version", "target", "count",
          "cov p50", "cov p90", "cov p99", "pinball p90");
      for (FeedbackRecords.Summary s : summaries) {
        out.printf(Locale.ROOT, "%-20s %-8s %-12s %8d %8.3f %8.3f %8.3f %12.4g%n", s.model(), s.version(),
            s.target(), s.count(), s.coverageP50(), s.coverageP90(), s.coverageP99(), s.pinballP90());
      }
    }
    out.flush();
    return 0;
  }
}
