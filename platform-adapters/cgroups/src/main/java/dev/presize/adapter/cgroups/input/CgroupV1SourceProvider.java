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
import java.util.Map;

/**
 * The {@code cgroup-v1} metric source provider (family {@code cgroup}): CPU usage and throttling from the
 * target's {@code cpuacct} and {@code cpu} groups, memory usage, working set, limit, limit hits and OOM kills
 * from its {@code memory} group.
 *
 * <p>Needs the {@code cpuacct} and {@code memory} controllers on v1 hierarchies; the {@code cpu} controller is
 * optional (without it there are no throttling and limit metrics). Priority 10, below {@code cgroup-v2}: a
 * host where both probe as supported has the controllers on v2 too, and v2 is where they live on.
 */
public final class CgroupV1SourceProvider implements MetricSourceProvider {

  /** The provider name. */
  public static final String NAME = "cgroup-v1";

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
    return 10;
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    try {
      Dirs f = locate(target, context);
      return Support.yes("cgroup v1: cpuacct=" + f.cpuacct + ", memory=" + f.memory
          + (f.cpu == null ? ", no cpu controller (no throttling or limit metrics)" : ", cpu=" + f.cpu));
    } catch (Layout.Missing m) {
      return Support.no(m.getMessage());
    }
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
    try {
      return new CgroupV1Source(locate(target, context));
    } catch (Layout.Missing m) {
      throw Layout.createFailed(NAME, m);
    }
  }

  /** The target's v1 group directories: cpuacct and memory required, cpu optional ({@code null}). */
  record Dirs(Path cpuacct, Path cpu, Path memory) {}

  static Dirs locate(SamplingTarget target, ProviderContext context) throws Layout.Missing {
    CgroupConfig config = Layout.config(context);
    CgroupMounts mounts = Layout.mounts(config, true);
    Map<String, String> paths = Layout.groupPaths(config, target);
    Path cpuacct = Layout.v1Dir(mounts, paths, "cpuacct", target.pid());
    Layout.require(cpuacct, "cpuacct.usage", "v1");
    Path memory = Layout.v1Dir(mounts, paths, "memory", target.pid());
    Layout.require(memory, "memory.usage_in_bytes", "v1");
    Path cpu = null;
    try {
      cpu = Layout.v1Dir(mounts, paths, "cpu", target.pid());
      Layout.require(cpu, "cpu.stat", "v1");
    } catch (Layout.Missing absent) {
      cpu = null; // optional: without the cpu controller the source reports usage but no throttling or limit
    }
    return new Dirs(cpuacct, cpu, memory);
  }
}
