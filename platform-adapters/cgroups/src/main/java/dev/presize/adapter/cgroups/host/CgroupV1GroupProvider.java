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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code cgroup-v1} resource group provider: makes a child of this process's own group in each of the
 * {@code cpu}, {@code cpuacct} and {@code memory} hierarchies (and {@code pids} where mounted), never at a
 * hierarchy root unless this process is there, and applies a CFS quota and a memory limit.
 */
public final class CgroupV1GroupProvider implements ResourceGroupProvider {

  /** The provider name. */
  public static final String NAME = "cgroup-v1";

  static final List<String> REQUIRED = List.of("cpu", "cpuacct", "memory");
  static final List<String> OPTIONAL = List.of("pids");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Support probe(ProviderContext context) {
    try {
      Map<String, Path> parents = parents(CgroupConfig.from(context.config()));
      for (Map.Entry<String, Path> e : parents.entrySet()) {
        if (!Files.isWritable(e.getValue())) {
          return Support.no("cannot create cgroup v1 groups: " + e.getValue() + " (this process's '" + e.getKey()
              + "' group) is not writable; run as root or in a delegated group");
        }
      }
      return Support.yes("cgroup v1 groups under " + parents);
    } catch (RuntimeException e) {
      return Support.no(e.getMessage());
    }
  }

  /**
   * This process's own group directory per controller: required ones or an exception naming what is missing;
   * optional ones when mounted.
   */
  static Map<String, Path> parents(CgroupConfig config) {
    CgroupMounts mounts = config.v1Mounts();
    Map<String, String> own;
    try {
      own = ProcCgroups.read(config.selfCgroup());
    } catch (IOException e) {
      throw new PresizeException("read", config.selfCgroup().toString(), CgroupFiles.reason(e), e);
    }
    Map<String, Path> parents = new LinkedHashMap<>();
    for (String controller : REQUIRED) {
      CgroupMounts.Mount mount = mounts.v1(controller).orElseThrow(() -> new PresizeException("find cgroup",
          controller, "no cgroup v1 '" + controller + "' hierarchy is mounted (set " + CgroupConfig.V1_ROOT
              + " if it is mounted elsewhere)"));
      String path = own.get(controller);
      if (path == null) {
        throw new PresizeException("find cgroup", controller,
            "this process is in no cgroup v1 '" + controller + "' group (" + config.selfCgroup() + ")");
      }
      parents.put(controller, mount.dir(path));
    }
    for (String controller : OPTIONAL) {
      Optional<CgroupMounts.Mount> mount = mounts.v1(controller);
      String path = own.get(controller);
      if (mount.isPresent() && path != null && Files.isWritable(mount.get().dir(path))) {
        parents.put(controller, mount.get().dir(path));
      }
    }
    return parents;
  }

  @Override
  public List<String> removeAbandoned(String prefix, ProviderContext context) {
    try {
      return CgroupGroup.removeAbandoned(parents(CgroupConfig.from(context.config())).values().stream().distinct()
          .toList(), prefix);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public ResourceGroup create(String name, Optional<ResourceProfile> limits, ProviderContext context)
      throws IOException {
    CgroupConfig config = CgroupConfig.from(context.config());
    Map<String, Path> parents = parents(config);
    Map<String, String> own = ProcCgroups.read(config.selfCgroup());
    List<Path> distinctParents = parents.values().stream().distinct().toList(); // co-mounted cpu,cpuacct: once
    List<Path> created = new ArrayList<>();
    String unique = CgroupGroup.createUnique(distinctParents, name, created);
    Map<String, String> paths = new LinkedHashMap<>();
    for (String controller : parents.keySet()) {
      String parent = own.get(controller);
      paths.put(controller, (parent.endsWith("/") ? parent : parent + "/") + unique);
    }
    CgroupV1Group group = new CgroupV1Group(unique, paths, created, parents.get("cpu").resolve(unique),
        parents.get("memory").resolve(unique), config.joinShell(), config.removeTimeout(), context.ticker());
    try {
      limits.ifPresent(group::apply);
    } catch (RuntimeException e) {
      group.close();
      throw e;
    }
    return group;
  }
}
