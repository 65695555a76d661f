package dev.presize.spi.host;

import dev.presize.spi.Provider;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.resources.ResourceProfile;
import java.io.IOException;
import java.util.Optional;

/** Creates {@link ResourceGroup}s (cgroup v1 or v2). Discovered with ServiceLoader. */
public interface ResourceGroupProvider extends Provider {

  /** Whether groups can be created here (hierarchy mounted and writable). Cheap; never throws. */
  Support probe(ProviderContext context);

  /**
   * Creates a group named {@code name} (under this process's own group) with {@code limits} applied, or no
   * limits when empty.
   */
  ResourceGroup create(String name, Optional<ResourceProfile> limits, ProviderContext context) throws IOException;
}
