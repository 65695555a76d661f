package dev.presize.core.registry;

import dev.presize.spi.PresizeException;
import java.util.Optional;

/** A registry operation was refused or failed, with the operation, the model or file, and what to do. */
public final class RegistryException extends PresizeException {

  private static final long serialVersionUID = 1L;

  /** Why an operation was refused or failed: callers (the CLI) map these to exit codes. */
  public enum Problem {
    /** No such model name or version; the message lists what exists. */
    NOT_FOUND,
    /** A version's files do not match its SHA256SUMS, or are missing, or registry state is unreadable. */
    DAMAGED,
    /** The operation does not apply in the version's state (promote a rejected one, rollback with no history). */
    STATE,
    /** Another writer changed the same state concurrently (S3 conditional write lost); retry. */
    CONFLICT,
    /** The storage failed (I/O error, S3 error). */
    IO
  }

  private final Problem problem;

  public RegistryException(Problem problem, String operation, String resource, String message, Throwable cause) {
    super(operation, resource, message, cause);
    this.problem = problem;
  }

  public RegistryException(Problem problem, String operation, String resource, String message) {
    this(problem, operation, resource, message, null);
  }

  /**
   * Opens the current version {@code v} of {@code name} with {@code open}; a damaged or missing current version
   * becomes a DAMAGED error that says how to recover (roll back or promote another version).
   */
  public static VerifiedModel openCurrent(String name, Version v,
      java.util.function.Function<Version, VerifiedModel> open) {
    try {
      return open.apply(v);
    } catch (RegistryException e) {
      if (e.problem() == Problem.DAMAGED || e.problem() == Problem.NOT_FOUND) {
        throw new RegistryException(Problem.DAMAGED, "resolve current", name + "/" + v, "the current version is "
            + "unusable (" + e.getMessage() + "); roll back with `presize models rollback " + name
            + "` or promote another version", e);
      }
      throw e;
    }
  }

  /**
   * Opens {@code version} of {@code name} with {@code open} before {@code op} (promote, rollback) points
   * {@code current} away from it; a damaged version is refused, saying which version stays current.
   */
  public static void verifyBeforeChange(String op, String name, Version version, Optional<Version> current,
      java.util.function.Function<Version, VerifiedModel> open) {
    try {
      open.apply(version);
    } catch (RegistryException e) {
      if (e.problem() != Problem.DAMAGED) {
        throw e;
      }
      String stays = current.map(c -> "the current version stays " + c).orElse("no version is current");
      String advice = op.equals("rollback") ? "; promote another version explicitly" : "";
      throw new RegistryException(Problem.DAMAGED, op, name + "/" + version, "refused, " + version + " is damaged ("
          + e.getMessage() + "); " + stays + advice, e);
    }
  }

  public Problem problem() {
    return problem;
  }
}
