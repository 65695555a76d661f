package dev.presize.cli;

import dev.presize.trainer.input.TraceFormat;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Files;
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

  /**
   * Reads the traces; a {@code --traces} path that does not exist or is not a directory is a usage error (exit 2)
   * of {@code cl}, checked before anything is read.
   */
  List<Series> read(CommandLine cl) throws IOException {
    for (Path t : traces) {
      if (!Files.exists(t)) {
        throw new UsageError(cl, "--traces " + t + ": no such directory");
      }
      if (!Files.isDirectory(t)) {
        throw new UsageError(cl, "--traces " + t + ": not a directory (pass the directory the traces are in)");
      }
    }
    return options.read(traces);
  }

  List<String> traceNames() {
    return traces.stream().map(Path::toString).toList();
  }
}
