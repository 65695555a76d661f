package dev.presize.core.input.jvm;

import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.testkit.MetricSourceContract;

/** The metric-source contract for the {@code jfr-phase} provider, with a live JFR stream in this JVM. */
class JfrPhaseSourceProviderContractTest extends MetricSourceContract {

  @Override
  protected MetricSourceProvider provider() {
    return new JfrPhaseSourceProvider();
  }
}
