package dev.presize.trainer.input;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An input file whose content cannot be read as its format: a malformed line, a truncated gzip stream, a missing
 * column. The message names the file and, where there is one, the 1-based line number.
 */
public final class InputDataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;

  /**
   * @param file the file being read
   * @param line the 1-based line number of the problem, or 0 when it concerns no single line
   * @param problem what is wrong
   * @param cause the underlying exception, or {@code null}
   */
  public InputDataException(Path file, long line, String problem, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  /** The file being read. */
  public Path file() {
    return file;
  }

  /** The 1-based line number of the problem, or 0 when it concerns no single line. */
  public long line() {
    return line;
  }
}
