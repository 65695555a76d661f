package dev.presize.core.input.proc;

import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.testkit.MetricSourceContract;

/** The netdev source keeps the metric-source contract, sampling this JVM's namespace. */
class NetDevSourceContractTest extends MetricSourceContract {

  @Override
  protected MetricSourceProvider provider() {
    return new NetDevSourceProvider();
  }
}
