package dev.presize.adapter.cgroups.host;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.CgroupMounts;
import dev.presize.adapter.cgroups.ProcCgroups;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.host.ResourceGroup;
import dev.presize.spi.host.ResourceGroupProvider;
import dev.presize.spi.resources.ResourceProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code cgroup-v2} resource group provider: makes a child of this process's own unified group with
 * {@code cpu.max} and {@code memory.max} set.
 *
 * <p>Needs the {@code cpu} and {@code memory} controllers available in this process's group
 * ({@code cgroup.controllers}); it enables them for children in {@code cgroup.subtree_control} if they are not
 * yet. On hybrid hosts where those controllers are bound to v1 it reports itself unsupported. Priority 20.
 */
public final class CgroupV2GroupProvider implements ResourceGroupProvider {

  /** The provider name. */
  public static final String NAME = "cgroup-v2";

  static final List<String> CONTROLLERS = List.of("cpu", "memory");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Support probe(ProviderContext context) {
    try {
      Parent p = parent(CgroupConfig.from(context.config()));
      if (!Files.isWritable(p.dir())) {
        return Support.no("cannot create cgroup v2 groups: " + p.dir() + " (this process's group) is not writable");
      }
      return Support.yes("cgroup v2 groups under " + p.dir());
    } catch (RuntimeException e) {
      return Support.no(e.getMessage());
    }
  }

  /** This process's own unified group, checked to offer the cpu and memory controllers. */
  record Parent(String path, Path dir) {}

  static Parent parent(CgroupConfig config) {
    CgroupMounts.Mount mount = config.v2Mounts().v2().orElseThrow(() -> new PresizeException("find cgroup", "v2",
        "no cgroup2 hierarchy is mounted (set " + CgroupConfig.V2_ROOT + " if it is mounted elsewhere)"));
    String path;
    try {
      path = ProcCgroups.read(config.selfCgroup()).get("");
    } catch (IOException e) {
      throw new PresizeException("read", config.selfCgroup().toString(), CgroupFiles.reason(e), e);
    }
    if (path == null) {
      throw new PresizeException("find cgroup", "v2", "this process is in no cgroup v2 group ("
          + config.selfCgroup() + " has no '0::' line)");
    }
    Path dir = mount.dir(path);
    Path controllersFile = dir.resolve("cgroup.controllers");
    List<String> available = Files.isReadable(controllersFile)
        ? Arrays.asList(CgroupFiles.read(controllersFile).split("\\s+")) : List.of();
    for (String c : CONTROLLERS) {
      if (!available.contains(c)) {
        throw new PresizeException("find cgroup", dir.toString(), "the '" + c + "' controller is not available in "
            + controllersFile + " (found: " + available + "); on hybrid hosts it is bound to cgroup v1");
      }
    }
    return new Parent(path, dir);
  }

  @Override
  public List<String> removeAbandoned(String prefix, ProviderContext context) {
    try {
      return CgroupGroup.removeAbandoned(List.of(parent(CgroupConfig.from(context.config())).dir()), prefix);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public ResourceGroup create(String name, Optional<ResourceProfile> limits, ProviderContext context)
      throws IOException {
    CgroupConfig config = CgroupConfig.from(context.config());
    Parent parent = parent(config);
    enableForChildren(parent.dir());
    List<Path> created = new ArrayList<>();
    String unique = CgroupGroup.createUnique(List.of(parent.dir()), name, created);
    String path = (parent.path().endsWith("/") ? parent.path() : parent.path() + "/") + unique;
    CgroupV2Group group = new CgroupV2Group(unique, path, created.get(0), config.joinShell(), config.removeTimeout(),
        context.ticker());
    try {
      limits.ifPresent(group::apply);
    } catch (RuntimeException e) {
      group.close();
      throw e;
    }
    return group;
  }

  /**
   * Makes sure children of {@code dir} get the cpu and memory controllers. The kernel refuses (EBUSY) when
   * {@code dir} is not the root and has processes of its own ("no internal processes"): the message says so.
   */
  private static void enableForChildren(Path dir) {
    Path subtree = dir.resolve("cgroup.subtree_control");
    List<String> enabled = Files.isReadable(subtree)
        ? Arrays.asList(CgroupFiles.read(subtree).split("\\s+")) : List.of();
    StringBuilder missing = new StringBuilder();
    for (String c : CONTROLLERS) {
      if (!enabled.contains(c)) {
        missing.append(missing.length() == 0 ? "" : " ").append('+').append(c);
      }
    }
    if (missing.length() > 0) {
      try {
        CgroupFiles.write(subtree, missing.toString());
      } catch (PresizeException e) {
        throw new PresizeException("enable controllers", subtree.toString(), e.getMessage()
            + " (a non-root group with processes of its own cannot enable controllers for children: run Presize"
            + " in a leaf of a delegated subtree, e.g. systemd-run --scope -p Delegate=yes)", e);
      }
    }
  }
}
