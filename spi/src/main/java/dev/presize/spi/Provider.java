package dev.presize.spi;

/**
 * A discovered factory for one kind of Presize service, with a stable name and a priority.
 *
 * <p>Each provider kind (metric sources, predictors, actuators, checkpointers, resource groups) adds a cheap
 * {@code probe(...)} that says whether this host can run it, and a {@code create(...)} that makes the service.
 * Providers are stateless and thread-safe; {@link ProviderRegistry} chooses among them.
 */
public interface Provider {

  /** The stable name users select this provider by, e.g. {@code "cgroup-v1"}: lower-case, no spaces. */
  String name();

  /** Higher wins among supported providers when none is selected by name. Ties warn. */
  default int priority() {
    return 0;
  }
}
