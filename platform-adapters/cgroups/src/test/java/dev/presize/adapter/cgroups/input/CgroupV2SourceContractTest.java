package dev.presize.adapter.cgroups.input;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.Fixture;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.MetricSourceContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric source contract for {@code cgroup-v2}, on a {@code @TempDir} tree: this host's v2 hierarchy has
 * no cpu or memory controller (they are bound to v1), so a real v2 group cannot be sampled here.
 */
@DisplayName("cgroup-v2 source: contract on a fixture tree shaped like /sys/fs/cgroup")
class CgroupV2SourceContractTest extends MetricSourceContract {

  @TempDir static Path root;

  @BeforeAll
  static void tree() {
    Fixture.v2Group(root, "/fn", "50000 100000", "536870912");
  }

  @Override
  protected MetricSourceProvider provider() {
    return new CgroupV2SourceProvider();
  }

  @Override
  protected SamplingTarget target() {
    return SamplingTarget.self().withCgroupPaths(Map.of("", "/fn"));
  }

  @Override
  protected ProviderContext context() {
    return Fixture.context(Map.of(CgroupConfig.V2_ROOT, root.toString()));
  }

}
