package dev.presize.core.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file that cannot be read as a trace: not a trace at all, a format version this code does not read, or a
 * damaged header. Its message names the file and what is wrong.
 *
 * <p>Damage after the header, where some samples may still be read, is the subclass
 * {@link TraceDamagedException}.
 */
public class TraceFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  public TraceFormatException(Path file, String problem) {
    this(file, problem, null);
  }

  public TraceFormatException(Path file, String problem, Throwable cause) {
    super("trace " + file + ": " + problem, cause);
    this.file = Objects.requireNonNull(file, "file");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The trace file. */
  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String problem() {
    return problem;
  }
}
