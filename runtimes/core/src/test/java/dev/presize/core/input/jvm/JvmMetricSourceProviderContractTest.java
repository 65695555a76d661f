package dev.presize.core.input.jvm;

import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.testkit.MetricSourceContract;

/** The metric-source contract for the {@code jvm} provider, with allocation and a GC between samples. */
class JvmMetricSourceProviderContractTest extends MetricSourceContract {

  static volatile Object blackhole;

  @Override
  protected MetricSourceProvider provider() {
    return new JvmMetricSourceProvider();
  }

  @Override
  protected void exercise() {
    for (int i = 0; i < 64; i++) {
      blackhole = new byte[256 * 1024];
    }
    System.gc();
  }
}
