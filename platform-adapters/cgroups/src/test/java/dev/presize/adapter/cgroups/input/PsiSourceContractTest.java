package dev.presize.adapter.cgroups.input;

import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.testkit.MetricSourceContract;
import org.junit.jupiter.api.DisplayName;

/** The metric source contract for {@code psi}, on this host's real pressure files. */
@DisplayName("psi source: contract on this host's pressure files")
class PsiSourceContractTest extends MetricSourceContract {

  @Override
  protected MetricSourceProvider provider() {
    return new PsiSourceProvider();
  }

}
