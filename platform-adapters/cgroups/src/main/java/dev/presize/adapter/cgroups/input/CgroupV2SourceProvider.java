package dev.presize.adapter.cgroups.input;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.CgroupMounts;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code cgroup-v2} metric source provider (family {@code cgroup}): CPU usage and throttling from
 * {@code cpu.stat}, the CPU limit from {@code cpu.max}, memory from {@code memory.current}, {@code memory.max},
 * {@code memory.events} and {@code memory.stat} of the target's unified group.
 *
 * <p>Supported only where the target's group really has the controllers: it must have {@code cpu.stat} and
 * {@code memory.current} (a hybrid host that binds memory to v1 has no {@code memory.current} in v2). Without
 * the cpu controller ({@code cpu.max} absent) there are no throttling or limit metrics. Priority 20, above
 * {@code cgroup-v1}.
 */
public final class CgroupV2SourceProvider implements MetricSourceProvider {

  /** The provider name. */
  public static final String NAME = "cgroup-v2";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String family() {
    return "cgroup";
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    try {
      Path dir = locate(target, context);
      return Support.yes("cgroup v2: " + dir
          + (Layout.optional(dir, "cpu.max") == null ? " (no cpu controller: no throttling or limit metrics)" : ""));
    } catch (Layout.Missing m) {
      return Support.no(m.getMessage());
    }
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
    try {
      return new CgroupV2Source(locate(target, context));
    } catch (Layout.Missing m) {
      throw Layout.createFailed(NAME, m);
    }
  }

  /** The target's v2 group directory, with the files the source cannot do without checked. */
  static Path locate(SamplingTarget target, ProviderContext context) throws Layout.Missing {
    CgroupConfig config = Layout.config(context);
    CgroupMounts mounts = Layout.mounts(config, false);
    Path dir = Layout.v2Dir(mounts, Layout.groupPaths(config, target), target.pid());
    for (String required : new String[] {"cpu.stat", "memory.current", "memory.max", "memory.events",
        "memory.stat"}) {
      Layout.require(dir, required, "v2");
    }
    return dir;
  }
}
