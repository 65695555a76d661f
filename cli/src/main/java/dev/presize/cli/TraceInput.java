package dev.presize.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.presize.trainer.input.TraceFormat;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.ModelFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that say which traces to read: {@code --traces} and the {@link TraceFormatOptions}; and the checks
 * every command makes of the paths it is given (read or written) before it starts work, and the words it uses for a
 * file that is not the JSON it should be.
 */
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

  /**
   * Refuses {@code dir}, given as {@code option} (an option or a parameter label), unless it is an existing directory:
   * a usage error of {@code cl} saying whether it does not exist or is a file.
   */
  static void requireDirectory(CommandLine cl, String option, Path dir) {
    if (!Files.exists(dir)) {
      throw new UsageError(cl, option + " " + dir + ": no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageError(cl, option + " " + dir + ": not a directory");
    }
  }

  /** Refuses {@code file}, given as {@code option}, unless it exists and is not a directory (usage error of cl). */
  static void requireFile(CommandLine cl, String option, Path file) {
    if (!Files.exists(file)) {
      throw new UsageError(cl, option + " " + file + ": no such file");
    }
    if (Files.isDirectory(file)) {
      throw new UsageError(cl, option + " " + file + ": is a directory, not a file");
    }
  }

  /**
   * Refuses a model directory to write, {@code option} {@code dir}, before any work: one that exists and is not empty
   * (a model is never overwritten) or that cannot be created or written ({@link #requireCreatable}); usage errors of
   * {@code cl}.
   */
  static void requireNewModelDir(CommandLine cl, String option, Path dir) throws IOException {
    try {
      ModelFiles.checkWritable(dir);
    } catch (FileAlreadyExistsException e) {
      throw new UsageError(cl, option + " " + dir + ": " + e.getReason());
    }
    requireCreatable(cl, option, dir, true);
  }

  static void requireCreatable(CommandLine cl, String option, Path dir) throws IOException {
    requireCreatable(cl, option, dir, false);
  }

  /**
   * Refuses an output directory, {@code option} {@code dir}, that could not be written at the end of the command: a
   * usage error of {@code cl} when a part of its path is a file, or when its missing directories cannot be created or
   * a file cannot be created in it (tried, then removed again: nothing is left behind), nor, with {@code besideToo},
   * a directory beside it (a model is written in a temporary directory beside its target, then renamed into place).
   * Another command making the same directories at once is no error: what it made is left to it.
   */
  static void requireCreatable(CommandLine cl, String option, Path dir, boolean besideToo) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    Deque<Path> missing = new ArrayDeque<>();
    Path existing = target;
    while (existing != null && !Files.exists(existing)) {
      missing.push(existing);
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new UsageError(cl, option + " " + dir + ": " + (existing.equals(target) ? "" : existing + " ")
          + "is a file, not a directory");
    }
    Deque<Path> created = new ArrayDeque<>();
    try {
      for (Path p : missing) {
        try {
          Files.createDirectory(p);
          created.push(p);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(p)) {
            throw new UsageError(cl, option + " " + dir + ": " + p + " is a file, not a directory");
          }
        } catch (IOException e) {
          throw new UsageError(cl, option + " " + dir + ": cannot create " + p + " (" + reason(e) + ")");
        }
      }
      try {
        Files.delete(Files.createTempFile(target, ".presize-write-check-", ""));
      } catch (IOException e) {
        throw new UsageError(cl, option + " " + dir + ": cannot write in it (" + reason(e) + ")");
      }
      Path parent = target.getParent();
      if (besideToo && parent != null) {
        try {
          Files.delete(Files.createTempDirectory(parent, ".presize-write-check-"));
        } catch (IOException e) {
          throw new UsageError(cl, option + " " + dir + ": cannot write in " + parent + ", where the model is made"
              + " before it is renamed into place (" + reason(e) + ")");
        }
      }
    } finally {
      for (Path p : created) { // the directories it made, deepest first
        try {
          Files.delete(p);
        } catch (java.nio.file.DirectoryNotEmptyException | NoSuchFileException e) {
          // another command writes there now: its directory, left to it
        }
      }
    }
  }

  /** Why a file operation failed, in words ({@code permission denied}), without the exception's class or path. */
  private static String reason(IOException e) {
    return e instanceof AccessDeniedException ? "permission denied"
        : e instanceof NoSuchFileException ? "no such file or directory"
        : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
        : e.getMessage();
  }

  /**
   * The usage error of {@code cl} for a model directory, given as {@code option}, that is not a valid model: naming it
   * and what is wrong, a {@code metadata.json} that is not JSON in plain words ({@link #describe}).
   */
  static UsageError badModel(CommandLine cl, String option, Path dir, ModelFiles.ModelFormatException e) {
    String why = e.getCause() instanceof JsonProcessingException j ? describe(ModelFiles.METADATA, 0, j)
        : e.getMessage();
    return new UsageError(cl, option + " " + dir + ": " + why);
  }

  private static final Pattern TOKEN = Pattern.compile("(?:Unrecognized token|Unexpected character \\()\\s*'([^']*)'");

  /**
   * What is wrong with the JSON document in {@code file}, in plain words and without Jackson's class names or source
   * description: {@code g.jsonl line 1, column 1: not JSON (unexpected 'garbage')},
   * {@code corpus.json: missing field host}. {@code line}, when above 0, is the line of a JSON-lines file the document
   * was (the parser's own line is then always 1).
   */
  static String describe(Object file, long line, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    long lineNr = line > 0 ? line : at == null ? 0 : at.getLineNr();
    String where = e instanceof StreamReadException && at != null && lineNr > 0
        ? " line " + lineNr + ", column " + at.getColumnNr() : line > 0 ? " line " + line : "";
    return file + where + ": " + problem(e);
  }

  private static String problem(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof StreamReadException) {
      Matcher m = TOKEN.matcher(original);
      String what = m.find() ? "unexpected '" + m.group(1) + "'"
          : original.contains("end-of-input") ? "it ends early"
          : firstClause(original);
      return "not JSON (" + what + ")";
    }
    String field = "";
    if (e instanceof JsonMappingException mapping) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference r : mapping.getPath()) {
        path.append(path.length() == 0 ? "" : ".")
            .append(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
      }
      field = path.toString();
    }
    Matcher missing = Pattern.compile("Missing required creator property '([^']*)'").matcher(original);
    if (missing.find()) {
      return "missing field " + missing.group(1);
    }
    // a record's compact constructor refusing a null: Objects.requireNonNull(x, "x")
    if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException npe) {
      return npe.getMessage() != null && npe.getMessage().matches("\\w+") ? "missing field " + npe.getMessage()
          : "a required field is missing";
    }
    if (e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null) {
      return e.getCause().getMessage();
    }
    return (field.isEmpty() ? "" : "field " + field + ": ") + firstClause(original);
  }

  private static String firstClause(String message) {
    String first = message.lines().findFirst().orElse("").strip();
    int colon = first.indexOf(':');
    return colon > 0 ? first.substring(0, colon) : first;
  }
}
