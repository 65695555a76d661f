package dev.presize.core.input.host;

import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.testkit.MetricSourceContract;

/**
 * The metric-source contract for the real {@code perf-counters} provider; the tests that need a running source
 * skip, with the probe's reason, on hosts without perf or a PMU.
 */
class PerfCountersSourceProviderContractTest extends MetricSourceContract {

  @Override
  protected MetricSourceProvider provider() {
    return new PerfCountersSourceProvider();
  }
}
