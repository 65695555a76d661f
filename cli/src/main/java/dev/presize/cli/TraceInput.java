package dev.presize.cli;

import dev.presize.trainer.input.TraceFormat;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that say which traces to read: {@code --format}, {@code --traces}, {@code --step}, {@code --limit}. */
final class TraceInput {

  @Option(names = "--format", required = true, paramLabel = "FORMAT",
      description = "presize (our corpus directories), bitbrains (<n>.csv.gz) or google (2019 task CSVs).")
  String format;

  @Option(names = "--traces", required = true, arity = "1..*", paramLabel = "DIR",
      description = "One or more trace directories of that format.")
  List<Path> traces;

  @Option(names = "--step", converter = Converters.DurationConverter.class, paramLabel = "DURATION",
      description = "Resampling step of presize traces (default 100ms; the CSV formats have 5 minutes).")
  Duration step;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "2147483647",
      description = "Read at most N series from each directory (Bitbrains: the lowest-numbered files).")
  int limit;

  TraceFormat traceFormat() {
    return TraceFormat.of(format);
  }

  List<Series> read() throws IOException {
    TraceFormat f = traceFormat();
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1, was " + limit);
    }
    return f.read(traces, step == null ? f.defaultStep() : step, limit);
  }

  List<String> traceNames() {
    return traces.stream().map(Path::toString).toList();
  }
}
