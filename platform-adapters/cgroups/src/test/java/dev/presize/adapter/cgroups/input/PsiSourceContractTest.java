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

  /**
   * 4 KiB for 1000 samples: still proves zero allocation per sample (one 16-byte object per sample would be
   * 16,000 B), while absorbing one-off JIT tier-up deoptimizations in the JDK's FileChannel read path, which
   * allocate up to ~840 B during the first ~7000 samples here (the contract warms up for 2000).
   */
  @Override
  protected long allowedAllocationBytes() {
    return 4096;
  }
}
