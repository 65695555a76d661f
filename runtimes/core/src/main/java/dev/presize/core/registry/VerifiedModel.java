package dev.presize.core.registry;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model version whose files were checked against its SHA256SUMS just now, and the local directory holding
 * them (a {@code presize-model/1} directory, plus the registry's {@code state.json} for a filesystem registry).
 */
public record VerifiedModel(ModelVersion version, Path directory) {

  public VerifiedModel {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(directory, "directory");
  }
}
