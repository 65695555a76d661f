package dev.presize.adapter.cgroups.input;

import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.testkit.MetricSourceContract;
import org.junit.jupiter.api.DisplayName;

/** The metric source contract for {@code cgroup-v1}, sampling this JVM's real v1 groups. */
@DisplayName("cgroup-v1 source: contract on this JVM's own groups")
class CgroupV1SourceContractTest extends MetricSourceContract {

  @Override
  protected MetricSourceProvider provider() {
    return new CgroupV1SourceProvider();
  }

  @Override
  protected void exercise() {
    long x = 0;
    for (int i = 0; i < 2_000_000; i++) {
      x += i * 31L ^ x;
    }
    if (x == 42) {
      throw new AssertionError("keeps the loop from being removed");
    }
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
