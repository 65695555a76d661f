package dev.presize.adapter.cgroups.input;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code psi} metric source provider (family {@code pressure}): cumulative stall time ("total=") for CPU,
 * memory and I/O, from the target's cgroup v2 group ({@code cpu.pressure}, {@code memory.pressure},
 * {@code io.pressure}) when it has them, else host-wide from {@code /proc/pressure}.
 *
 * <p>Unsupported on kernels without PSI (before 4.20, or booted with {@code psi=0}).
 */
public final class PsiSourceProvider implements MetricSourceProvider {

  /** The provider name. */
  public static final String NAME = "psi";

  static final String[] FILES = {"cpu.pressure", "memory.pressure", "io.pressure"};
  static final String[] HOST_FILES = {"cpu", "memory", "io"};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String family() {
    return "pressure";
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    try {
      Found f = locate(target, context);
      return Support.yes("PSI of the " + f.scope().name().toLowerCase(java.util.Locale.ROOT) + " at " + f.dir());
    } catch (Layout.Missing m) {
      return Support.no(m.getMessage());
    }
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
    try {
      Found f = locate(target, context);
      String[] names = f.scope() == PsiSource.Scope.CGROUP ? FILES : HOST_FILES;
      return new PsiSource(f.scope(), f.dir(), f.dir().resolve(names[0]), f.dir().resolve(names[1]),
          f.dir().resolve(names[2]));
    } catch (Layout.Missing m) {
      throw Layout.createFailed(NAME, m);
    }
  }

  record Found(PsiSource.Scope scope, Path dir) {}

  static Found locate(SamplingTarget target, ProviderContext context) throws Layout.Missing {
    CgroupConfig config = Layout.config(context);
    String cgroupWhyNot;
    try {
      Path dir = Layout.v2Dir(Layout.mounts(config, false), Layout.groupPaths(config, target), target.pid());
      cgroupWhyNot = missing(dir, FILES);
      if (cgroupWhyNot == null) {
        return new Found(PsiSource.Scope.CGROUP, dir);
      }
    } catch (Layout.Missing m) {
      cgroupWhyNot = m.getMessage();
    }
    Path host = config.hostPressure();
    String hostWhyNot = missing(host, HOST_FILES);
    if (hostWhyNot == null) {
      return new Found(PsiSource.Scope.HOST, host);
    }
    throw new Layout.Missing("no pressure stall information: " + cgroupWhyNot + "; and " + hostWhyNot
        + " (kernel older than 4.20 or booted with psi=0)");
  }

  private static String missing(Path dir, String[] names) {
    for (String n : names) {
      if (!Files.isReadable(dir.resolve(n))) {
        return "no " + dir.resolve(n);
      }
    }
    return null;
  }
}
