package dev.presize.spi.host;

import dev.presize.spi.Provider;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.resources.ResourceProfile;
import java.io.IOException;
import java.util.List;
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

  /**
   * Removes the empty groups beside the ones {@link #create} makes whose names are {@code prefix}, the id of the
   * process that made them, then {@code -} and anything: those whose process is gone (a JVM killed with SIGKILL
   * cannot remove its groups). A group with a process in it, or whose maker still runs, is left alone. Returns the
   * names removed; never throws (what cannot be read or removed is left). Default: nothing.
   */
  default List<String> removeAbandoned(String prefix, ProviderContext context) {
    return List.of();
  }
}
