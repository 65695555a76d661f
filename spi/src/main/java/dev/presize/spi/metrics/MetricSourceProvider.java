package dev.presize.spi.metrics;

import dev.presize.spi.Provider;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import java.io.IOException;

/**
 * Creates a {@link MetricSource} for a target. Discovered with {@link java.util.ServiceLoader}.
 *
 * <p>Sources are grouped by {@link #family()}: the sampler uses one provider per family (for example exactly one
 * of {@code cgroup-v1} and {@code cgroup-v2} in family {@code cgroup}), chosen by the usual registry rule, and
 * every family that has a supported provider.
 */
public interface MetricSourceProvider extends Provider {

  /** What this source measures, e.g. {@code process}, {@code network}, {@code cgroup}, {@code jvm}. */
  String family();

  /**
   * Whether this host can sample {@code target} with this source. Cheap (a few file checks at most), never
   * throws, and when unsupported names what is missing (e.g. "no /proc/1234/io: kernel without task I/O
   * accounting").
   */
  Support probe(SamplingTarget target, ProviderContext context);

  /**
   * Opens the source. Called once, on any thread, before sampling starts.
   *
   * @throws IOException when the target's files cannot be opened
   */
  MetricSource create(SamplingTarget target, ProviderContext context) throws IOException;
}
