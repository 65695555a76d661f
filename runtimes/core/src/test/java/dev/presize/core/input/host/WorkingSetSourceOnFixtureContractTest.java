package dev.presize.core.input.host;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.MetricSourceContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric-source contract (allocation-free sampling, idempotent close, ...) for {@link WorkingSetSource} itself,
 * reading a recorded {@code smaps_rollup} and writing a regular file in place of {@code clear_refs}, so its file
 * handling is held to the contract even on hosts where the real provider is unsupported.
 */
class WorkingSetSourceOnFixtureContractTest extends MetricSourceContract {

  @TempDir
  static Path dir;

  @Override
  protected MetricSourceProvider provider() {
    return new MetricSourceProvider() {
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
        return Support.yes("recorded smaps_rollup fixture");
      }

      @Override
      public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
        Path rollup = dir.resolve("smaps_rollup");
        Files.writeString(rollup, Fixtures.text("/smaps/smaps_rollup-jvm.txt"));
        Path clearRefs = Files.createTempFile(dir, "clear_refs", "");
        return new WorkingSetSource(name(), rollup, clearRefs, Duration.ofMillis(500), () -> true);
      }
    };
  }
}
