package dev.presize.adapter.cgroups.actuate;

import dev.presize.spi.PresizeException;
import dev.presize.spi.actuate.ActuationTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a function's group directory under a configured parent so that no function id can reach outside it:
 * the name must be one plain path segment, the resolved path's parent must be the parent, the directory must not
 * be a symbolic link, and its real path must lie under the parent's real path.
 */
final class GroupDirs {

  /** Longest group name accepted. */
  static final int MAX_NAME_LENGTH = 128;

  /** Coordinate naming the group when it is not the function id (e.g. a {@code ResourceGroup.name()}). */
  static final String NAME_COORDINATE = "cgroup.name";

  private GroupDirs() {}

  /** The group name of {@code target}: its {@code cgroup.name} coordinate, else its function id. */
  static String name(ActuationTarget target) {
    return target.coordinates().getOrDefault(NAME_COORDINATE, target.functionId());
  }

  /**
   * Checks {@code name} is one safe path segment: 1..128 characters of letters, digits, {@code _ - .}, not
   * starting with a dot (so not {@code .} or {@code ..}); no {@code /}, no NUL.
   *
   * @throws IllegalArgumentException naming the id and the rule it breaks
   */
  static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("function id is empty");
    }
    String shown = name.length() > 40 ? name.substring(0, 40) + "...(" + name.length() + " chars)" : name;
    shown = shown.replace("\0", "\\0");
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("function id '" + shown + "' is longer than " + MAX_NAME_LENGTH);
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("function id '" + shown + "' contains NUL");
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("function id '" + shown + "' contains a path separator");
    }
    if (name.startsWith(".")) {
      throw new IllegalArgumentException("function id '" + shown + "' starts with '.' (no '.', '..' or hidden names)");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
          || c == '-' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException("function id '" + shown + "' has '" + c + "' (allowed: letters, digits, "
            + "_ - .)");
      }
    }
    return name;
  }

  /**
   * The existing directory {@code parent/name}, checked to be inside {@code parent}.
   *
   * @throws PresizeException naming the function, the path and why it is refused
   */
  static Path resolve(Path parent, String name) {
    try {
      checkName(name);
    } catch (IllegalArgumentException e) {
      throw new PresizeException("resolve cgroup", parent.toString(), e.getMessage());
    }
    Path root = parent.toAbsolutePath().normalize();
    Path dir = root.resolve(name).normalize();
    if (!root.equals(dir.getParent())) {
      throw new PresizeException("resolve cgroup", dir.toString(), "not a direct child of " + root);
    }
    if (Files.isSymbolicLink(dir)) {
      throw new PresizeException("resolve cgroup", dir.toString(), "is a symbolic link; refusing to follow it");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new PresizeException("resolve cgroup", dir.toString(), "no such group (create it first, e.g. with the "
          + "cgroup resource group provider)");
    }
    try {
      Path realRoot = root.toRealPath();
      Path realDir = dir.toRealPath();
      if (!realDir.startsWith(realRoot) || realDir.equals(realRoot)) {
        throw new PresizeException("resolve cgroup", dir.toString(), "resolves to " + realDir + ", outside "
            + realRoot);
      }
      return realDir;
    } catch (IOException e) {
      throw new PresizeException("resolve cgroup", dir.toString(), ControlFiles.reason(e), e);
    }
  }

  /** {@code mountPoint/groupPath}, checked to stay inside the mount (a configured parent cannot climb out). */
  static Path underMount(Path mountPoint, Path dir) {
    Path m = mountPoint.toAbsolutePath().normalize();
    Path d = dir.toAbsolutePath().normalize();
    if (!d.startsWith(m)) {
      throw new PresizeException("resolve cgroup", d.toString(), "outside the cgroup mount " + m);
    }
    return d;
  }
}
