package dev.presize.cli;

import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.SeriesTrace;
import dev.presize.trainer.train.PresizeModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes evaluation reports. */
final class Reports {

  private Reports() {
  }

  static Path write(Path dir, PresizeModel model, EvaluationResult result, List<SeriesTrace> traces)
      throws IOException {
    Files.createDirectories(dir);
    Path json = dir.resolve("evaluation.json");
    result.writeJson(json);
    Path md = dir.resolve("evaluation.md");
    Files.writeString(md, result.toMarkdown());
    return md;
  }
}
