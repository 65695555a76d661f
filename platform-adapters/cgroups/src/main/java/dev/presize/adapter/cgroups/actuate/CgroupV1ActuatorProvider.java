package dev.presize.adapter.cgroups.actuate;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.CgroupMounts;
import dev.presize.adapter.cgroups.ProcCgroups;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.actuate.ActuationTarget;
import dev.presize.spi.actuate.Actuator;
import dev.presize.spi.actuate.ActuatorProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code cgroup-v1} actuator provider: resizes the group named by the target's function id (or its
 * {@code cgroup.name} coordinate) under the parent group in the {@code cpu} and {@code memory} hierarchies
 * ({@code presize.cgroup.actuate.parent}, default this process's own groups). Priority 10.
 */
public final class CgroupV1ActuatorProvider implements ActuatorProvider {

  /** The provider name. */
  public static final String NAME = "cgroup-v1";

  static final List<String> MEMORY_FILES = List.of("memory.limit_in_bytes", "memory.usage_in_bytes");
  static final List<String> CPU_FILES = List.of("cpu.cfs_quota_us", "cpu.cfs_period_us");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Support probe(ActuationTarget target, ProviderContext context) {
    try {
      CgroupV1Limits limits = limits(target, context);
      return Support.yes("cgroup v1 " + limits.describe());
    } catch (RuntimeException e) {
      return Support.no(e.getMessage());
    }
  }

  @Override
  public Actuator create(ActuationTarget target, ProviderContext context) {
    CgroupActuatorConfig config = CgroupActuatorConfig.from(context.config());
    return new CgroupActuator(target.functionId(), limits(target, context), config.memoryGuardBytes(),
        context.ticker());
  }

  static CgroupV1Limits limits(ActuationTarget target, ProviderContext context) {
    CgroupConfig cgroups = CgroupConfig.from(context.config());
    CgroupActuatorConfig config = CgroupActuatorConfig.from(context.config());
    CgroupMounts mounts = cgroups.v1Mounts();
    String name = GroupDirs.name(target);
    Map<String, String> own = config.parent().isPresent() ? Map.of() : ownGroups(cgroups);
    Path cpu = dir(mounts, own, config, "cpu", name);
    Path memory = dir(mounts, own, config, "memory", name);
    requireFiles(cpu, CPU_FILES);
    requireFiles(memory, MEMORY_FILES);
    return new CgroupV1Limits(cpu, memory);
  }

  private static Map<String, String> ownGroups(CgroupConfig cgroups) {
    try {
      return ProcCgroups.read(cgroups.selfCgroup());
    } catch (IOException e) {
      throw new PresizeException("read", cgroups.selfCgroup().toString(), ControlFiles.reason(e), e);
    }
  }

  private static Path dir(CgroupMounts mounts, Map<String, String> own, CgroupActuatorConfig config,
      String controller, String name) {
    CgroupMounts.Mount mount = mounts.v1(controller).orElseThrow(() -> new PresizeException("find cgroup",
        controller, "no cgroup v1 '" + controller + "' hierarchy is mounted (set " + CgroupConfig.V1_ROOT
            + " if it is mounted elsewhere)"));
    String parent = config.parent().orElseGet(() -> {
      String p = own.get(controller);
      if (p == null) {
        throw new PresizeException("find cgroup", controller, "this process is in no cgroup v1 '" + controller
            + "' group; set " + CgroupActuatorConfig.PARENT);
      }
      return p;
    });
    Path parentDir = GroupDirs.underMount(mount.point(), mount.dir(parent));
    return GroupDirs.resolve(parentDir, name);
  }

  static void requireFiles(Path dir, List<String> files) {
    for (String f : files) {
      Path p = dir.resolve(f);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new PresizeException("find cgroup", dir.toString(), "has no " + f
            + (Files.isSymbolicLink(p) ? " (it is a symbolic link)" : ""));
      }
    }
  }
}
