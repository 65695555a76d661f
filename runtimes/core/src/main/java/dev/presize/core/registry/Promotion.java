package dev.presize.core.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The outcome of a promotion or a rollback: which version is current now, and which was before. */
public record Promotion(String name, Version current, Optional<Version> previous, Instant at) {

  public Promotion {
    ModelNames.check(name);
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(at, "at");
  }
}
