package dev.presize.cli;

import dev.presize.trainer.input.TraceFormat;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How to read trace directories: {@code --format}, {@code --step}, {@code --limit} (the directories come apart). */
final class TraceFormatOptions {

  @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
      description = "presize (our corpus directories), bitbrains (<n>.csv.gz) or google (2019 task CSVs).")
  TraceFormat format;

  @Option(names = "--step", converter = Converters.DurationConverter.class, paramLabel = "DURATION",
      description = "Resampling step of presize traces (default 100ms; the CSV formats have 5 minutes).")
  Duration step;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "2147483647",
      description = "Read at most N series from each directory (Bitbrains: the lowest-numbered files).")
  int limit;

  TraceFormat traceFormat() {
    return format;
  }

  /**
   * Checks the options against each other before anything is read: {@code --limit} at least 1, and a {@code --step}
   * only where it means something (the CSV formats come in 5-minute steps; any other step would be silently
   * ignored). Each failure is a usage error (exit 2) of {@code cl}.
   */
  void check(CommandLine cl) {
    TraceFormat f = traceFormat();
    if (limit < 1) {
      throw new UsageError(cl, "--limit must be >= 1, was " + limit);
    }
    if (step != null && f != TraceFormat.PRESIZE && !step.equals(f.defaultStep())) {
      throw new UsageError(cl, "--step " + Sizes.duration(step) + ": " + f.id() + " traces come in steps of "
          + Sizes.duration(f.defaultStep()) + " and are not resampled; leave --step out");
    }
  }

  /** {@code --format} by name, case-insensitive; an unknown name is a usage error naming the formats. */
  static final class FormatConverter implements CommandLine.ITypeConverter<TraceFormat> {
    @Override
    public TraceFormat convert(String value) {
      try {
        return TraceFormat.of(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /**
   * {@link #check(CommandLine)} and the directories {@code dirs}, given as {@code option} ({@code --traces},
   * {@code --validation}): a path that does not exist or is not a directory is a usage error of {@code cl}. Commands
   * call it before they start (then {@link #read} finds nothing new to refuse but an empty directory).
   */
  void check(CommandLine cl, String option, List<Path> dirs) {
    check(cl);
    for (Path t : dirs) {
      if (!Files.exists(t)) {
        throw new UsageError(cl, option + " " + t + ": no such directory");
      }
      if (!Files.isDirectory(t)) {
        throw new UsageError(cl, option + " " + t + ": not a directory (pass the directory the traces are in)");
      }
    }
  }

  /**
   * Reads the traces in {@code dirs}, given as {@code option}. Usage errors (exit 2) of {@code cl}: what
   * {@link #check(CommandLine, String, List)} refuses, checked before anything is read, and once read a directory
   * with no traces of the format.
   */
  List<Series> read(CommandLine cl, String option, List<Path> dirs) throws IOException {
    check(cl, option, dirs);
    TraceFormat f = traceFormat();
    try {
      return f.read(dirs, step == null ? f.defaultStep() : step, limit);
    } catch (TraceFormat.NoTracesException e) {
      throw new UsageError(cl, option + ": " + e.getMessage());
    }
  }
}
