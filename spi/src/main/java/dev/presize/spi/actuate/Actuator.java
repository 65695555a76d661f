package dev.presize.spi.actuate;

import dev.presize.spi.resources.ResourceProfile;
import java.util.Optional;

/**
 * Applies resource profiles to one function instance through its platform (cgroups, Kubernetes, Lambda, ...).
 *
 * <p><b>Threading.</b> Called on the actuation thread, never on the sampler thread; one call at a time. May block
 * up to the implementation's configured timeout.
 *
 * <p><b>Errors.</b> Platform errors are returned as {@link ActuationResult.Failed}, never thrown; an exception
 * means a programming error. An actuator must never set memory below what the target uses now plus a guard:
 * such requests come back {@link ActuationResult.Rejected}.
 */
public interface Actuator extends AutoCloseable {

  /** Applies {@code requested}, or says why not. */
  ActuationResult apply(ResourceProfile requested);

  /** The profile in force as the platform reports it, if it can be read. */
  Optional<ResourceProfile> current();

  /** Releases clients. Idempotent; never throws. */
  @Override
  default void close() {}
}
