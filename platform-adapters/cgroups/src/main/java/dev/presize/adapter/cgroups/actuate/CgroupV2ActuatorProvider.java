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
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code cgroup-v2} actuator provider: resizes the group named by the target's function id (or its
 * {@code cgroup.name} coordinate) under the parent group in the unified hierarchy
 * ({@code presize.cgroup.actuate.parent}, default this process's own group) through {@code cpu.max},
 * {@code memory.max} and {@code memory.high}. Unsupported when the group lacks those files (on hybrid hosts the
 * controllers are bound to v1). Priority 20.
 */
public final class CgroupV2ActuatorProvider implements ActuatorProvider {

  /** The provider name. */
  public static final String NAME = "cgroup-v2";

  static final List<String> FILES = List.of("cpu.max", "memory.max", "memory.current");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Support probe(ActuationTarget target, ProviderContext context) {
    try {
      return Support.yes("cgroup v2 " + limits(target, context).describe());
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

  static CgroupV2Limits limits(ActuationTarget target, ProviderContext context) {
    CgroupConfig cgroups = CgroupConfig.from(context.config());
    CgroupActuatorConfig config = CgroupActuatorConfig.from(context.config());
    CgroupMounts.Mount mount = cgroups.v2Mounts().v2().orElseThrow(() -> new PresizeException("find cgroup", "v2",
        "no cgroup2 hierarchy is mounted (set " + CgroupConfig.V2_ROOT + " if it is mounted elsewhere)"));
    String parent = config.parent().orElseGet(() -> {
      try {
        String p = ProcCgroups.read(cgroups.selfCgroup()).get("");
        if (p == null) {
          throw new PresizeException("find cgroup", "v2", "this process is in no cgroup v2 group ("
              + cgroups.selfCgroup() + " has no '0::' line); set " + CgroupActuatorConfig.PARENT);
        }
        return p;
      } catch (IOException e) {
        throw new PresizeException("read", cgroups.selfCgroup().toString(), ControlFiles.reason(e), e);
      }
    });
    Path parentDir = GroupDirs.underMount(mount.point(), mount.dir(parent));
    Path dir = GroupDirs.resolve(parentDir, GroupDirs.name(target));
    CgroupV1ActuatorProvider.requireFiles(dir, FILES);
    return new CgroupV2Limits(dir, config.memoryGuardBytes(), config.memoryHighFraction());
  }
}
