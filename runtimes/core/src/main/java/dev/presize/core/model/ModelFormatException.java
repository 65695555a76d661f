package dev.presize.core.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model file or model directory that cannot be used: damaged or truncated JSON, a checksum that does not match,
 * a missing or unexpected file, or a model this code does not evaluate (an unsupported objective, booster or split
 * kind). Its message names the file and what is wrong; nothing is half-loaded when it is thrown.
 */
public class ModelFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  public ModelFormatException(Path file, String problem) {
    this(file, problem, null);
  }

  public ModelFormatException(Path file, String problem, Throwable cause) {
    super("model " + file + ": " + problem, cause);
    this.file = Objects.requireNonNull(file, "file");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The file (or directory) that was refused. */
  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String problem() {
    return problem;
  }
}
