package dev.presize.core.input.host;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.MetricSourceContract;

/**
 * The metric-source contract (allocation-free sampling, monotonic counters, idempotent close) for
 * {@link PerfCountersSource} fed with perf output of a PMU host instead of a live perf process.
 */
class PerfCountersSourceOnRecordedOutputContractTest extends MetricSourceContract {

  @Override
  protected MetricSourceProvider provider() {
    return new MetricSourceProvider() {
      @Override
      public String name() {
        return "perf-counters";
      }

      @Override
      public String family() {
        return "instruction-mix";
      }

      @Override
      public Support probe(SamplingTarget target, ProviderContext context) {
        return Support.yes("perf output fixture");
      }

      @Override
      public MetricSource create(SamplingTarget target, ProviderContext context) {
        PerfCountersSource source = PerfCountersSourceTest.fedWith("/perf/perf-stat-I100-pmu.csv");
        try {
          PerfCountersSourceTest.awaitFinished(source);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
        return source;
      }
    };
  }
}
