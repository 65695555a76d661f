package dev.presize.cli;

import dev.presize.trainer.input.TraceFormat;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that say which traces to read: {@code --traces} and the {@link TraceFormatOptions}. */
final class TraceInput {

  @Mixin
  TraceFormatOptions options;

  @Option(names = "--traces", required = true, arity = "1..*", paramLabel = "DIR",
      description = "One or more trace directories of that format.")
  List<Path> traces;

  TraceFormat traceFormat() {
    return options.traceFormat();
  }

  /** Refuses a bad {@code --traces} directory or format option as a usage error of {@code cl}, reading nothing. */
  void check(CommandLine cl) {
    options.check(cl, "--traces", traces);
  }

  /** Reads the traces ({@link TraceFormatOptions#read}: a bad directory or option is a usage error of {@code cl}). */
  List<Series> read(CommandLine cl) throws IOException {
    return options.read(cl, "--traces", traces);
  }

  List<String> traceNames() {
    return traces.stream().map(Path::toString).toList();
  }
}
