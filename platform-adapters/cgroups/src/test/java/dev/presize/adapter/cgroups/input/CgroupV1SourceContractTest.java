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

}
