package dev.presize.adapter.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the cgroup hierarchies are mounted: one mount per v1 controller (co-mounted controllers such as
 * {@code cpu,cpuacct} share one) and the cgroup2 mount, if any.
 *
 * @param v1 v1 controller name ({@code memory}, {@code cpu}, {@code name=systemd}) to its mount
 * @param v2 the cgroup2 mount
 */
public record CgroupMounts(Map<String, Mount> v1, Optional<Mount> v2) {

  /**
   * v1 shows "no limit" as the largest page-aligned long (9223372036854771712 with 4 KiB pages, a little less with
   * 64 KiB pages): a limit read at or above this is none.
   */
  public static final long V1_NO_LIMIT_FROM = 1L << 62;

  /** No hierarchy mounted. */
  public static final CgroupMounts NONE = new CgroupMounts(Map.of(), Optional.empty());

  /** The v1 controllers this adapter recognises in mount options (others, like {@code rw}, are options). */
  static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
      "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

  public CgroupMounts {
    v1 = Map.copyOf(v1);
    Objects.requireNonNull(v2, "v2");
  }

  /**
   * One mounted hierarchy.
   *
   * @param point where it is mounted
   * @param root the hierarchy path shown at {@code point} (field 4 of mountinfo; {@code /} unless the mount is
   *     of a sub-group, as inside some containers)
   */
  public record Mount(Path point, String root) {
    public Mount {
      Objects.requireNonNull(point, "point");
      Objects.requireNonNull(root, "root");
    }

    /** A mount of the whole hierarchy at {@code point}. */
    public static Mount at(Path point) {
      return new Mount(point, "/");
    }

    /**
     * The directory of the group at {@code groupPath} (as {@code /proc/<pid>/cgroup} shows it), e.g.
     * {@code /process_api/ab12} under {@code /sys/fs/cgroup/memory}.
     */
    public Path dir(String groupPath) {
      String rel = groupPath;
      if (!"/".equals(root) && (rel.equals(root) || rel.startsWith(root + "/"))) {
        rel = rel.substring(root.length());
      }
      while (rel.startsWith("/")) {
        rel = rel.substring(1);
      }
      return rel.isEmpty() ? point : point.resolve(rel);
    }
  }

  /** The mount of v1 controller {@code controller}, if mounted. */
  public Optional<Mount> v1(String controller) {
    return Optional.ofNullable(v1.get(controller));
  }

  /**
   * Parses {@code /proc/self/mountinfo} text: {@code id parent maj:min root point options [tags] - type source
   * superoptions}; cgroup v1 controllers are read from the super options, octal escapes in paths are decoded.
   */
  public static CgroupMounts parse(String mountinfo) {
    Map<String, Mount> v1 = new TreeMap<>();
    Mount v2 = null;
    for (String line : mountinfo.split("\n")) {
      int sep = line.indexOf(" - ");
      if (sep < 0) {
        continue; // not a mount line (blank trailing line)
      }
      String[] head = line.substring(0, sep).split(" ");
      String[] tail = line.substring(sep + 3).split(" ");
      if (head.length < 5 || tail.length < 1) {
        continue; // malformed; mountinfo is written by the kernel, so this is a truncated read at worst
      }
      Mount mount = new Mount(Path.of(unescape(head[4])), unescape(head[3]));
      if ("cgroup2".equals(tail[0])) {
        if (v2 == null) {
          v2 = mount;
        }
      } else if ("cgroup".equals(tail[0]) && tail.length >= 3) {
        for (String option : tail[2].split(",")) {
          if (V1_CONTROLLERS.contains(option) || option.startsWith("name=")) {
            v1.putIfAbsent(option, mount);
          }
        }
      }
    }
    return new CgroupMounts(v1, Optional.ofNullable(v2));
  }

  /** Reads and parses a mountinfo file. */
  public static CgroupMounts readMountinfo(Path mountinfo) {
    try {
      return parse(Files.readString(mountinfo));
    } catch (IOException e) {
      throw new UncheckedIOException("read " + mountinfo + ": " + e.getMessage(), e);
    }
  }

  /**
   * The v1 mounts under a configured root: each directory of {@code root} whose name is a controller, or a
   * comma-separated list of them ({@code cpu,cpuacct}), is that controller's mount. An absent root has none.
   */
  public static CgroupMounts ofV1Root(Path root) {
    Map<String, Mount> v1 = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return NONE;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path dir : dirs) {
        for (String part : dir.getFileName().toString().split(",")) {
          if (V1_CONTROLLERS.contains(part)) {
            // A real directory beats a symlink alias (/sys/fs/cgroup/cpu -> cpu,cpuacct): same target anyway.
            v1.merge(part, Mount.at(dir), (a, b) -> Files.isSymbolicLink(a.point()) ? b : a);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("list " + root + ": " + e.getMessage(), e);
    }
    return new CgroupMounts(v1, Optional.empty());
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
