package dev.presize.adapter.cgroups.input;

import dev.presize.adapter.cgroups.CgroupConfig;
import dev.presize.adapter.cgroups.CgroupMounts;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Finds a target's cgroup directories; the shared part of the cgroup providers' probe and create. */
final class Layout {

  private Layout() {}

  /** A file a provider cannot do without is missing; the message says which, for {@link Support#no}. */
  static final class Missing extends Exception {
    private static final long serialVersionUID = 1L;

    Missing(String message) {
      super(message, null, false, false);
    }
  }

  /** The target's group paths, or {@link Missing} when its {@code /proc/<pid>/cgroup} cannot be read. */
  static Map<String, String> groupPaths(CgroupConfig config, SamplingTarget target) throws Missing {
    try {
      return config.groupPaths(target);
    } catch (NoSuchFileException e) {
      throw new Missing("no " + config.procCgroup(target.pid()) + ": process " + target.pid()
          + " does not exist or has exited");
    } catch (IOException e) {
      throw new Missing("cannot read " + config.procCgroup(target.pid()) + ": " + e.getMessage());
    }
  }

  /** The directory of the target's v1 group for {@code controller}, or {@link Missing} naming what is absent. */
  static Path v1Dir(CgroupMounts mounts, Map<String, String> paths, String controller, long pid) throws Missing {
    CgroupMounts.Mount mount = mounts.v1(controller)
        .orElseThrow(() -> new Missing("no cgroup v1 '" + controller + "' hierarchy is mounted (set "
            + CgroupConfig.V1_ROOT + " if it is mounted elsewhere)"));
    String path = paths.get(controller);
    if (path == null) {
      throw new Missing("process " + pid + " is in no cgroup v1 '" + controller + "' group");
    }
    return mount.dir(path);
  }

  /** The directory of the target's v2 group, or {@link Missing}. */
  static Path v2Dir(CgroupMounts mounts, Map<String, String> paths, long pid) throws Missing {
    CgroupMounts.Mount mount = mounts.v2()
        .orElseThrow(() -> new Missing("no cgroup2 hierarchy is mounted (set " + CgroupConfig.V2_ROOT
            + " if it is mounted elsewhere)"));
    String path = paths.get("");
    if (path == null) {
      throw new Missing("process " + pid + " is in no cgroup v2 group (no '0::' line)");
    }
    return mount.dir(path);
  }

  /** {@code dir/name}, or {@link Missing} saying the group lacks it. */
  static Path require(Path dir, String name, String version) throws Missing {
    Path file = dir.resolve(name);
    if (!Files.isReadable(file)) {
      throw new Missing("cgroup " + version + " group " + dir + " lacks " + name);
    }
    return file;
  }

  /** {@code dir/name} if readable, else {@code null}. */
  static Path optional(Path dir, String name) {
    Path file = dir.resolve(name);
    return Files.isReadable(file) ? file : null;
  }

  /** The config of {@code context}, or {@link Missing} when it is malformed or mountinfo cannot be read. */
  static CgroupConfig config(ProviderContext context) throws Missing {
    try {
      return CgroupConfig.from(context.config());
    } catch (RuntimeException e) {
      throw new Missing("bad cgroup configuration: " + e.getMessage());
    }
  }

  /** The v1 (or v2) mounts of {@code config}, or {@link Missing}. */
  static CgroupMounts mounts(CgroupConfig config, boolean v1) throws Missing {
    try {
      return v1 ? config.v1Mounts() : config.v2Mounts();
    } catch (RuntimeException e) {
      throw new Missing("cannot find the cgroup mounts: " + e.getMessage());
    }
  }

  /** A create-time failure: {@link Missing} becomes a {@link PresizeException} naming the provider. */
  static PresizeException createFailed(String provider, Missing m) {
    return new PresizeException("create metric source", provider, m.getMessage(), m);
  }
}
