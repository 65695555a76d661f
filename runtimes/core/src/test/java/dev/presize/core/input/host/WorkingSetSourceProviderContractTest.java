package dev.presize.core.input.host;

import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.testkit.MetricSourceContract;

/**
 * The metric-source contract for the real {@code working-set} provider on this host's {@code /proc}; the tests
 * that need a running source skip, with the self-test's numbers, where accessed-bit accounting does not work.
 */
class WorkingSetSourceProviderContractTest extends MetricSourceContract {

  @Override
  protected MetricSourceProvider provider() {
    return new WorkingSetSourceProvider();
  }

  @Override
  protected void exercise() {
    byte[] touched = new byte[1 << 20];
    touched[touched.length - 1] = 1;
  }
}
