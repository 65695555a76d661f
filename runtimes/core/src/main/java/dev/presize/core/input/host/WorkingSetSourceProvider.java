package dev.presize.core.input.host;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The provider of the accessed-bit working-set source ({@code working-set}, family {@code working-set}): the
 * target's {@code smaps_rollup} {@code Referenced} bytes, reset with {@code clear_refs}, every
 * {@value #INTERVAL_KEY} (default 500 ms).
 *
 * <p>The probe runs a self-test once per JVM and boot (see {@link AccessedBitSelfTest}): kernels and VMs where
 * {@code clear_refs} does not reset what {@code Referenced} reports are refused with the numbers measured.
 */
public final class WorkingSetSourceProvider implements MetricSourceProvider {

  /** Config key of the measurement interval (a duration such as {@code 500ms}). */
  public static final String INTERVAL_KEY = "presize.sampling.working-set.interval";

  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

  private static final ProbeCache SELF_TEST = new ProbeCache(AccessedBitSelfTest::probeSelf);

  @Override
  public String name() {
    return "working-set";
  }

  @Override
  public String family() {
    return "working-set";
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    try {
      Path proc = Path.of("/proc", Long.toString(target.pid()));
      if (!Files.isReadable(proc.resolve("smaps_rollup"))) {
        return Support.no("no readable " + proc.resolve("smaps_rollup")
            + ": process gone, kernel older than 4.14, or not permitted to read it");
      }
      if (!Files.isWritable(proc.resolve("clear_refs"))) {
        return Support.no(proc.resolve("clear_refs") + " is missing or not writable: cannot reset accessed bits"
            + " (needs the same user as the target, or root)");
      }
      context.config().getPositiveDuration(INTERVAL_KEY, DEFAULT_INTERVAL);
      return SELF_TEST.get();
    } catch (RuntimeException e) {
      return Support.no("working-set probe failed: " + e.getMessage());
    }
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
    Duration interval = context.config().getPositiveDuration(INTERVAL_KEY, DEFAULT_INTERVAL);
    Path proc = Path.of("/proc", Long.toString(target.pid()));
    Optional<ProcessHandle> handle = ProcessHandle.of(target.pid());
    if (handle.isEmpty()) {
      throw new IOException("working-set: process " + target.pid() + " does not exist");
    }
    ProcessHandle process = handle.get();
    return new WorkingSetSource(name(), proc.resolve("smaps_rollup"), proc.resolve("clear_refs"), interval,
        process::isAlive);
  }
}
