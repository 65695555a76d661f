package dev.presize.core.registry;

import java.util.Objects;
import java.util.Optional;

/** One model name in a registry: its current version (if any was promoted), latest version and count. */
public record ModelSummary(String name, Optional<Version> current, Version latest, int versions) {

  public ModelSummary {
    ModelNames.check(name);
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(latest, "latest");
    if (versions < 1) {
      throw new IllegalArgumentException("a listed model has at least one version, got " + versions);
    }
  }
}
