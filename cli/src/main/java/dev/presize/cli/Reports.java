package dev.presize.cli;

import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.SeriesTrace;
import dev.presize.trainer.report.EvaluationReport;
import dev.presize.trainer.train.PresizeModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the evaluation report of {@code presize evaluate --report DIR}: HTML with tables and PNG plots. */
final class Reports {

  /** The most steps of a series plotted (two days of 5-minute steps; a minute of 100 ms steps). */
  static final int PLOT_STEPS = 600;

  private Reports() {
  }

  static Path write(Path dir, PresizeModel model, EvaluationResult result, List<SeriesTrace> traces)
      throws IOException {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("model", model.name() + " (" + model.dir() + ")");
    facts.put("feature schema", model.metadata().path("featureSchema").path("id").asText());
    facts.put("model trained", model.metadata().path("createdAt").asText() + " on "
        + model.metadata().path("training").path("format").asText() + " "
        + model.metadata().path("training").path("traces").toString() + ", data "
        + model.metadata().path("training").path("dataDigest").asText());
    facts.put("allocation", "p" + Math.round(model.allocationQuantile() * 100)
        + " forecast x calibration factor (fitted on the validation split)");
    facts.put("evaluated", Instant.now().toString());
    List<SeriesTrace> plotted = new ArrayList<>();
    for (SeriesTrace t : traces) {
      if (t.resource() != dev.presize.spi.resources.Resource.CPU
          && t.resource() != dev.presize.spi.resources.Resource.MEMORY) {
        continue;
      }
      // the operating points (presize@x%) are in the tables and the scatter; one Presize line is readable
      Map<String, double[]> allocations = new LinkedHashMap<>();
      t.allocations().forEach((m, a) -> {
        if (!m.startsWith("presize@")) {
          allocations.put(m, a);
        }
      });
      plotted.add(new SeriesTrace(t.dataset(), t.seriesId(), t.resource(), t.timeMillis(), t.used(), allocations,
          t.forecasts()).tail(PLOT_STEPS));
    }
    Path index = EvaluationReport.write(dir, "Presize evaluation: " + result.dataset(), List.of(result), plotted,
        facts);
    result.writeJson(dir.resolve("evaluation.json"));
    return index;
  }
}
