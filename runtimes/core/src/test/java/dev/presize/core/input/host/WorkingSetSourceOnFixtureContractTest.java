package dev.presize.core.input.host;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.MetricSourceContract;
import dev.presize.testkit.RecordingSampleWriter;
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

      /**
       * Runs the sample path past C2's compile threshold. Measured with a standalone loop: after C2 compiles
       * the FileChannel read/write path (a few thousand calls in), its first deoptimizations send a few calls
       * through interpreter paths that allocate once (56-712 bytes per 1000 samples, gone by ~20k samples; none
       * at all with -Xint or C1 only). The contract's 2000-sample warm-up ends inside that window.
       */
      private void warmUpJit(WorkingSetSource source) throws IOException {
        RecordingSampleWriter sink = new RecordingSampleWriter();
        for (int i = 0; i < 30_000; i++) {
          source.sample(sink);
        }
      }

      @Override
      public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
        Path rollup = dir.resolve("smaps_rollup");
        Files.writeString(rollup, Fixtures.text("/smaps/smaps_rollup-jvm.txt"));
        Path clearRefs = Files.createTempFile(dir, "clear_refs", "");
        WorkingSetSource source = new WorkingSetSource(name(), rollup, clearRefs, Duration.ofMillis(500), () -> true);
        warmUpJit(source);
        return source;
      }
    };
  }
}
