package dev.presize.core.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One published version of a model as the registry sees it: its state, when it was submitted and last made
 * current, the rejection reason if any, and the model's metadata essentials.
 */
public record ModelVersion(String name, Version version, ModelState state, Instant submittedAt,
    Optional<Instant> promotedAt, Optional<String> reason, ModelInfo model) {

  public ModelVersion {
    ModelNames.check(name);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(submittedAt, "submittedAt");
    Objects.requireNonNull(promotedAt, "promotedAt");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(model, "model");
  }

  /** {@code name/v3}. */
  public String ref() {
    return name + "/" + version;
  }
}
