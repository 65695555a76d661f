package dev.presize.local;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.host.ResourceGroupProvider;

/** Whether the tests that need real cgroups can run on this host. */
public final class CgroupsHere {

  /** The message of the assumption that skips a test where {@link #writable()} is false. */
  public static final String MISSING = "no writable cgroup hierarchy on this host (needs root and cgroup v1/v2)";

  private CgroupsHere() {
  }

  /** A resource-group provider (cgroup v1 or v2) can create and limit groups here. */
  public static boolean writable() {
    var ctx = ProviderContext.of(ConfigProperties.empty());
    return ProviderRegistry.load(ResourceGroupProvider.class).all().stream().anyMatch(p -> p.probe(ctx).supported());
  }
}
