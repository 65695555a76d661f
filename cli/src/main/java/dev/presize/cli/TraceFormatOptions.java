package dev.presize.cli;

import dev.presize.trainer.input.TraceFormat;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** How to read trace directories: {@code --format}, {@code --step}, {@code --limit} (the directories come apart). */
final class TraceFormatOptions {

  @Option(names = "--format", required = true, paramLabel = "FORMAT",
      description = "presize (our corpus directories), bitbrains (<n>.csv.gz) or google (2019 task CSVs).")
  String format;

  @Option(names = "--step", converter = Converters.DurationConverter.class, paramLabel = "DURATION",
      description = "Resampling step of presize traces (default 100ms; the CSV formats have 5 minutes).")
  Duration step;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "2147483647",
      description = "Read at most N series from each directory (Bitbrains: the lowest-numbered files).")
  int limit;

  TraceFormat traceFormat() {
    return TraceFormat.of(format);
  }

  List<Series> read(List<Path> dirs) throws IOException {
    TraceFormat f = traceFormat();
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1, was " + limit);
    }
    return f.read(dirs, step == null ? f.defaultStep() : step, limit);
  }
}
