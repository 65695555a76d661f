package dev.presize.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.Replay;
import dev.presize.trainer.evaluate.SeriesTrace;
import dev.presize.trainer.input.BitbrainsReader;
import dev.presize.trainer.input.SharedData;
import dev.presize.trainer.model.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A report over real data, kept in {@code trainer/target/report-sample/} to look at: the five baselines replayed over
 * Bitbrains VMs 1..5, with the last two days of two series plotted. Skipped, saying why, when the data is absent.
 */
class RealDataReportTest {

  private static final Path OUT = Path.of("target/report-sample");
  private static final int LAST_STEPS = 2 * 24 * 12; // two days of 5-minute steps

  @Test
  @DisplayName("the baselines over Bitbrains VMs 1..5 make a report with a table and chart per resource")
  void bitbrains() throws Exception {
    List<Series> series = BitbrainsReader.readDirectory(SharedData.dir("bitbrains-rnd-2013-7"), 5);
    List<RecommenderFactory> methods = Replay.baselines();
    Replay.Outcome outcome = new Replay(methods).run("bitbrains-rnd-2013-7 files 1..5, 5 min step", series,
        java.util.Set.of(series.get(0).id(), series.get(1).id()));
    EvaluationResult result = outcome.result();
    List<SeriesTrace> traces = List.of(find(outcome, series.get(0).id(), Resource.MEMORY).tail(LAST_STEPS),
        find(outcome, series.get(1).id(), Resource.CPU).tail(LAST_STEPS));
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("methods", "the five baselines of Replay.baselines()");
    facts.put("produced by", RealDataReportTest.class.getName());

    Path index = EvaluationReport.write(OUT, "Presize evaluation — Bitbrains sample", List.of(result), traces, facts);

    String html = Files.readString(index);
    for (String method : result.methods().keySet()) {
      assertThat(html).contains("<td>" + method + "</td>");
    }
    for (Resource r : EvaluationReport.resources(result)) {
      assertThat(OUT.resolve(EvaluationReport.tradeOffFile(0, r))).isRegularFile();
    }
    assertThat(OUT.resolve(EvaluationReport.traceFile(0, traces.get(0)))).isRegularFile();
  }

  private static SeriesTrace find(Replay.Outcome outcome, String id, Resource resource) {
    return outcome.traces().stream().filter(t -> t.seriesId().equals(id) && t.resource() == resource).findFirst()
        .orElseThrow(() -> new AssertionError("no trace of " + id + " " + resource + " in " + outcome.traces()));
  }
}
