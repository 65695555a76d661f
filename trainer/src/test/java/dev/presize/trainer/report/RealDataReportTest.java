package dev.presize.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.Recommender;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.Replay;
import dev.presize.trainer.evaluate.SeriesTrace;
import dev.presize.trainer.input.BitbrainsReader;
import dev.presize.trainer.input.SharedData;
import dev.presize.trainer.model.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
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
    EvaluationResult result = new Replay(methods).run("bitbrains-rnd-2013-7 files 1..5, 5 min step", series);
    List<SeriesTrace> traces = List.of(trace("bitbrains", series.get(0), Resource.MEMORY, methods),
        trace("bitbrains", series.get(1), Resource.CPU, methods));
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

  /**
   * Usage and every method's own allocation of {@code resource}, the last {@link #LAST_STEPS} steps, replayed in
   * {@link Replay}'s order (every resource decided, then observed) but without its fallback: no opinion is a gap.
   */
  private static SeriesTrace trace(String dataset, Series s, Resource resource, List<RecommenderFactory> methods) {
    int n = s.length();
    int from = Math.max(0, n - LAST_STEPS);
    List<Resource> resources = new ArrayList<>(EnumSet.copyOf(s.usage().keySet()));
    Map<String, double[]> allocations = new LinkedHashMap<>();
    for (RecommenderFactory m : methods) {
      Recommender recommender = m.create(s);
      double[] allocation = new double[n];
      Arrays.fill(allocation, Double.NaN);
      for (int i = 0; i < n; i++) {
        long t = s.endMillis(i);
        for (Resource r : resources) {
          if (!Double.isNaN(s.values(r)[i])) {
            double a = recommender.recommend(r, t);
            if (r == resource) {
              allocation[i] = a;
            }
          }
        }
        for (Resource r : resources) {
          double v = s.values(r)[i];
          if (!Double.isNaN(v)) {
            recommender.observe(r, t, v);
          }
        }
      }
      allocations.put(m.name(), Arrays.copyOfRange(allocation, from, n));
    }
    long[] time = new long[n - from];
    for (int i = from; i < n; i++) {
      time[i - from] = s.endMillis(i);
    }
    return new SeriesTrace(dataset, s.id(), resource, time, Arrays.copyOfRange(s.values(resource), from, n),
        allocations, Map.of());
  }
}
