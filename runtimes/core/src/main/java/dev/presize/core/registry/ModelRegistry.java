package dev.presize.core.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A store of published model versions ({@code presize-model/1} directories) per model name, with a
 * {@code current} pointer per name that is changed atomically (see docs/registry.md).
 *
 * <p>Every version is immutable once published and is verified against its {@code SHA256SUMS} whenever it is
 * promoted, rolled back to or opened; a damaged version is refused with a {@link RegistryException} of problem
 * {@code DAMAGED} and the pointer stays where it was. Names are checked with {@link ModelNames#check} and
 * versions with {@link Version#parse}: bad values are {@link IllegalArgumentException}s naming them. Unknown
 * names or versions are {@code NOT_FOUND} errors listing what exists.
 */
public interface ModelRegistry {

  /**
   * Publishes a model directory as the next version of {@code name}, in state {@link ModelState#CANDIDATE}.
   * The directory is verified first (SHA256SUMS, metadata.json) and copied unchanged; the version becomes
   * visible only complete and verified.
   */
  ModelVersion publish(String name, Path modelDir);

  /** Every model name with at least one version, sorted by name. */
  List<ModelSummary> list();

  /** The versions of {@code name}, oldest first, with their states (no checksum verification). */
  List<ModelVersion> versions(String name);

  /**
   * The current version of {@code name}, verified now; empty if nothing was ever promoted. A current version
   * that no longer verifies is a {@code DAMAGED} error that says to roll back or promote another version.
   */
  Optional<VerifiedModel> current(String name);

  /**
   * Makes {@code version} current after verifying it; the previous current goes on the rollback stack.
   * Refused ({@code STATE}) for a rejected or an already current version, ({@code DAMAGED}) for one that does
   * not verify; the pointer is unchanged then.
   */
  Promotion promote(String name, Version version);

  /**
   * Marks a candidate as rejected with a reason (the validation gate's verdict). Refused ({@code STATE}) for a
   * version that is not a candidate.
   */
  ModelVersion reject(String name, Version version, String reason);

  /**
   * Makes the version that was current before the current one current again, after verifying it. Refused
   * ({@code STATE}) if there is none, ({@code DAMAGED}) if it does not verify.
   */
  Promotion rollback(String name);

  /** One version's files, verified now against its SHA256SUMS, in a local directory. */
  VerifiedModel open(String name, Version version);
}
